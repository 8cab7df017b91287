"""Opening as a workflow (开放流程): a department's data officer proposes opening a published catalogue entry —
whole (chosen fields) or as a derived aggregated view — the privacy gate checks it at once, and the data
authority approves or rejects. The portal serves the current version of the source: when the source has a new
version, the gate runs again before it is served (`refresh`); a version that fails is never served and the
dataset is withdrawn (撤回), as it is when its catalogue entry is no longer published.

The data is read as the platform (`数据开放`): the dataset store does not audit the platform's reads; this
module's events name who asked. A view is written to the dataset store as its own dataset, `open-<code>`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from zhengshu.core.catalog import service as catalog
from zhengshu.core.catalog.schemas import EntryView
from zhengshu.core.datasets import service as datasets
from zhengshu.core.datasets.schemas import RecordQuery
from zhengshu.core.datasets.service import DatasetStore
from zhengshu.core.identity import access
from zhengshu.core.ingest import service as ingest
from zhengshu.core.opendata import permissions as perms
from zhengshu.core.opendata import queries, repository
from zhengshu.core.opendata.domain import gate, opening, views
from zhengshu.core.opendata.domain.opening import Kind, Status
from zhengshu.core.opendata.events import OpeningDecided, OpeningProposed, OpeningRefreshed, OpeningWithdrawn
from zhengshu.core.opendata.schemas import DecisionInput, OpeningDetail, OpeningSummary, ProposalInput, WithdrawInput
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor, system_actor
from zhengshu.kernel.errors import Conflict, InvalidInput, NotFound
from zhengshu.kernel.unit_of_work import UnitOfWork
from zhengshu.modules import Card
from zhengshu.settings import Settings

PLATFORM = system_actor("数据开放")
SAMPLE_ROWS = 1000  # rows the sensitive-data dictionary looks at (the dataset store's largest page)


@dataclass(frozen=True)
class Context:
    """What opening works with: the dataset store and k (from settings)."""

    store: DatasetStore
    k: int = 5

    @classmethod
    def from_settings(cls, settings: Settings) -> Context:
        return cls(DatasetStore.for_data_dir(settings.data_dir), settings.opendata_k)


@dataclass(frozen=True)
class Evaluation:
    report: gate.GateReport
    source_version: int
    entry_version: int  # the catalogue entry's version whose classification the gate read
    frame: pl.DataFrame | None = None  # a view's rows, derived (None for a whole table)
    suppressed: int = 0

    def record(self) -> dict[str, Any]:
        """The report as the opening keeps it, with the entry version it was made under."""
        return {**self.report.as_dict(), "entry_version": self.entry_version}


def _target(code: str) -> str:
    return f"opendata:{code}"


def _current_version(uow: UnitOfWork, dataset: str) -> int:
    current = next((v for v in datasets.list_versions(uow, PLATFORM, dataset) if v.current), None)
    if current is None:
        raise Conflict(f"数据集 {dataset} 尚未发布任何版本，不能开放。", field="entry_code")
    return current.version


def _classes(entry: EntryView) -> dict[str, gate.FieldClass]:
    return {i.name: gate.FieldClass(i.name, i.level.value, i.personal_info.value) for i in entry.items}


def _evaluate(uow: UnitOfWork, ctx: Context, entry: EntryView, dataset: str, fields: list[str],
             spec: views.ViewSpec | None) -> Evaluation:
    """Run the privacy gate on what would be opened, over the source's current version."""
    version = _current_version(uow, dataset)
    classes = _classes(entry)
    present = [f for f in fields if f in classes]
    sample = datasets.read_records(uow, PLATFORM, ctx.store, dataset,
                                   RecordQuery(columns=tuple(present) or None, limit=SAMPLE_ROWS, version=version))
    frame = pl.DataFrame(sample.rows, infer_schema_length=None) if sample.rows else pl.DataFrame()
    kinds = {f["item"]: gate.ValueKind(f["item"], f["kind"], f["title"], f["share"])
             for f in ingest.sensitive_kinds(uow, PLATFORM, frame, present)}
    if spec is None:
        assessment = gate.assess(fields, classes, kinds)
        qi = assessment.quasi_identifiers
        quasi = datasets.read_columns(uow, PLATFORM, ctx.store, dataset, qi) if qi else None
        return Evaluation(gate.check(fields, classes, kinds, quasi, ctx.k), version, entry.version)
    report = gate.check(fields, classes, kinds, None, ctx.k)  # a view's cells are suppressed under k instead
    if not report.passed:
        return Evaluation(report, version, entry.version)
    rows, suppressed = views.derive(datasets.read_columns(uow, PLATFORM, ctx.store, dataset, fields), spec, ctx.k)
    note = f"汇总后 {rows.height} 个单元格；{suppressed} 个少于 k={ctx.k} 行的单元格已抑制。"
    report = gate.GateReport(report.fields, report.roles, (), None, (note,))
    return Evaluation(report, version, entry.version, rows, suppressed)


