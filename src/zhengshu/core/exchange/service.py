"""Exchange use cases: a client system reads, or verifies against, a catalogue resource under its grant.

Each call: the client's active grant (sharing), the published catalogue entry and its items (catalogue),
a plan checked against both (`domain`), the quota, one read of the mounted dataset as the platform (the
dataset store does not audit the platform's reads: this module does, naming the client), masking, then ONE
unit of work that meters the grant, logs the call and emits the call's event for the audit trail.

A refusal is audited too: the event (outcome "denied", the rule in `reason`) is committed in its own unit of
work before the error is raised. A resource without a grant, unknown, unpublished or retired reads as not
found, in the same words.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

from zhengshu.core.catalog import service as catalog
from zhengshu.core.datasets.schemas import Filter, RecordQuery
from zhengshu.core.datasets.service import DatasetStore
from zhengshu.core.datasets.service import read_records as read_dataset
from zhengshu.core.exchange import domain, queries, repository, upstream
from zhengshu.core.exchange import permissions as perms
from zhengshu.core.exchange.domain import FieldFilter, ReadPlan, ReadRequest, VerifyRequest
from zhengshu.core.exchange.events import ExchangeCall, ExchangeRecordsRead, ExchangeVerified, SubjectReadsViewed
from zhengshu.core.exchange.masking import ItemClass, consumer_key
from zhengshu.core.exchange.schemas import (
    CallView,
    ConsumerUseView,
    FieldView,
    MonitorSummary,
    RecordsPage,
    SubjectReadView,
    TrafficRow,
    UnusualVolumeView,
    VerifyResult,
)
from zhengshu.core.identity import access
from zhengshu.core.identity import service as identity
from zhengshu.core.sharing import service as sharing
from zhengshu.core.sharing.schemas import Grant
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor, ActorKind, system_actor
from zhengshu.kernel.errors import Conflict, NotAuthenticated, NotFound, UpstreamFailed, ZhengshuError
from zhengshu.kernel.subjects import subject_hash, subject_key
from zhengshu.kernel.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


@dataclass
class _Call:
    """What a call's audit event and log row need, filled in as the call goes on."""

    actor: Actor
    resource_code: str
    event: type[ExchangeCall]
    end_user: str
    purpose: str
    started: float = field(default_factory=time.perf_counter)
    grant: Grant | None = None
    provider_code: str | None = None
    fields: tuple[str, ...] = ()
    filters: tuple[str, ...] = ()

    @property
    def operation(self) -> str:
        return "verify" if self.event is ExchangeVerified else "read"

    @property
    def latency_ms(self) -> int:
        return round((time.perf_counter() - self.started) * 1000)

    def emit(self, uow: UnitOfWork, *, outcome: str = "success", rows: int = 0, subjects: Sequence[str] = (),
             reason: str = "", **extra: Any) -> None:
        """Log the call, meter the grant (success only) and emit the event, in one transaction."""
        latency, now, grant = self.latency_ms, clock.now(), self.grant
        with uow:
            call_id = repository.add_call(
                uow.session, occurred_at=now, client_key=self.actor.id,
                consumer_code=grant.consumer_code if grant else self.actor.department_code,
                provider_code=self.provider_code, resource_code=self.resource_code,
                grant_id=grant.id if grant else None, operation=self.operation, rows=rows, latency_ms=latency,
                outcome=outcome, reason=reason, purpose=self.purpose, fields=self.fields)
            repository.add_subjects(uow.session, call_id, subjects)
            if grant is not None and outcome == "success":
                repository.add_usage(uow.session, grant.id, _today(), rows if self.event is ExchangeRecordsRead
                                     else 1)
            uow.emit(self.event(
                actor=self.actor, target=f"catalog_entry:{self.resource_code}", outcome=outcome,
                occurred_at=now, resource_code=self.resource_code, grant_id=grant.id if grant else None,
                consumer_code=grant.consumer_code if grant else None, end_user=self.end_user[:64],
                purpose=self.purpose[:200], fields=self.fields, filters=self.filters, rows=rows,
                latency_ms=latency, subjects=tuple(subjects), reason=reason, **extra))
            uow.commit()

    def refuse(self, uow: UnitOfWork, error: BaseException) -> None:
        """Audit a refused (or failed) call; auditing a failure is best effort, the original error wins. A
        department's live API failing is the call failing, not a refusal."""
        if isinstance(error, UpstreamFailed):
            self.emit(uow, outcome="failure", reason=str(error.details.get("reason") or error.code))
            return
        if isinstance(error, ZhengshuError):
            self.emit(uow, outcome="denied", reason=str(error.details.get("reason") or error.code))
            return
        try:
            self.emit(uow, outcome="failure", reason=type(error).__name__)
        except Exception:
            log.exception("could not audit a failed exchange call on %s", self.resource_code)


