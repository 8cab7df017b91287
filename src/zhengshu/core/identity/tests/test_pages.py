"""The identity web pages through the real application, as a browser uses them: sign-in with CSRF-protected
forms, the dashboard, lock-out, sign-out, user and client administration, error pages, health and the
vendored static files."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from zhengshu.app import STATIC, create_app
from zhengshu.core.identity import service
from zhengshu.modules import Platform

POLICE, MARKET, AUTHORITY = "130300003", "130300004", "130300002"
SECRET_SHOWN = re.compile(r'data-testid="client-secret">([^<]+)<')


def assert_page(response: Response, status: int) -> str:
    """A Chinese HTML page, never a traceback."""
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert '<html lang="zh-CN">' in html
    assert "Traceback" not in html and 'File "' not in html
    return html


def assert_signed_out(web: TestClient) -> None:
    response = web.get("/")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/"


def login(web: TestClient, csrf_of: Callable[[str], str], username: str, password: str,
          next_path: str = "/") -> Response:
    token = csrf_of(web.get("/login").text)
    return web.post("/login", data={"username": username, "password": password, "csrf_token": token,
                                    "next": next_path})


def test_signed_out_visitors_are_sent_to_the_login_page(web: TestClient) -> None:
    assert_signed_out(web)
    html = assert_page(web.get("/login?next=/"), 200)
    assert "登录" in html and 'name="csrf_token"' in html


def test_sign_in_through_the_form_shows_the_dashboard(web: TestClient, new_user, csrf_of, password) -> None:
    new_user("zhangsan", "data_officer", name="张三")
    before = csrf_of(web.get("/login").text)
    response = login(web, csrf_of, "zhangsan", password)
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"].lower()
    assert "zhengshu_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    html = assert_page(web.get("/"), 200)
    assert "工作台" in html and "您好，张三" in html
    assert 'data-testid="current-user">张三<' in html
    assert "部门数据官" in html
    assert "/identity/clients" in html and "/identity/users" not in html  # navigation by permission
    assert csrf_of(html) != before  # a fresh session after sign-in, with a fresh CSRF token


def test_dashboard_counts_the_city(web: TestClient, new_user, sign_in) -> None:
    new_user("fenxi", "analyst", department="130300001")
    sign_in("fenxi")
    html = assert_page(web.get("/"), 200)
    counts = html.split('data-testid="city-counts"')[1].split("</div>\n</div>")[0]  # not the modules' cards
    stats = re.findall(r'<div class="stat">(\d+)</div>', counts)
    assert stats == ["10", "58", "1", "0"]  # divisions, departments, users, clients


def test_sign_in_returns_to_the_page_asked_for(web: TestClient, new_user, csrf_of, password) -> None:
    new_user("fenxi", "analyst", department="130300001")
    response = login(web, csrf_of, "fenxi", password, next_path="/identity/organisations")
    assert response.headers["location"] == "/identity/organisations"
    html = assert_page(web.get("/identity/organisations"), 200)
    assert "秦皇岛市" in html and "北戴河海关" in html and "130324" in html


OFF_SITE = ["//evil.example/x", "https://evil.example/", "/\\evil.example", "/\t/evil.example",
            "javascript:alert(1)", "http:/evil.example"]


def assert_stays_on_site(response: Response) -> None:
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/") and not location.startswith("//")
    assert "\\" not in location and "\t" not in location
    assert urlsplit(urljoin("http://testserver/login", location)).netloc == "testserver"


def test_sign_in_never_redirects_off_site(web: TestClient, new_user, csrf_of, password) -> None:
    new_user("fenxi", "analyst", department="130300001")
    assert_stays_on_site(login(web, csrf_of, "fenxi", password, next_path=OFF_SITE[0]))
    for target in OFF_SITE:  # signed in, the login page sends you on to `next`
        assert_stays_on_site(web.get("/login", params={"next": target}))


@pytest.mark.parametrize("token", [None, "", "forged-token"], ids=["missing", "empty", "wrong"])
def test_login_without_the_right_csrf_token_is_refused(web: TestClient, new_user, password, token) -> None:
    new_user("zhangsan", "analyst")
    web.get("/login")  # the session has a token; the form below does not send it
    data = {"username": "zhangsan", "password": password, "next": "/"}
    if token is not None:
        data["csrf_token"] = token
    html = assert_page(web.post("/login", data=data), 400)
    assert "表单已过期或来源不明" in html
    assert_signed_out(web)


def test_a_csrf_token_from_another_session_is_refused(seeded: Platform, web: TestClient, new_user, password,
                                                      csrf_of) -> None:
    new_user("zhangsan", "analyst")
    with TestClient(create_app(seeded), follow_redirects=False) as attacker:
        stolen = csrf_of(attacker.get("/login").text)
    web.get("/login")
    response = web.post("/login", data={"username": "zhangsan", "password": password, "csrf_token": stolen})
    assert response.status_code == 400
    assert_signed_out(web)


def test_wrong_password_shows_a_chinese_error(web: TestClient, new_user, csrf_of) -> None:
    new_user("zhangsan", "analyst")
    html = assert_page(login(web, csrf_of, "zhangsan", "Wrong-Password-1"), 401)
    assert "用户名或密码错误。" in html
    assert 'value="zhangsan"' in html  # the username is kept, the password is not
    assert "Wrong-Password-1" not in html
    assert_signed_out(web)
    unknown = assert_page(login(web, csrf_of, "nobody", "Wrong-Password-1"), 401)
    assert "用户名或密码错误。" in unknown


def test_lock_out_message(web: TestClient, seeded: Platform, new_user, csrf_of, sql, password) -> None:
    new_user("zhangsan", "analyst")
    failures = seeded.settings.login_max_failures
    sql("UPDATE identity_users SET failed_sign_ins = :n", n=failures - 1)
    html = assert_page(login(web, csrf_of, "zhangsan", "Wrong-Password-1"), 401)
    assert "连续登录失败次数过多，账户已锁定至" in html
    html = assert_page(login(web, csrf_of, "zhangsan", password), 401)  # even the right password
    assert "账户已锁定，请于" in html
    assert_signed_out(web)


def test_logout_ends_the_session(web: TestClient, new_user, sign_in, csrf_of, audit_trail) -> None:
    new_user("zhangsan", "analyst")
    sign_in("zhangsan")
    html = assert_page(web.get("/"), 200)
    kept_cookie = web.cookies.get("zhengshu_session")
    # sign-out is a CSRF-protected form too
    assert web.post("/logout", data={}).status_code == 400
    assert web.get("/").status_code == 200
    response = web.post("/logout", data={"csrf_token": csrf_of(html)})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert_signed_out(web)
    assert audit_trail()[-1][:3] == ("identity.user_signed_out", "user:zhangsan", "user:zhangsan")
    web.cookies.clear()
    web.cookies.set("zhengshu_session", kept_cookie)  # a copy of the cookie taken before signing out
    assert_signed_out(web)


def test_a_deactivated_users_session_ends(web: TestClient, new_user, sign_in, sql) -> None:
    new_user("zhangsan", "analyst")
    sign_in("zhangsan")
    assert web.get("/").status_code == 200
    sql("UPDATE identity_users SET active = false")
    assert_signed_out(web)


# --- administration -------------------------------------------------------------------------------------

def users_form(web: TestClient, csrf_of, **values: object) -> Response:
    token = csrf_of(web.get("/identity/users").text)
    data = {"username": "zhangsan", "display_name": "张三", "organisation_code": POLICE,
            "roles": ["data_officer"], "password": "Qhd-2024-Test", "csrf_token": token, **values}
    return web.post("/identity/users", data=data)


def test_admin_creates_a_user_through_the_form(web: TestClient, seeded: Platform, new_user, sign_in, csrf_of,
                                               admin) -> None:
    new_user("guanli", "platform_admin", department=AUTHORITY)
    new_user("mallory", "analyst", name='<script>alert("x")</script>')
    sign_in("guanli")
    html = assert_page(users_form(web, csrf_of, roles=["data_officer", "approver"]), 200)
    assert "已创建用户 zhangsan" in html
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html  # names are escaped
    [created] = [u for u in service.list_users(seeded.uow(), admin) if u.username == "zhangsan"]
    assert (created.organisation_code, created.roles) == (POLICE, ["approver", "data_officer"])

    html = assert_page(users_form(web, csrf_of, username="lisi", password="weak"), 400)
    assert "密码至少 10 位" in html and 'value="lisi"' in html  # the form keeps what was typed
    html = assert_page(users_form(web, csrf_of, display_name="王五"), 409)
    assert "用户名已存在：zhangsan" in html and 'value="王五"' in html
    html = assert_page(users_form(web, csrf_of, username="lisi", roles=[]), 400)
    assert "角色" in html
    assert users_form(web, csrf_of, username="lisi", csrf_token="forged").status_code == 400
    assert sorted(u.username for u in service.list_users(seeded.uow(), admin)) == ["guanli", "mallory",
                                                                                    "zhangsan"]


def test_data_officer_sees_no_user_administration(web: TestClient, seeded: Platform, new_user, sign_in,
                                                  csrf_of, admin) -> None:
    new_user("gongan", "data_officer")
    sign_in("gongan")
    html = assert_page(web.get("/identity/users"), 404)
    assert "您访问的页面或数据不存在" in html or "未找到" in html
    token = csrf_of(web.get("/").text)
    response = web.post("/identity/users", data={
        "username": "mallory", "display_name": "M", "organisation_code": POLICE, "roles": ["platform_admin"],
        "password": "Qhd-2024-Test", "csrf_token": token})
    assert_page(response, 404)
    assert [u.username for u in service.list_users(seeded.uow(), admin)] == ["gongan"]


def test_data_officer_registers_a_client_and_sees_the_secret_once(web: TestClient, new_user, sign_in,
                                                                  csrf_of) -> None:
    new_user("gongan", "data_officer")
    sign_in("gongan")
    page = assert_page(web.get("/identity/clients"), 200)
    offered = re.findall(r'<option value="([^"]+)"', page)
    assert offered == [POLICE]  # only their own department
    response = web.post("/identity/clients", data={"name": "公安人口系统", "organisation_code": POLICE,
                                                   "csrf_token": csrf_of(page)})
    html = assert_page(response, 200)
    [secret] = SECRET_SHOWN.findall(html)
    key = re.search(r"<code[^>]*>(zs_[0-9a-f]+)</code>", html).group(1)
    again = assert_page(web.get("/identity/clients"), 200)
    assert key in again and secret not in again  # shown once only
    token = web.post("/api/v1/identity/token", json={"client_key": key, "client_secret": secret})
    assert token.status_code == 200  # and it is the real secret
    other = web.post("/identity/clients", data={"name": "冒名系统", "organisation_code": MARKET,
                                                "csrf_token": csrf_of(again)})
    assert_page(other, 404)
    assert "冒名系统" not in web.get("/identity/clients").text


def test_client_form_errors_are_shown_on_the_page(web: TestClient, new_user, sign_in, csrf_of) -> None:
    new_user("gongan", "data_officer")
    sign_in("gongan")
    token = csrf_of(web.get("/identity/clients").text)
    html = assert_page(web.post("/identity/clients", data={"name": "", "organisation_code": POLICE,
                                                           "csrf_token": token}), 400)
    assert "接入系统名称" in html


# --- the shell: errors, health, static files ------------------------------------------------------------

def test_error_pages_are_chinese_html(web: TestClient, new_user, sign_in) -> None:
    html = assert_page(web.get("/no/such/page"), 404)
    assert "您访问的页面或数据不存在。" in html
    new_user("zhangsan", "analyst")
    sign_in("zhangsan")
    assert "您访问的页面或数据不存在。" in assert_page(web.get("/identity/no-such-thing"), 404)
    assert_page(web.delete("/login"), 405)


def test_health(web: TestClient, seeded: Platform) -> None:
    response = web.get("/api/v1/health")
    assert response.status_code == 200
    health = response.json()
    assert health["ok"] is True and "audit_0001" in health["schema_revision"].split()
    assert health["backend"] == seeded.database.backend
    html = assert_page(web.get("/health"), 200)
    assert "audit_0001" in html and "正常" in html


@pytest.mark.parametrize("pattern", ["htmx-*.min.js", "echarts-*.min.js"])
def test_vendored_scripts_are_served(web: TestClient, pattern: str) -> None:
    [path] = sorted((STATIC / "vendor").glob(pattern))
    response = web.get(f"/static/vendor/{path.name}")
    assert response.status_code == 200
    assert "javascript" in response.headers["content-type"]
    assert response.content == path.read_bytes()
    assert len(response.content) > 10_000


def test_every_asset_a_page_links_is_served(web: TestClient) -> None:
    html = web.get("/login").text
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert any("htmx" in a for a in assets)
    for asset in assets:
        assert web.get(asset).status_code == 200, asset
    assert "//cdn" not in html and "unpkg" not in html