def _published(uow: UnitOfWork, entry_code: str) -> EntryView:
    """The published entry of an opening the data authority decides on (it sees every department's)."""
    entry = catalog.published_entry(uow, PLATFORM, entry_code)
    if entry is None:
        raise NotFound(f"目录资源不存在或未发布：{entry_code}", field="entry_code")
    return entry


def _proposable(uow: UnitOfWork, actor: Actor, entry_code: str) -> EntryView:
    """The published entry, if the actor may propose its department's data; one answer for "no such entry"
    and "not your department's"."""
    entry = catalog.published_entry(uow, PLATFORM, entry_code)
    if entry is None or not access.can(actor, perms.PROPOSE, department=entry.provider_code):
        raise access.hidden()
    return entry


def _dataset_of(entry: EntryView) -> str:
    if entry.mount is None or entry.mount.kind.value != "dataset":
        raise Conflict(f"资源 {entry.code} 未挂接数据集（挂接的是基础库或部门接口），暂不能开放。", field="entry_code")
    return entry.mount.reference


def propose(uow: UnitOfWork, actor: Actor, ctx: Context, data: ProposalInput) -> OpeningDetail:
    """提出开放: the gate runs at once; a refused proposal is kept with its reasons (status `refused`)."""
    access.require(actor, perms.PROPOSE)
    entry = _proposable(uow, actor, data.entry_code.strip())
    open_type = opening.check_open_type(entry.opening.type.value if entry.opening else None)
    dataset = _dataset_of(entry)
    code = opening.check_code(data.code)
    theme, licence = opening.check_theme(data.theme), opening.check_licence(data.licence)
    title = data.title.strip()
    if not title:
        raise InvalidInput("开放数据集名称不能为空。", field="title")
    spec = views.parse_view(data.view) if data.view else None
    if spec is not None:
        fields = list(spec.source_fields)
    else:
        fields = list(dict.fromkeys(f.strip() for f in data.fields or [i.name for i in entry.items] if f.strip()))
    if not fields:
        raise InvalidInput("请至少选择一个开放字段。", field="fields")
    with uow.reading() as session:
        existing = queries.opening_row(session, code)
    opening.can_propose_again(Status(existing["status"]) if existing else None)
    result = _evaluate(uow, ctx, entry, dataset, fields, spec)
    status = Status.PROPOSED if result.report.passed else Status.REFUSED
    refused = tuple(dict.fromkeys(r.field for r in result.report.refusals))
    now = clock.now()
    with uow:
        row = repository.opening_for_update(uow.session, code)
        opening.can_propose_again(Status(row["status"]) if row else None)
        opening_id = repository.replace_proposal(uow.session, {
            "code": code, "entry_code": entry.code, "source_dataset": dataset, "provider_code": entry.provider_code,
            "provider_name": entry.provider_name, "kind": (Kind.VIEW if spec else Kind.WHOLE).value, "title": title,
            "description": data.description.strip() or entry.abstract, "theme": theme, "licence": licence,
            "open_type": open_type, "open_condition": entry.opening.condition if entry.opening else "",
            "format": entry.format.type.label if entry.format else "", "update_cycle":
            entry.update_cycle.label if entry.update_cycle else "", "fields": fields,
            "view": spec.as_dict() if spec else None, "status": status.value,
            "gate_report": result.record(), "note": "", "proposed_by": actor.label,
            "created_at": now, "updated_at": now})
        note = "；".join(r.message for r in result.report.refusals) or "；".join(result.report.notes)
        repository.add_history(uow.session, opening_id, "proposed" if result.report.passed else "refused",
                               actor.label, now, note, result.source_version)
        uow.emit(OpeningProposed(actor=actor, target=_target(code), code=code, entry_code=entry.code,
                                 kind=(Kind.VIEW if spec else Kind.WHOLE).value, passed=result.report.passed,
                                 refused_fields=refused))
        uow.commit()
    return get_opening(uow, actor, code)