def _names(names: Iterable[str]) -> tuple[str, ...]:
    """Names a client sent, as the audit trail keeps them: at most 20, each cut to 80 characters."""
    return tuple(str(n)[:80] for n in itertools.islice(names, domain.MAX_FILTERS))


def _today() -> date:
    """Quotas count the city's day (Asia/Shanghai)."""
    return clock.now().astimezone(clock.DISPLAY_ZONE).date()


def _client(actor: Actor) -> None:
    if actor.kind is not ActorKind.CLIENT:
        raise NotAuthenticated("数据交换接口须使用接入系统的访问令牌。", details={"reason": "not_a_client"})


def _grant(uow: UnitOfWork, actor: Actor, resource_code: str) -> Grant:
    """The client's grant for the resource, in force today; anything else reads as not found."""
    hidden = access.hidden(reason="no_active_grant")  # the same for a resource that does not exist
    try:
        grant = sharing.active_grant(uow, actor, resource_code)
    except NotFound:
        raise hidden from None
    if not domain.grant_in_force(grant, actor.id, resource_code, _today()):
        raise hidden
    return grant


@dataclass(frozen=True)
class _Source:
    """Where a published entry's records come from: a dataset of the store or a department's live API."""

    kind: str  # dataset, live_api
    reference: str  # the dataset code or the API's address


@dataclass(frozen=True)
class Gateway:
    """What the exchange works with: the dataset store, the live-API deadline and the per-grant rate limit
    (from settings; `calls_per_minute` 0 is no limit)."""

    store: DatasetStore
    live_api_timeout: float = 5.0
    calls_per_minute: int = 0


def _entry(resource_code: str, uow: UnitOfWork, call: _Call) -> tuple[_Source, list[ItemClass]]:
    """The published entry's source and items, read as the platform (the grant is the client's right); the
    call learns the entry's provider."""
    entry = catalog.published_entry(uow, system_actor("数据交换"), resource_code)
    if entry is None:
        raise access.hidden(reason="resource_unavailable")  # told only to a client holding a grant for it
    call.provider_code = entry.provider_code
    if entry.mount is None or entry.mount.kind.value not in ("dataset", "registry", "live_api"):
        raise Conflict(f"资源 {resource_code} 的挂接方式交换网关暂不能提供。", details={"reason": "mount_unsupported"})
    items = [ItemClass(name=i.name, level=i.level.value, personal_info=i.personal_info.value,
                       data_type=i.data_type.value, is_key=i.is_key) for i in entry.items]
    return _Source(entry.mount.kind.value, entry.mount.reference), items


def _read(uow: UnitOfWork, gateway: Gateway, source: _Source, query: RecordQuery) -> tuple[list[dict], str | None]:
    """One page of records from the source: the dataset store, or the department's live API (checked)."""
    if source.kind in ("dataset", "registry"):  # a base registry is served from its golden records' dataset
        page = read_dataset(uow, system_actor("数据交换"), gateway.store, source.reference, query)
        return page.rows, page.next
    conditions = tuple(FieldFilter(f.column, f.op, f.value if isinstance(f.value, str) else tuple(f.value))
                       for f in query.filters)
    asked = tuple(dict.fromkeys((*(query.columns or ()), *(c.field for c in conditions))))
    params = upstream.query_params(asked, conditions, query.sort, query.after, query.limit)
    payload = upstream.fetch(source.reference, params, gateway.live_api_timeout)
    return upstream.records(payload, query.columns or asked, conditions, query.limit)


def _filters(conditions: Sequence[FieldFilter]) -> tuple[Filter, ...]:
    return tuple(Filter(c.field, c.op, c.value if isinstance(c.value, str) else list(c.value)) for c in conditions)


