"""What the sharing use cases share: today in the city, deadlines from the calendar, the catalogue entry and
the consumer's systems read as the platform, who sees what."""

from __future__ import annotations

from datetime import date

from zhengshu.core.calendar import service as calendar
from zhengshu.core.catalog import service as catalog
from zhengshu.core.catalog.schemas import EntryView
from zhengshu.core.identity import access
from zhengshu.core.identity import service as identity
from zhengshu.core.sharing import permissions as perms
from zhengshu.core.sharing import queries
from zhengshu.core.sharing.domain import requests as rules
from zhengshu.core.sharing.domain.values import SharingKind
from zhengshu.core.sharing.schemas import ClientOption, GrantView
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor, system_actor
from zhengshu.kernel.errors import Conflict, InvalidInput, NotFound
from zhengshu.kernel.unit_of_work import UnitOfWork
from zhengshu.settings import Settings


def city_today() -> date:
    """Dates of the sharing rules are days in the city (Asia/Shanghai)."""
    return clock.now().astimezone(clock.DISPLAY_ZONE).date()


def platform_actor() -> Actor:
    return system_actor("数据共享")


def deadlines(settings: Settings) -> rules.Deadlines:
    """The working days each stage may take, as the platform's settings say (ZHENGSHU_SHARING_*_DAYS)."""
    return rules.Deadlines(compliance=settings.sharing_compliance_days,
                           provider_published=settings.sharing_provider_days,
                           provider_unpublished=settings.sharing_unpublished_days)


def deadline_after(uow: UnitOfWork, start: date, working_days: int | None) -> date | None:
    """The deadline `working_days` after `start`; None when there is none, or when the calendar does not
    cover the year yet (the calendar refuses to guess; the request then shows no deadline)."""
    if working_days is None:
        return None
    try:
        return calendar.deadline(uow, platform_actor(), start, working_days).deadline
    except InvalidInput:
        return None


def entry_or_none(uow: UnitOfWork, code: str) -> EntryView | None:
    try:
        return catalog.get_entry(uow, platform_actor(), code).entry
    except NotFound:
        return None


def resource_of(entry: EntryView) -> rules.Resource:
    return rules.Resource(
        code=entry.code, name=entry.name, provider_code=entry.provider_code,
        sharing=SharingKind(entry.sharing.type.value) if entry.sharing else None,
        items=tuple(i.name for i in entry.items), published=entry.status.value == "published",
        retired=entry.status.value == "retired",
        core_items=tuple(i.name for i in entry.items if i.level.value == "core"))


def live_resource(uow: UnitOfWork, code: str) -> rules.Resource:
    """The requested entry as it is now, for a decision: it must still be there and not retired."""
    entry = entry_or_none(uow, code)
    if entry is None or entry.status.value == "retired":
        raise Conflict(f"资源 {code} 已下架或不存在，不能再授权。")
    return resource_of(entry)


def requestable(uow: UnitOfWork, actor: Actor, code: str) -> EntryView:
    """An entry the requester may know of: visible to them in the catalogue, or offered to their department
    on the needs board (then it may be requested before it is published)."""
    try:
        return catalog.get_entry(uow, actor, code).entry
    except NotFound:
        with uow.reading() as session:
            offered = queries.offered_to(session, actor.department_code, code)
        entry = entry_or_none(uow, code) if offered else None
        if entry is None:
            raise
        return entry


def clients_of(uow: UnitOfWork, department: str) -> list[ClientOption]:
    return [ClientOption(client_key=c.client_key, name=c.name)
            for c in identity.list_clients(uow, platform_actor()) if c.organisation_code == department and c.active]


def department_name(uow: UnitOfWork, code: str) -> str:
    return next((o.name for o in identity.list_organisations(uow, platform_actor()) if o.code == code), code)


def department_of(actor: Actor) -> str:
    if not actor.department_code:
        raise access.hidden()
    return actor.department_code


def oversees(actor: Actor) -> bool:
    return access.can(actor, perms.OVERSEE)


def day_text(day: date | None) -> str:
    """A date for an event's details ("" for none)."""
    return day.isoformat() if day else ""


def sees(actor: Actor, *departments: str) -> bool:
    """Requests and grants are seen by their two departments and by those who oversee sharing."""
    return oversees(actor) or (actor.department_code is not None and actor.department_code in departments)


def with_actions(actor: Actor, view: GrantView) -> GrantView:
    """The grant with what the viewer may do to it: revoke, renew."""
    live = view.state.value != "revoked"
    provider = view.grant.provider_code
    return view.model_copy(update={
        "can_revoke": live and access.can(actor, perms.REVOKE_GRANT, department=provider),
        "can_renew": live and access.can(actor, perms.RENEW_GRANT, department=provider)})