def _serve(uow: UnitOfWork, ctx: Context, row: dict[str, Any], result: Evaluation) -> dict[str, Any]:
    """What the portal will serve for a passed evaluation: the source's version (whole) or the view written
    to the dataset store as `open-<code>` (published there at once)."""
    if result.frame is None:
        version = next(v for v in datasets.list_versions(uow, PLATFORM, row["source_dataset"])
                       if v.version == result.source_version)
        wanted = set(row["fields"])
        return {"served_dataset": row["source_dataset"], "served_version": version.version,
                "row_count": version.row_count,
                "columns": [{"name": c.name, "type": c.type} for c in version.columns if c.name in wanted]}
    derived = f"open-{row['code']}"
    datasets.ensure_dataset(uow, PLATFORM, derived, f"开放视图：{row['title']}"[:200], row["provider_code"])
    written = datasets.write_version(uow, PLATFORM, ctx.store, derived, result.frame, publish=True)
    return {"served_dataset": derived, "served_version": written.version, "row_count": written.row_count,
            "columns": [{"name": c.name, "type": c.type} for c in written.columns]}


def _spec(row: dict[str, Any]) -> views.ViewSpec | None:
    return views.parse_view(row["view"]) if row["view"] else None


def _row(uow: UnitOfWork, code: str) -> dict[str, Any]:
    with uow.reading() as session:
        row = queries.opening_row(session, code.strip())
    if row is None:
        raise access.hidden()
    return row


def decide(uow: UnitOfWork, actor: Actor, ctx: Context, code: str, data: DecisionInput) -> OpeningDetail:
    """审批: the data authority approves (the gate runs again on the current version first) or rejects."""
    access.require(actor, perms.APPROVE)
    row = _row(uow, code)
    opening.can_decide(Status(row["status"]))
    if not data.approve and not data.note.strip():
        raise InvalidInput("驳回须写明理由。", field="note")
    served: dict[str, Any] = {}
    result = None
    if data.approve:
        entry = _published(uow, row["entry_code"])
        result = _evaluate(uow, ctx, entry, _dataset_of(entry), row["fields"], _spec(row))
        if not result.report.passed:
            _refuse(uow, actor, row, result)
            raise Conflict("该数据集当前版本未通过隐私检查，不能开放：" +
                           "；".join(r.message for r in result.report.refusals), field="gate")
        served = _serve(uow, ctx, row, result)
    now = clock.now()
    with uow:
        locked = repository.opening_for_update(uow.session, row["code"])
        assert locked is not None
        opening.can_decide(Status(locked["status"]))
        if data.approve and result is not None:
            repository.save_opening(uow.session, row["id"], status=Status.OPEN.value, decided_by=actor.label,
                                    note=data.note.strip(), opened_at=now, updated_at=now,
                                    checked_version=result.source_version, gate_report=result.record(),
                                    **served)
            repository.add_history(uow.session, row["id"], "approved", actor.label, now, data.note.strip(),
                                   result.source_version, served["row_count"])
        else:
            repository.save_opening(uow.session, row["id"], status=Status.REJECTED.value, decided_by=actor.label,
                                    note=data.note.strip())
            repository.add_history(uow.session, row["id"], "rejected", actor.label, now, data.note.strip())
        uow.emit(OpeningDecided(actor=actor, target=_target(row["code"]), code=row["code"], approved=data.approve,
                                note=data.note.strip()[:200]))
        uow.commit()
    return get_opening(uow, actor, row["code"])