def _rate(uow: UnitOfWork, gateway: Gateway, grant: Grant) -> None:
    if gateway.calls_per_minute:
        since = clock.now() - timedelta(seconds=domain.RATE_WINDOW_SECONDS)
        with uow.reading() as session:
            domain.check_rate(queries.calls_since(session, grant.id, since), gateway.calls_per_minute)


def _quota(uow: UnitOfWork, grant: Grant, wanted: int) -> int:
    if grant.daily_quota is None:  # no quota: nothing to count
        return domain.allowed_rows(grant, 0, wanted)
    with uow.reading() as session:
        used = queries.rows_used(session, grant.id, _today())
    return domain.allowed_rows(grant, used, wanted)


def _hashes(platform_secret: str | bytes, values: Sequence[Any]) -> tuple[str, ...]:
    key = subject_key(platform_secret)
    return tuple(subject_hash(key, v) for v in values)


def read_records(uow: UnitOfWork, actor: Actor, platform_secret: str | bytes, gateway: Gateway,
                 resource_code: str, fields: Sequence[str] | None = None, filters: Sequence[FieldFilter] = (),
                 sort: Sequence[tuple[str, str]] = (), after: str | None = None, limit: int = domain.DEFAULT_LIMIT,
                 end_user: str | None = None, purpose: str | None = None) -> RecordsPage:
    """One page of a resource's records under the client's grant: granted fields only, masked by their
    classification, the grant's rows only, within its daily quota; audited as `exchange.records_read`."""
    code = resource_code.strip()
    call = _Call(actor, code, ExchangeRecordsRead, (end_user or "").strip(), (purpose or "").strip())
    try:
        _client(actor)
        call.end_user = domain.check_end_user(end_user)
        grant = call.grant = _grant(uow, actor, code)
        _rate(uow, gateway, grant)
        call.purpose = domain.check_purpose(purpose, grant.purpose)
        source, items = _entry(code, uow, call)
        request = ReadRequest(fields=tuple(fields) if fields is not None else None, filters=tuple(filters),
                              sort=tuple(sort), after=after, limit=limit)
        call.filters = _names(f"{f.field} {f.op}" for f in request.filters)
        plan = domain.plan_read(grant, items, request)
        call.fields = tuple(p.name for p in plan.fields)
        allowed = _quota(uow, grant, plan.limit)
        found, cursor = _read(uow, gateway, source, _query(plan, allowed))
    except Exception as error:
        call.refuse(uow, error)
        raise
    rows = domain.mask_rows(plan, found, consumer_key(platform_secret, grant.consumer_code))
    subjects = _hashes(platform_secret, domain.subjects(plan, found))
    treatments = domain.treatments(plan.fields)
    call.emit(uow, rows=len(rows), subjects=subjects, treatments=tuple(f"{k}:{v}" for k, v in treatments.items()))
    remaining = None if grant.daily_quota is None else max(grant.daily_quota - _used(uow, grant), 0)
    return RecordsPage(resource_code=code, rows=rows, count=len(rows), next=cursor, quota_remaining=remaining,
                       fields=[FieldView(name=p.name, treatment=p.treatment.value, treatment_title=p.treatment.title)
                               for p in plan.fields])


def _query(plan: ReadPlan, limit: int) -> RecordQuery:
    return RecordQuery(columns=plan.columns, filters=_filters(plan.conditions), sort=plan.sort, after=plan.after,
                       limit=limit)


def _used(uow: UnitOfWork, grant: Grant) -> int:
    with uow.reading() as session:
        return queries.rows_used(session, grant.id, _today())


def verify_records(uow: UnitOfWork, actor: Actor, platform_secret: str | bytes, gateway: Gateway,
                   resource_code: str, key: Mapping[str, Any], claims: Mapping[str, Any],
                   end_user: str | None = None, purpose: str | None = None) -> VerifyResult:
    """核验: whether the record the key fields locate holds the claimed values, per field, without returning
    any data; counts one toward the daily quota; audited as `exchange.verified`."""
    code = resource_code.strip()
    call = _Call(actor, code, ExchangeVerified, (end_user or "").strip(), (purpose or "").strip())
    try:
        _client(actor)
        call.end_user = domain.check_end_user(end_user)
        grant = call.grant = _grant(uow, actor, code)
        _rate(uow, gateway, grant)
        call.purpose = domain.check_purpose(purpose, grant.purpose)
        source, items = _entry(code, uow, call)
        call.fields = _names(claims)
        call.filters = _names(f"{name} eq" for name in key)
        plan = domain.plan_verify(grant, items, VerifyRequest(key=dict(key), claims=dict(claims)))
        _quota(uow, grant, 1)
        query = RecordQuery(columns=plan.columns, filters=_filters(plan.conditions), limit=plan.limit)
        found, _ = _read(uow, gateway, source, query)
    except Exception as error:
        call.refuse(uow, error)
        raise
    result = domain.answer(plan, found)
    subjects = _hashes(platform_secret, [r.get(k) for r in found for k in plan.key_fields if r.get(k)])
    call.emit(uow, rows=len(found), subjects=tuple(dict.fromkeys(subjects)), matched=result.match)
    return VerifyResult(resource_code=code, match=result.match, fields=result.fields)


