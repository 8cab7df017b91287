"""A citizen asks a policy question on the public page (no sign-in), sees the answering clause with its
citation and the answering sentence highlighted, and follows the citation to the clause on the document page."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from zhengshu.apps.policy import service
from zhengshu.kernel.actor import system_actor
from zhengshu.modules import Platform

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def test_a_question_is_answered_and_its_citation_leads_to_the_clause(platform: Platform, live_server: str,
                                                                      browser: Browser, tmp_path: Path) -> None:
    for name in ("wangluoanquanfa-2016.txt", "gz-shebaoka-shenling-2026.txt"):
        service.import_file(platform.uow(), system_actor("test"), CORPUS / name)
    page = browser.new_page(locale="zh-CN")
    page.goto(f"{live_server}/policy")
    page.get_by_label("您的问题").fill("网络日志要保存多久？")
    page.get_by_role("button", name="提问").click()

    citation = page.get_by_test_id("citation").first
    expect(citation).to_have_text("《中华人民共和国网络安全法》（中华人民共和国主席令第五十三号）第二十一条")
    expect(page.get_by_test_id("answers").locator("mark").first).to_contain_text("留存相关的网络日志不少于六个月")
    page.screenshot(path=str(tmp_path / "answer.png"), full_page=True)

    citation.click()
    expect(page).to_have_url(f"{live_server}/policy/documents/{_code(citation_url := page.url)}#p22")
    clause = page.locator("#p22")
    expect(clause).to_be_visible()
    expect(clause).to_contain_text("第二十一条")
    expect(clause).to_contain_text("不少于六个月")
    expect(page.get_by_test_id("validity")).to_contain_text("现行有效")
    assert page.evaluate("document.querySelector(':target')?.id") == "p22", citation_url

    page.goto(f"{live_server}/policy?q=" + "火星移民签证的申请条件")
    expect(page.get_by_test_id("no-answer")).to_contain_text("没有找到")


def _code(url: str) -> str:
    return url.split("/policy/documents/")[1].split("#")[0]