def _refuse(uow: UnitOfWork, actor: Actor, row: dict[str, Any], result: Evaluation) -> None:
    """A proposal whose data no longer passes the gate goes back to `refused`, with the reasons."""
    now = clock.now()
    with uow:
        repository.save_opening(uow.session, row["id"], status=Status.REFUSED.value,
                                gate_report=result.record())
        repository.add_history(uow.session, row["id"], "refused", actor.label, now,
                               "；".join(r.message for r in result.report.refusals), result.source_version)
        uow.emit(OpeningProposed(actor=actor, target=_target(row["code"]), code=row["code"],
                                 entry_code=row["entry_code"], kind=row["kind"], passed=False,
                                 refused_fields=tuple(dict.fromkeys(r.field for r in result.report.refusals))))
        uow.commit()


def _withdraw(uow: UnitOfWork, actor: Actor, row: dict[str, Any], reason: str,
              refused: tuple[str, ...] = (), report: dict | None = None, version: int | None = None) -> None:
    now = clock.now()
    with uow:
        locked = repository.opening_for_update(uow.session, row["code"])
        if locked is None or locked["status"] != Status.OPEN.value:
            return  # withdrawn meanwhile
        extra = {"gate_report": report} if report is not None else {}
        repository.save_opening(uow.session, row["id"], status=Status.WITHDRAWN.value, note=reason[:2000],
                                updated_at=now, **extra)
        repository.add_history(uow.session, row["id"], "withdrawn", actor.label, now, reason, version)
        uow.emit(OpeningWithdrawn(actor=actor, target=_target(row["code"]), code=row["code"], reason=reason[:500],
                                  refused_fields=refused))
        uow.commit()


def withdraw(uow: UnitOfWork, actor: Actor, code: str, data: WithdrawInput) -> OpeningDetail:
    """撤回 by hand (the data authority)."""
    access.require(actor, perms.APPROVE)
    row = _row(uow, code)
    opening.can_withdraw(Status(row["status"]))
    _withdraw(uow, actor, row, data.reason.strip())
    return get_opening(uow, actor, row["code"])


@access.public("any portal request may re-check an open dataset; the caller sees only the outcome")
def refresh(uow: UnitOfWork, actor: Actor, ctx: Context, row: dict[str, Any]) -> dict[str, Any] | None:
    """The opening as it may be served now: unchanged while its source's current version and its catalogue
    entry's version are the ones the gate passed; otherwise the gate runs again — passed, it is served (a view
    is derived again); failed, the dataset is withdrawn. A change of the catalogue's opening type, or the entry
    retired or mounted elsewhere, withdraws it too. None when it is (now) withdrawn. Anyone's request may
    trigger it: the public sees only the outcome."""
    if row["status"] != Status.OPEN.value:
        return None
    entry = catalog.published_entry(uow, PLATFORM, row["entry_code"])
    if entry is None or entry.mount is None or entry.mount.reference != row["source_dataset"]:
        _withdraw(uow, PLATFORM, row, "目录资源已下架或不再挂接原数据集，自动撤回。")
        return None
    opening_type = entry.opening.type.value if entry.opening else "none"
    if opening_type != row["open_type"]:
        title = entry.opening.type.label if entry.opening else "未填开放属性"
        _withdraw(uow, PLATFORM, row, f"目录资源的开放类型已改为“{title}”，自动撤回；如需开放请重新提出。")
        return None
    version = _current_version(uow, row["source_dataset"])
    if version == row["checked_version"] and row["gate_report"].get("entry_version") == entry.version:
        return row  # neither the data nor its classification changed since the gate passed them
    result = _evaluate(uow, ctx, entry, row["source_dataset"], row["fields"], _spec(row))
    if not result.report.passed:
        refused = tuple(dict.fromkeys(r.field for r in result.report.refusals))
        _withdraw(uow, PLATFORM, row, f"数据集第 {version} 版（目录第 {entry.version} 版）未通过隐私检查，自动撤回：" +
                  "；".join(r.message for r in result.report.refusals), refused, result.record(), version)
        return None
    served, now = _serve(uow, ctx, row, result), clock.now()
    with uow:
        repository.save_opening(uow.session, row["id"], checked_version=version, updated_at=now,
                                gate_report=result.record(), **served)
        repository.add_history(uow.session, row["id"], "refreshed", PLATFORM.label, now, "", version,
                               served["row_count"])
        uow.emit(OpeningRefreshed(actor=PLATFORM, target=_target(row["code"]), code=row["code"],
                                  source_version=version, served_version=served["served_version"]))
        uow.commit()
    with uow.reading() as session:
        return queries.opening_row(session, row["code"])


