"""Read-side SQL of open data: openings as the portal and the staff see them, developers, applications and
usage statistics."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhengshu.core.opendata.domain.opening import LICENCES, THEMES, Kind, Status
from zhengshu.core.opendata.schemas import (
    ApplicationView,
    HistoryView,
    ItemView,
    Labelled,
    OpeningSummary,
    OpeningView,
    UsageRow,
    UsageStats,
)
from zhengshu.core.opendata.tables import applications, developers, history, openings, usage

OPEN_TYPES = {"unconditional": "无条件开放", "conditional": "有条件开放"}
ACTIONS = {"proposed": "提出开放", "refused": "未通过隐私检查", "approved": "批准开放", "rejected": "驳回",
           "refreshed": "更新为新版本", "withdrawn": "撤回"}
APPLICATION_STATUS = {"pending": "待审核", "approved": "已通过", "rejected": "未通过"}


def _labelled(value: str, labels: dict[str, Any]) -> Labelled:
    label = labels.get(value, value)
    return Labelled(value=value, label=label[0] if isinstance(label, tuple) else label)


def opening_row(session: Session, code: str) -> dict[str, Any] | None:
    row = session.execute(select(openings).where(openings.c.code == code)).mappings().first()
    return dict(row) if row else None


def _uses(session: Session, codes: Iterable[str] | None = None) -> dict[tuple[str, str], int]:
    query = select(usage.c.code, usage.c.kind, func.sum(usage.c.count)).group_by(usage.c.code, usage.c.kind)
    if codes is not None:
        query = query.where(usage.c.code.in_(list(codes)))
    return {(r[0], r[1]): int(r[2]) for r in session.execute(query)}


def opening_view(row: dict[str, Any], uses: dict[tuple[str, str], int] | None = None) -> OpeningView:
    uses = uses or {}
    code = row["code"]
    return OpeningView(
        code=code, title=row["title"], description=row["description"], entry_code=row["entry_code"],
        provider_code=row["provider_code"], provider_name=row["provider_name"],
        kind=Labelled(value=row["kind"], label=Kind(row["kind"]).title), theme=_labelled(row["theme"], THEMES),
        licence=_labelled(row["licence"], LICENCES), licence_url=LICENCES.get(row["licence"], ("", ""))[1],
        open_type=_labelled(row["open_type"], OPEN_TYPES), open_condition=row["open_condition"],
        format=Labelled(value=row["format"], label=row["format"]),
        update_cycle=Labelled(value=row["update_cycle"], label=row["update_cycle"]),
        status=Labelled(value=row["status"], label=Status(row["status"]).title), fields=list(row["fields"]),
        view=row["view"], columns=[ItemView(**c) for c in row["columns"] or []], row_count=row["row_count"],
        served_version=row["served_version"], gate_report=row["gate_report"], note=row["note"],
        opened_at=row["opened_at"], updated_at=row["updated_at"],
        downloads=uses.get((code, "download"), 0), api_calls=uses.get((code, "api"), 0))


def opening_detail_parts(session: Session, code: str) -> tuple[OpeningView, list[HistoryView]] | None:
    row = opening_row(session, code)
    if row is None:
        return None
    found = session.execute(select(history).where(history.c.opening_id == row["id"])
                            .order_by(history.c.occurred_at.desc(), history.c.id.desc())).mappings()
    return opening_view(row, _uses(session, [code])), [
        HistoryView(action=h["action"], action_title=ACTIONS.get(h["action"], h["action"]),
                    source_version=h["source_version"], row_count=h["row_count"], note=h["note"],
                    occurred_at=h["occurred_at"]) for h in found]


LISTED = ("code", "entry_code", "title", "description", "provider_name", "theme", "open_type", "format",
          "update_cycle", "status", "row_count", "updated_at")


def listing(session: Session, statuses: Iterable[str], provider: str | None = None) -> list[dict[str, Any]]:
    """Openings in these states (a department's only, when named) as plain rows of what lists and search need
    (no JSON columns), each with `uses`: its downloads and API calls."""
    query = select(*(openings.c[name] for name in LISTED)).where(openings.c.status.in_(list(statuses)))
    if provider is not None:
        query = query.where(openings.c.provider_code == provider)
    uses = dict(session.execute(select(usage.c.code, func.sum(usage.c.count))
                                .where(usage.c.kind.in_(("download", "api"))).group_by(usage.c.code)).all())
    rows = [dict(zip(LISTED, r, strict=True)) for r in session.execute(query.order_by(openings.c.code)).all()]
    for row in rows:
        row["uses"] = int(uses.get(row["code"], 0))
    return rows


def summary(r: dict[str, Any]) -> OpeningSummary:
    return OpeningSummary(
        code=r["code"], title=r["title"], description=r["description"], provider_name=r["provider_name"],
        theme=_labelled(r["theme"], THEMES), open_type=_labelled(r["open_type"], OPEN_TYPES),
        format=Labelled(value=r["format"], label=r["format"]),
        update_cycle=Labelled(value=r["update_cycle"], label=r["update_cycle"]),
        status=Labelled(value=r["status"], label=Status(r["status"]).title), row_count=r["row_count"],
        updated_at=r["updated_at"], uses=r["uses"])


def open_rows(session: Session) -> list[dict[str, Any]]:
    """Every open opening (the sitemap, the DCAT catalogue, the recheck sweep)."""
    query = select(openings).where(openings.c.status == Status.OPEN.value).order_by(openings.c.code)
    return [dict(r) for r in session.execute(query).mappings()]


def developer_by_prefix(session: Session, prefix: str) -> dict[str, Any] | None:
    row = session.execute(select(developers).where(developers.c.key_prefix == prefix)).mappings().first()
    return dict(row) if row else None


def approved_application(session: Session, opening_id: int, developer_id: int) -> bool:
    return session.execute(select(applications.c.id).where(
        applications.c.opening_id == opening_id, applications.c.developer_id == developer_id,
        applications.c.status == "approved")).first() is not None


def pending_application(session: Session, opening_id: int, developer_id: int) -> bool:
    return session.execute(select(applications.c.id).where(
        applications.c.opening_id == opening_id, applications.c.developer_id == developer_id,
        applications.c.status == "pending")).first() is not None


def application_views(session: Session, provider: str | None = None,
                      application_id: int | None = None) -> list[ApplicationView]:
    query = (select(applications, openings.c.code, openings.c.title, openings.c.provider_code,
                    developers.c.name.label("developer_name"), developers.c.email)
             .join(openings, openings.c.id == applications.c.opening_id)
             .join(developers, developers.c.id == applications.c.developer_id)
             .order_by(applications.c.created_at.desc()))
    if provider is not None:
        query = query.where(openings.c.provider_code == provider)
    if application_id is not None:
        query = query.where(applications.c.id == application_id)
    return [ApplicationView(id=r["id"], code=r["code"], title=r["title"], developer_name=r["developer_name"],
                            developer_email=r["email"], purpose=r["purpose"],
                            status=_labelled(r["status"], APPLICATION_STATUS), note=r["note"],
                            created_at=r["created_at"], reviewed_at=r["reviewed_at"])
            for r in session.execute(query).mappings()]


def usage_stats(session: Session, since: date, top: int = 20) -> UsageStats:
    recent = usage.c.day >= since
    totals = {k: int(n) for k, n in session.execute(
        select(usage.c.kind, func.sum(usage.c.count)).where(recent).group_by(usage.c.kind))}
    by_day = [{"day": d.isoformat(), "kind": k, "count": int(n)} for d, k, n in session.execute(
        select(usage.c.day, usage.c.kind, func.sum(usage.c.count)).where(recent)
        .group_by(usage.c.day, usage.c.kind).order_by(usage.c.day))]
    per: dict[str, dict[str, int]] = {}
    for code, kind, n in session.execute(select(usage.c.code, usage.c.kind, func.sum(usage.c.count))
                                         .where(recent).group_by(usage.c.code, usage.c.kind)):
        per.setdefault(code, {})[kind] = int(n)
    titles = dict(session.execute(select(openings.c.code, openings.c.title)).all())
    rows = sorted((UsageRow(code=c, title=titles.get(c, c), downloads=u.get("download", 0),
                            api_calls=u.get("api", 0), views=u.get("view", 0)) for c, u in per.items()),
                  key=lambda r: (-(r.downloads + r.api_calls + r.views), r.code))
    names = {r[0]: (r[1], r[2]) for r in session.execute(
        select(developers.c.key_prefix, developers.c.name, developers.c.organisation))}
    by_developer = [{"developer": names.get(p, (p, ""))[0], "organisation": names.get(p, ("", ""))[1],
                     "api_calls": int(n)} for p, n in session.execute(
        select(usage.c.developer, func.sum(usage.c.count)).where(recent, usage.c.developer != "",
                                                                 usage.c.kind == "api")
        .group_by(usage.c.developer).order_by(func.sum(usage.c.count).desc()).limit(top))]
    count = session.execute(select(func.count()).select_from(developers)).scalar_one()
    return UsageStats(since=since, downloads=totals.get("download", 0), api_calls=totals.get("api", 0),
                      views=totals.get("view", 0), developers=int(count), by_day=by_day, top=rows[:top],
                      by_developer=by_developer)
