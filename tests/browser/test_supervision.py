"""Electronic supervision through the real browser, on SQLite and PostgreSQL: 市公安局's data officer opens the
department's tasks from the navigation, reports progress on 完善人口基础数据库 (the seed plan's task （五）1, led by
市公安局) with an attachment, and the government office's supervisor sees it on the plan's dashboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_walkthrough import PASSWORD, sign_in  # noqa: F401 (a fixture: a browser page signed in)
from zhengshu.apps.supervision import service as supervision
from zhengshu.apps.supervision.tests.conftest import SEED_PLAN, SUPERVISOR
from zhengshu.core.identity import service as identity
from zhengshu.core.identity.schemas import UserCreate
from zhengshu.kernel.actor import system_actor
from zhengshu.modules import Platform


@pytest.fixture
def plan_id(platform: Platform) -> int:
    system = system_actor("测试")
    identity.seed_city(platform.uow(), system)
    for username, name, code, role in (("gongan.officer", "公安数据官", "130300003", "data_officer"),
                                       ("ducha", "市政府督查员", "130300001", "supervisor")):
        identity.create_user(platform.uow(), system, UserCreate(
            username=username, display_name=name, organisation_code=code, roles=[role], password=PASSWORD))
    return supervision.import_plan(platform.uow(), SUPERVISOR, SEED_PLAN.name, SEED_PLAN.read_bytes()).plan_id


def test_a_department_reports_and_the_supervisor_sees_it(plan_id: int, sign_in, tmp_path) -> None:  # noqa: F811
    officer = sign_in("gongan.officer")
    expect(officer.get_by_text("本部门承担的督查任务")).to_be_visible()  # the home card
    officer.get_by_role("navigation", name="主导航").get_by_role("link", name="督查任务").click()
    officer.get_by_test_id("task-5.1").get_by_role("link", name="完善人口基础数据库").click()
    expect(officer.get_by_test_id("task-title")).to_have_text("（五）1 完善人口基础数据库")
    evidence = tmp_path / "出生信息汇聚情况.txt"
    evidence.write_text("已汇聚出生医学证明 12 万条。", encoding="utf-8")
    officer.get_by_label("进展状态").select_option("in_progress")
    officer.get_by_label("完成百分比").fill("65")
    officer.get_by_label("进展情况").fill("已汇聚出生、婚姻信息，正在对接社保数据。")
    officer.get_by_label("附件").set_input_files(evidence)
    officer.get_by_role("button", name="报送").click()
    expect(officer.get_by_test_id("saved")).to_have_text("已报送市公安局的进展：推进中，65%")
    expect(officer.get_by_test_id("reports")).to_contain_text("出生信息汇聚情况.txt")

    chief = sign_in("ducha")
    expect(chief.get_by_text("逾期未报送的任务进展")).to_be_visible()
    chief.get_by_role("navigation", name="主导航").get_by_role("link", name="电子督查").click()
    chief.get_by_role("link", name="秦皇岛市加强数字政府建设实施方案").click()
    expect(chief.get_by_test_id("total-tasks")).to_have_text("42")
    expect(chief.locator("#section-chart canvas")).to_have_count(1)  # ECharts drew the sections
    police = chief.get_by_test_id("department-130300003")
    expect(police).to_contain_text("市公安局")
    expect(police).to_contain_text("13%")  # 65% on one of its five tasks
    task = chief.get_by_test_id("task-5.1")
    expect(task).to_contain_text("推进中")
    task.get_by_role("link", name="完善人口基础数据库").click()
    expect(chief.get_by_test_id("assignment-130300003")).to_contain_text("65%")
    expect(chief.get_by_test_id("reports")).to_contain_text("已汇聚出生、婚姻信息，正在对接社保数据。")
    expect(chief.get_by_test_id("report-form")).to_have_count(0)  # the supervisor does not report