def recent_calls(uow: UnitOfWork, actor: Actor, *, hours: int = 24, resource_code: str | None = None,
                 client_key: str | None = None, limit: int = 100) -> list[CallView]:
    """The newest exchange calls (for the data authority's monitoring), newest first."""
    access.require(actor, perms.MONITOR)
    since = clock.now() - timedelta(hours=max(1, min(hours, 24 * 31)))
    with uow.reading() as session:
        return queries.recent_calls(session, since=since, resource_code=resource_code or None,
                                    client_key=client_key or None, limit=max(1, min(limit, 500)))


# --- monitoring (数据传输统一监测) ----------------------------------------------------------------------------

TOP_CONSUMERS = 5


def _day_start(day: date) -> datetime:
    return datetime.combine(day, clock_time.min, tzinfo=clock.DISPLAY_ZONE).astimezone(UTC)


def _traffic(row: Mapping[str, Any], key: str, names: Mapping[str, str]) -> TrafficRow:
    return TrafficRow(key=row[key] or "", name=names.get(row[key] or "", ""),
                      consumer_code=row.get("consumer_code"), calls=int(row["calls"]), rows=int(row["rows"]),
                      denied=int(row["denied"] or 0), failures=int(row["failures"] or 0),
                      avg_latency_ms=round(float(row["avg_latency_ms"] or 0)))


def _by_volume(row: TrafficRow) -> tuple[int, int, str]:
    return -row.rows, -row.calls, row.key


def _department_names(uow: UnitOfWork, actor: Actor) -> dict[str, str]:
    try:
        return {o.code: o.name for o in identity.list_organisations(uow, actor)}
    except NotFound:  # the monitor may not see the organisation tree: codes only
        return {}


def monitor_summary(uow: UnitOfWork, actor: Actor, since: date | None = None,
                    until: date | None = None) -> MonitorSummary:
    """数据传输统一监测 for the data authority: the calls of whole days `since`..`until` (Asia/Shanghai,
    default the last 7 days) — totals, latency median and p95, calls and rows per day, per resource, per
    client and per department, and clients whose rows on the period's last day are unusual for them."""
    access.require(actor, perms.MONITOR)
    today = _today()
    until = until or today
    since = since or until - timedelta(days=6)
    since, until = domain.check_period(since, until, today)
    days = [since + timedelta(days=i) for i in range((until - since).days + 1)]
    bounds = [_day_start(d) for d in days] + [_day_start(until + timedelta(days=1))]
    start, end = bounds[0], bounds[-1]
    history_start = _day_start(until - timedelta(days=domain.UNUSUAL_HISTORY_DAYS))
    with uow.reading() as session:
        totals = queries.call_totals(session, start, end)
        count = int(totals["calls"])
        median = queries.latency_at(session, start, end, domain.percentile(count, 0.5)) if count else 0
        p95 = queries.latency_at(session, start, end, domain.percentile(count, 0.95)) if count else 0
        per_day = {int(r["day"]): r for r in queries.calls_per_day(session, bounds)}
        resources = queries.calls_by(session, start, end, "resource_code")
        clients = queries.calls_by(session, start, end, "client_key", "consumer_code")
        departments = queries.calls_by(session, start, end, "consumer_code")
        last_day = queries.rows_per_client(session, bounds[-2], end)
        history = queries.rows_per_client(session, history_start, bounds[-2])
    names = _department_names(uow, actor)
    resource_names = _resource_names(uow, (r["resource_code"] for r in resources))
    client_departments = {r["client_key"]: r["consumer_code"] for r in clients}
    chart = {"days": [d.isoformat() for d in days],
             "calls": [int(per_day[i]["calls"]) if i in per_day else 0 for i in range(len(days))],
             "rows": [int(per_day[i]["rows"]) if i in per_day else 0 for i in range(len(days))]}
    consumers = sorted((_traffic(r, "consumer_code", names) for r in departments), key=_by_volume)
    unusual = [UnusualVolumeView(client_key=u.client_key, consumer_code=client_departments.get(u.client_key),
                                 consumer_name=names.get(client_departments.get(u.client_key) or "", ""),
                                 rows=u.rows, average=u.average, factor=u.factor)
               for u in domain.unusual_volume(last_day, history)]
    return MonitorSummary(
        since=since, until=until, calls=count, rows=int(totals["rows"] or 0), denied=int(totals["denied"] or 0),
        failures=int(totals["failures"] or 0), median_latency_ms=median, p95_latency_ms=p95, chart=chart,
        resources=sorted((_traffic(r, "resource_code", resource_names) for r in resources), key=_by_volume),
        clients=sorted((_traffic(r, "client_key", {}) for r in clients), key=_by_volume),
        top_consumers=consumers[:TOP_CONSUMERS], unusual_day=until, unusual=unusual)


