"""The fusion report and review queue through the real browser, on SQLite and PostgreSQL: the data authority
sees the clusters awaiting review on the home page, opens 基础库融合 from the navigation, reads the registry's
report, opens the doubtful cluster, ticks the row that is someone else and splits it off; the next run applies
the decision and the queue is empty."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from zhengshu.core.fusion import service
from zhengshu.core.fusion.tests import toy
from zhengshu.core.fusion.tests.conftest import SYSTEM, declared, fused  # noqa: F401 (fixtures)
from zhengshu.core.identity import service as identity
from zhengshu.core.identity.schemas import UserCreate

PASSWORD = "Qhd-Data-2026!"


def test_the_authority_splits_a_doubtful_cluster(fused, declared, browser: Browser, live_server: str) -> None:  # noqa: F811
    platform, store, _ = fused
    service.run_fusion(platform.uow(), SYSTEM, store, toy.spec())
    identity.create_user(platform.uow(), SYSTEM, UserCreate(
        username="authority.admin", display_name="数据主管部门管理员", organisation_code=toy.AUTHORITY_DEPT,
        roles=["platform_admin"], password=PASSWORD))
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("用户名").fill("authority.admin")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("测试人口库待复核的簇")).to_be_visible()
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="基础库融合").click()
    page.get_by_test_id("registries").get_by_role("link", name="测试人口库").click()
    expect(page.get_by_test_id("links")).to_contain_text("市人社局/社保参保")
    expect(page.get_by_test_id("runs")).to_contain_text("全量")
    page.get_by_test_id("review").get_by_role("link").first.click()
    expect(page.get_by_test_id("values")).to_contain_text("张5")
    members = page.get_by_test_id("members")
    members.get_by_role("row").filter(has_text="概率匹配").get_by_role("checkbox").check()
    page.get_by_role("button", name="把勾选的行拆为另一对象").click()
    expect(page.get_by_test_id("done")).to_contain_text("下次融合时生效")
    run = service.run_fusion(platform.uow(), SYSTEM, store, toy.spec())
    assert run.counts["records"] == 7
    page.reload()
    expect(page.get_by_test_id("review")).to_contain_text("没有待复核的簇")
    context.close()
