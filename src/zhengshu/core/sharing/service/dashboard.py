"""The sharing cards of the signed-in home page (工作台): what waits on my review, what is overdue, which
grants are due for re-certification (复核). Each card only for those it concerns."""

from __future__ import annotations

from zhengshu.core.identity import access
from zhengshu.core.sharing import permissions as perms
from zhengshu.core.sharing import queries
from zhengshu.core.sharing.service._common import city_today, oversees
from zhengshu.core.sharing.service.requests import list_requests
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.unit_of_work import UnitOfWork
from zhengshu.modules import Card


def home_cards(uow: UnitOfWork, actor: Actor) -> list[Card]:
    """待我审核 for reviewers (the data authority: compliance and coordination; a provider's approver: its
    department's provider review), then overdue requests and grants due for 复核 — my department's, or the
    whole city's for those who oversee sharing. Overdue shows red when there is any."""
    if not access.can(actor, perms.VIEW):
        return []
    everything, department = oversees(actor), actor.department_code
    if department is None and not everything:
        return []
    involving, today = None if everything else department, city_today()
    found = []
    reviews = (access.can(actor, perms.REVIEW_COMPLIANCE) or access.can(actor, perms.COORDINATE)
               or access.can(actor, perms.REVIEW_PROVIDER, department=department))
    if reviews:
        waiting = list_requests(uow, actor, "review")
        late = sum(1 for r in waiting if r.overdue)
        found.append(Card("待我审核的共享申请", len(waiting), "/sharing?scope=review",
                          "alert" if late else "warning" if waiting else "normal",
                          f"其中 {late} 件已超期" if late else ""))
    with uow.reading() as session:
        overdue = queries.request_count(session, today, involving=involving, overdue=True)
        due = queries.list_grants(session, today, involving=involving, everything=everything,
                                  recertification=True)
    whose = "全市" if everything else "本部门"
    found.append(Card(f"{whose}超期的共享申请", overdue, "/sharing?scope=overdue", "alert" if overdue else "normal"))
    found.append(Card(f"{whose}即将到期待复核的授权", len(due), "/sharing/grants?side=recertification",
                      "warning" if due else "normal"))
    return found