# --- who read the data (谁查询了我的数据, 本部门数据使用) ------------------------------------------------------

OPERATION_TITLES = {"read": "查询", "verify": "核验"}
MY_READS_LIMIT = 200
CONSUMERS_DAYS = 30


def _resource_names(uow: UnitOfWork, codes: Iterable[str]) -> dict[str, str]:
    names = {}
    for code in set(codes):
        try:
            names[code] = catalog.get_entry(uow, system_actor("数据交换"), code).entry.name
        except NotFound:
            names[code] = ""
    return names


def reads_about_me(uow: UnitOfWork, actor: Actor) -> list[SubjectReadView]:
    """谁查询了我的数据: the newest successful calls that returned or checked a record about the signed-in
    citizen (found by their subject hash), with the department, resource and purpose; the look-up itself is
    audited."""
    access.require(actor, perms.VIEW_MY_READS)  # held by citizens only, whose id is their subject hash
    with uow.reading() as session:
        rows = queries.reads_of_subject(session, actor.id, MY_READS_LIMIT)
    departments = _department_names(uow, system_actor("数据交换"))
    resources = _resource_names(uow, (r["resource_code"] for r in rows))
    with uow:
        uow.emit(SubjectReadsViewed(actor=actor, target=actor.label, calls=len(rows)))
        uow.commit()
    return [SubjectReadView(
        occurred_at=r["occurred_at"], consumer_code=r["consumer_code"],
        consumer_name=departments.get(r["consumer_code"] or "", ""), resource_code=r["resource_code"],
        resource_name=resources[r["resource_code"]], operation=r["operation"],
        operation_title=OPERATION_TITLES.get(r["operation"], r["operation"]), purpose=r["purpose"],
        fields=[f for f in r["fields"].split("、") if f]) for r in rows]


def consumers_of(uow: UnitOfWork, actor: Actor, provider_code: str | None = None,
                 days: int = CONSUMERS_DAYS) -> list[ConsumerUseView]:
    """本部门数据使用: who consumed a provider department's resources in the last `days` days (the actor's
    own department unless they oversee the exchange), per consuming department, resource and purpose."""
    provider = (provider_code or actor.department_code or "").strip()
    access.require(actor, perms.VIEW_CONSUMERS, department=provider or None)
    if not provider:
        return []
    since = clock.now() - timedelta(days=max(1, min(days, 366)))
    with uow.reading() as session:
        rows = queries.consumers_of_provider(session, provider, since)
    departments = _department_names(uow, system_actor("数据交换"))
    resources = _resource_names(uow, (r["resource_code"] for r in rows))
    return [ConsumerUseView(
        consumer_code=r["consumer_code"], consumer_name=departments.get(r["consumer_code"] or "", ""),
        resource_code=r["resource_code"], resource_name=resources[r["resource_code"]], purpose=r["purpose"],
        calls=int(r["calls"]), rows=int(r["rows"] or 0), denied=int(r["denied"] or 0), last_at=r["last_at"])
        for r in rows]
