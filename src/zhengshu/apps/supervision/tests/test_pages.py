"""The supervision pages and JSON routes through the real application: a supervisor imports the seed plan by
upload and reads the dashboard; a data officer finds the department's tasks and reports with an attachment;
bad input is said on the form; others get "not found"."""

from __future__ import annotations

from urllib.parse import quote

from conftest import csrf, page, web_as

from zhengshu.apps.supervision import service
from zhengshu.apps.supervision.schemas import PlanImportResult
from zhengshu.apps.supervision.tests.conftest import ANALYST, POLICE, POLICE_OFFICER, SEED_PLAN, SUPERVISOR
from zhengshu.modules import Platform


def _task_id(platform: Platform, plan_id: int, code: str) -> int:
    return next(t.id for t in service.list_tasks(platform.uow(), SUPERVISOR, plan_id) if t.code == code)


def test_a_supervisor_imports_a_plan_by_upload(seeded: Platform, seed_plan: bytes) -> None:
    with web_as(seeded, SUPERVISOR) as (client, _):
        html = page(client.get("/supervision"))
        assert "尚未导入实施方案" in html and 'href="/supervision"' in html
        token = csrf(html)
        done = page(client.post("/supervision/plans", data={"csrf_token": token, "cycle": "monthly"},
                                files={"file": (SEED_PLAN.name, seed_plan, "text/plain")}))
        assert "已导入《秦皇岛市加强数字政府建设实施方案》：10 个部分，共 42 项任务" in done
        refused = page(client.post("/supervision/plans", data={"csrf_token": token},
                                   files={"file": ("scan.pdf", b"%PDF-1.4", "application/pdf")}), 400)
        assert "不支持的文件类型" in refused
        twice = page(client.post("/supervision/plans", data={"csrf_token": token},
                                 files={"file": (SEED_PLAN.name, seed_plan, "text/plain")}), 400)
        assert "已导入同名方案《秦皇岛市加强数字政府建设实施方案》" in twice
        [plan] = service.list_plans(seeded.uow(), SUPERVISOR)
        board = page(client.get(f"/supervision/plans/{plan.id}"))
        assert 'data-testid="total-tasks">42<' in board and "构建全市政务“一朵云”" in board
        assert 'id="section-chart"' in board and "（十）" in board
        assert 'data-testid="department-130300001"' in board  # 市政府办公室 in the department table
        overdue = page(client.get(f"/supervision/plans/{plan.id}", params={"show": "overdue"}))
        assert "没有符合条件的任务" in overdue
        xlsx = client.get(f"/supervision/plans/{plan.id}/report.xlsx")
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
        assert quote("督查台账-秦皇岛市加强数字政府建设实施方案.xlsx", safe="") in xlsx.headers["content-disposition"]


def test_an_officer_reports_with_an_attachment(seeded: Platform, imported: PlanImportResult) -> None:
    task = _task_id(seeded, imported.plan_id, "5.1")  # 完善人口基础数据库, led by 市公安局
    with web_as(seeded, POLICE_OFFICER) as (client, _):
        assert client.get("/supervision").headers["location"] == "/supervision/mine"
        mine = page(client.get("/supervision/mine"))
        assert "完善人口基础数据库" in mine and "构建全市政务“一朵云”" not in mine
        html = page(client.get(f"/supervision/tasks/{task}"))
        token = csrf(html)
        assert 'data-testid="report-form"' in html
        bad = page(client.post(f"/supervision/tasks/{task}/reports", data={
            "csrf_token": token, "status": "completed", "percent": "80", "text": "已汇聚出生信息"}), 400)
        assert "状态为“已完成”时完成百分比应为 100" in bad and "已汇聚出生信息</textarea>" in bad
        done = page(client.post(f"/supervision/tasks/{task}/reports", data={
            "csrf_token": token, "status": "in_progress", "percent": "60", "text": "已汇聚出生信息",
            "organisation_code": POLICE}, files=[("attachments", ("进展.txt", "说明".encode(), "text/plain"))]))
        assert "已报送市公安局的进展：推进中，60%" in done and "进展.txt</a>" in done
        other = _task_id(seeded, imported.plan_id, "1.1")
        assert client.get(f"/supervision/tasks/{other}").status_code == 404
        assert client.get(f"/supervision/plans/{imported.plan_id}").status_code == 404
    detail = service.task_detail(seeded.uow(), SUPERVISOR, task)
    attachment = detail.reports[0].attachments[0].id
    with web_as(seeded, ANALYST) as (client, _):
        file = client.get(f"/supervision/attachments/{attachment}")
        assert file.status_code == 200 and file.content == "说明".encode()
        assert 'action="/supervision/tasks' not in page(client.get(f"/supervision/tasks/{task}"))  # no forms


def test_the_json_routes(seeded: Platform, imported: PlanImportResult) -> None:
    task = _task_id(seeded, imported.plan_id, "5.1")
    with web_as(seeded, POLICE_OFFICER) as (client, _):
        posted = client.post(f"/api/v1/supervision/tasks/{task}/reports",
                             json={"status": "in_progress", "percent": 20, "text": "启动"})
        assert posted.status_code == 201 and posted.json()["organisation"]["name"] == "市公安局"
        bad = client.post(f"/api/v1/supervision/tasks/{task}/reports",
                          json={"status": "in_progress", "percent": 120, "text": "启动"})
        assert bad.status_code == 400 and bad.json()["error"]["field"] == "percent"
        listed = client.get(f"/api/v1/supervision/plans/{imported.plan_id}/tasks").json()
        assert [t["code"] for t in listed] == ["1.3", "2.3", "5.1", "5.2", "10.1"]
    with web_as(seeded, ANALYST) as (client, _):
        board = client.get(f"/api/v1/supervision/plans/{imported.plan_id}/dashboard").json()
        assert board["tasks"] == 42 and board["in_progress"] == 1
