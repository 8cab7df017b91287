"""HTML routes of data quality: 质量总览 (the departments' ranking and the lowest-scoring resources), a
department's resources, a resource's quality report with its trend chart, its rule set as editable JSON, and a
load's report as an XLSX download."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from zhengshu.core.quality import service
from zhengshu.core.quality.schemas import DIMENSIONS, ResourceReport, RuleSetInForce
from zhengshu.kernel.errors import InvalidInput
from zhengshu.web.csrf import require_csrf
from zhengshu.web.dependencies import ActorDep, UnitOfWorkDep
from zhengshu.web.templating import render

router = APIRouter(include_in_schema=False)
CSRF = [Depends(require_csrf)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_TEXT = 200_000  # characters of a rule set typed into the form


async def _form(request: Request) -> FormData:
    return await request.form()  # read once; Starlette keeps it for the CSRF check too


Form = Annotated[FormData, Depends(_form)]


@router.get("/quality", response_class=HTMLResponse)
def overview(request: Request, uow: UnitOfWorkDep, actor: ActorDep) -> Response:
    return render(request, "quality/overview.html", {"overview": service.quality_overview(uow, actor)})


@router.get("/quality/departments/{code}", response_class=HTMLResponse)
def department(request: Request, code: str, uow: UnitOfWorkDep, actor: ActorDep) -> Response:
    return render(request, "quality/department.html", {"report": service.department_report(uow, actor, code)})


def _trend_chart(report: ResourceReport) -> dict[str, Any]:
    """The trend as the chart reads it: one point per load (oldest first), one series per dimension."""
    return {"loads": [t.load_id for t in report.trend],
            "times": [t.evaluated_at.isoformat() for t in report.trend],
            "series": [{"name": d, "data": [t.scores.get(d) for t in report.trend]} for d in DIMENSIONS]}


@router.get("/quality/resources/{code}", response_class=HTMLResponse)
def resource(request: Request, code: str, uow: UnitOfWorkDep, actor: ActorDep, done: str | None = None) -> Response:
    report = service.resource_report(uow, actor, code)
    return render(request, "quality/resource.html", {
        "report": report, "chart": _trend_chart(report), "dimensions": DIMENSIONS, "done": done,
        "rules_json": _pretty(report.rules)})


def _pretty(rules: RuleSetInForce) -> str:
    return json.dumps(rules.rule_set.dump(), ensure_ascii=False, indent=2)


@router.get("/quality/resources/{code}/rules", response_class=HTMLResponse)
def rules_page(request: Request, code: str, uow: UnitOfWorkDep, actor: ActorDep, suggest: bool = False) -> Response:
    rules = service.rule_set_document(uow, actor, code)
    text = json.dumps(service.suggest_rules(uow, actor, code).dump(), ensure_ascii=False, indent=2) if suggest \
        else _pretty(rules)
    return render(request, "quality/rules.html", {"rules": rules, "text": text, "suggested": suggest})


@router.post("/quality/resources/{code}/rules", dependencies=CSRF)
def save_rules(request: Request, code: str, uow: UnitOfWorkDep, actor: ActorDep, form: Form) -> Response:
    text = form.get("text", "")
    text = text if isinstance(text, str) else ""
    try:
        if len(text) > MAX_TEXT:
            raise InvalidInput(f"规则集过长（至多 {MAX_TEXT} 个字符）", field="text")
        saved = service.save_rule_set_text(uow, actor, code, text)
    except InvalidInput as exc:
        rules = service.rule_set_document(uow, actor, code)
        return render(request, "quality/rules.html", {"rules": rules, "text": text, "error": exc.message},
                      status_code=400)
    return RedirectResponse(f"/quality/resources/{saved.resource_code}?done=rules", status_code=303)


def _attachment(name: str) -> str:
    """Content-Disposition with the UTF-8 name (RFC 6266/5987) and an ASCII stand-in for old clients."""
    plain = "quality-" + re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_-")
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


@router.get("/quality/resources/{code}/loads/{load_id}.xlsx")
def load_workbook(code: str, load_id: str, uow: UnitOfWorkDep, actor: ActorDep) -> Response:
    name, content = service.load_report_workbook(uow, actor, code, load_id)
    return Response(content, media_type=XLSX, headers={"Content-Disposition": _attachment(name)})

