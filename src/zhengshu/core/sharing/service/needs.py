"""The supply-demand board (数据需求): departments post needs, providers answer with catalogue entries."""

from __future__ import annotations

from zhengshu.core.catalog import service as catalog
from zhengshu.core.identity import access
from zhengshu.core.sharing import permissions as perms
from zhengshu.core.sharing import queries, repository
from zhengshu.core.sharing.domain import requests as rules
from zhengshu.core.sharing.domain.values import NeedStatus
from zhengshu.core.sharing.events import (
    NeedAnswered,
    NeedClosed,
    NeedPosted,
)
from zhengshu.core.sharing.schemas import (
    AnswerCreate,
    NeedCreate,
    NeedView,
)
from zhengshu.core.sharing.service._common import (
    department_name,
    department_of,
    resource_of,
)
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.errors import Conflict
from zhengshu.kernel.unit_of_work import UnitOfWork


def post_need(uow: UnitOfWork, actor: Actor, data: NeedCreate) -> NeedView:
    """A department's data officer posts a data need on the board."""
    access.require(actor, perms.POST_NEED)
    department = department_of(actor)
    title = rules.check_text(data.title, field="title", title="需求名称", limit=200)
    description = rules.check_text(data.description, field="description", title="需求说明")
    purpose = rules.check_text(data.purpose, field="purpose", title="用途", required=False)
    name = department_name(uow, department)
    with uow:
        need_id = repository.add_need(uow.session, department_code=department, department_name=name, title=title,
                                      description=description, purpose=purpose, actor=actor, now=clock.now())
        uow.emit(NeedPosted(actor=actor, target=f"sharing_need:{need_id}", need_id=need_id,
                            department_code=department, title=title))
        uow.commit()
    return get_need(uow, actor, need_id)


def answer_need(uow: UnitOfWork, actor: Actor, need_id: int, data: AnswerCreate) -> NeedView:
    """A provider's data officer answers an open need with one of the department's catalogue entries."""
    access.require(actor, perms.ANSWER_NEED)
    entry = catalog.get_entry(uow, actor, data.resource_code.strip()).entry
    access.require(actor, perms.ANSWER_NEED, department=entry.provider_code)
    note = rules.check_text(data.note, field="note", title="说明", required=False)
    with uow:
        need = repository.load_need(uow.session, need_id)
        if need is None:
            raise access.hidden()
        rules.check_answer(NeedStatus(need["status"]), need["department_code"], resource_of(entry))
        if repository.answer_exists(uow.session, need_id, entry.code):
            raise Conflict(f"已用资源 {entry.code} 响应过该需求。", field="resource_code")
        repository.add_answer(uow.session, need_id=need_id, resource_code=entry.code, resource_name=entry.name,
                              provider_code=entry.provider_code, provider_name=entry.provider_name, note=note,
                              actor=actor, now=clock.now())
        uow.emit(NeedAnswered(actor=actor, target=f"sharing_need:{need_id}", need_id=need_id,
                              resource_code=entry.code, provider_code=entry.provider_code))
        uow.commit()
    return get_need(uow, actor, need_id)


def close_need(uow: UnitOfWork, actor: Actor, need_id: int) -> NeedView:
    """The posting department closes its need (met, or no longer needed)."""
    access.require(actor, perms.POST_NEED)
    with uow:
        need = repository.load_need(uow.session, need_id)
        if need is None:
            raise access.hidden()
        access.require(actor, perms.POST_NEED, department=need["department_code"])
        if need["status"] != NeedStatus.OPEN.value:
            raise Conflict("该需求已关闭。")
        repository.close_need(uow.session, need_id, clock.now())
        uow.emit(NeedClosed(actor=actor, target=f"sharing_need:{need_id}", need_id=need_id))
        uow.commit()
    return get_need(uow, actor, need_id)


def _can_close(actor: Actor, need: NeedView) -> NeedView:
    return need.model_copy(update={"can_close": need.status.value == "open" and access.can(
        actor, perms.POST_NEED, department=need.department_code)})


def list_needs(uow: UnitOfWork, actor: Actor, status: str = "open") -> list[NeedView]:
    """The board: every department's needs (open ones by default; "" for all) with their answers."""
    access.require(actor, perms.VIEW)
    chosen = NeedStatus.parse(status, field="status", title="需求状态") if status.strip() else None
    with uow.reading() as session:
        return [_can_close(actor, n) for n in queries.list_needs(session, chosen)]


def get_need(uow: UnitOfWork, actor: Actor, need_id: int) -> NeedView:
    access.require(actor, perms.VIEW)
    with uow.reading() as session:
        found = queries.list_needs(session, need_id=need_id)
    if not found:
        raise access.hidden()
    return _can_close(actor, found[0])