def refresh_all(uow: UnitOfWork, actor: Actor, ctx: Context) -> dict[str, str]:
    """Refresh every open dataset (the nightly job, and `zhengshu opendata refresh`): code → outcome."""
    access.require(actor, perms.APPROVE)
    with uow.reading() as session:
        rows = queries.open_rows(session)
    outcome = {}
    for row in rows:
        after = refresh(uow, actor, ctx, row)
        outcome[row["code"]] = "withdrawn" if after is None else (
            "unchanged" if after is row else "refreshed")
    return outcome


def get_opening(uow: UnitOfWork, actor: Actor, code: str) -> OpeningDetail:
    """An opening in any state, for the staff: its provider's officers and the data authority."""
    access.require(actor, perms.PROPOSE)
    with uow.reading() as session:
        found = queries.opening_detail_parts(session, code.strip())
    if found is None or not access.can(actor, perms.PROPOSE, department=found[0].provider_code):
        raise access.hidden()
    return OpeningDetail(opening=found[0], history=found[1])


def list_openings(uow: UnitOfWork, actor: Actor, status: str | None = None) -> list[OpeningSummary]:
    """The openings the actor manages (their department's, or all for the data authority)."""
    access.require(actor, perms.PROPOSE)
    everything = access.can(actor, perms.APPROVE)
    statuses = [status] if status else [s.value for s in Status]
    with uow.reading() as session:
        rows = queries.listing(session, statuses, None if everything else actor.department_code)
    return [queries.summary(r) for r in rows]


def home_cards(uow: UnitOfWork, actor: Actor) -> list[Card]:
    """待审批的开放申请 for the data authority; for a department's officers, their open datasets and the
    proposals the gate refused or that were withdrawn (each needs their attention)."""
    if not access.can(actor, perms.PROPOSE):
        return []
    everything = access.can(actor, perms.APPROVE)
    with uow.reading() as session:
        rows = queries.listing(session, [s.value for s in Status], None if everything else actor.department_code)
    count = {s: sum(1 for r in rows if r["status"] == s.value) for s in Status}
    whose = "全市" if everything else "本部门"
    cards = [Card(f"{whose}已开放的数据集", count[Status.OPEN], "/opendata")]
    if everything:
        cards.append(Card("待审批的开放申请", count[Status.PROPOSED], "/opendata",
                          "warning" if count[Status.PROPOSED] else "normal"))
    attention = count[Status.REFUSED] + count[Status.WITHDRAWN]
    if attention:
        cards.append(Card(f"{whose}未通过隐私检查或已撤回", attention, "/opendata", "warning",
                          f"未通过 {count[Status.REFUSED]} 项，已撤回 {count[Status.WITHDRAWN]} 项"))
    return cards
