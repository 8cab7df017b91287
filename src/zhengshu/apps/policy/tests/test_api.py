"""The public JSON routes and pages of the policy module, through the real application (no sign-in)."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_ask_returns_ranked_passages_with_citations(web: TestClient) -> None:
    response = web.get("/api/v1/policy/ask", params={"q": "网络日志要保存多久？"})
    assert response.status_code == 200
    body = response.json()
    assert body["answered"] is True and body["passages"][0]["citation"]["clause"] == "第二十一条"
    assert body["passages"][0]["citation"]["url"].startswith("/policy/documents/")


def test_bad_questions_get_a_polite_answer_not_an_error(web: TestClient) -> None:
    for q, words in (("", "请输入"), ("长" * 2_000, "太长"), ("how long are logs kept", "中文")):
        response = web.get("/api/v1/policy/ask", params={"q": q})
        assert response.status_code == 200 and response.json()["answered"] is False
        assert words in response.json()["message"]


def test_documents_are_listed_and_shown_with_structure_and_validity(web: TestClient) -> None:
    listing = web.get("/api/v1/policy/documents", params={"validity": "expired"}).json()
    assert [d["title"] for d in listing["documents"]] == [
        "广州市民政局 广州市财政局关于印发我市2025年最低生活保障及相关社会救助标准的通知"]
    code = listing["documents"][0]["code"]
    view = web.get(f"/api/v1/policy/documents/{code}").json()
    assert view["document"]["number"] == "穗民规字〔2025〕2号" and view["passages"][0]["anchor"] == "p1"
    assert web.get("/api/v1/policy/documents/nope").status_code == 404
    assert web.get("/api/v1/policy/documents", params={"validity": "bogus"}).status_code in (400, 422)


def test_pages_need_no_sign_in(web: TestClient) -> None:
    page = web.get("/policy", params={"q": "网络日志要保存多久？"})
    assert page.status_code == 200 and "<mark>" in page.text and "第二十一条" in page.text
    listing = web.get("/policy/documents", params={"q": "网络安全"})
    assert listing.status_code == 200 and "中华人民共和国网络安全法" in listing.text
    code = web.get("/api/v1/policy/documents", params={"q": "网络安全"}).json()["documents"][0]["code"]
    document = web.get(f"/policy/documents/{code}")
    assert document.status_code == 200 and 'id="p22"' in document.text and "第三章 网络运行安全" in document.text
    expired = web.get("/api/v1/policy/documents", params={"validity": "expired"}).json()["documents"][0]["code"]
    assert "已失效" in web.get(f"/policy/documents/{expired}").text
