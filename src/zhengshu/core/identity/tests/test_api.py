"""The identity JSON API through the real application: bearer tokens for departments' systems, the stable
error shape, and the OpenAPI description with its self-hosted documentation page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from zhengshu.core.identity import service
from zhengshu.core.identity.schemas import ClientCreate, CreatedClient
from zhengshu.kernel.actor import system_actor
from zhengshu.modules import Platform

POLICE, MARKET = "130300003", "130300004"
IDENTITY = "/api/v1/identity"


@pytest.fixture
def registered(seeded: Platform) -> CreatedClient:
    """A system of 市公安局 registered on the platform."""
    data = ClientCreate(name="公安人口系统", organisation_code=POLICE)
    return service.create_client(seeded.uow(), system_actor("测试"), data)


def assert_error(response: Response, status: int, code: str) -> dict:
    """The one stable error shape: {"error": {code, message, field, details}}, never a traceback."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "field", "details"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert isinstance(body["error"]["details"], dict)
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body["error"]


def get_token(web: TestClient, created: CreatedClient) -> str:
    response = web.post(f"{IDENTITY}/token", json={"client_key": created.client.client_key,
                                                    "client_secret": created.client_secret})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 900
    return body["access_token"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_client_gets_a_token_and_is_known_by_it(web: TestClient, registered: CreatedClient) -> None:
    token = get_token(web, registered)
    response = web.get(f"{IDENTITY}/me", headers=bearer(token))
    assert response.status_code == 200, response.text
    assert response.json() == {"kind": "client", "id": registered.client.client_key, "name": "公安人口系统",
                               "department_code": POLICE, "roles": []}
    # a system holds no staff permission: the user list does not exist for it
    assert_error(web.get(f"{IDENTITY}/users", headers=bearer(token)), 404, "not_found")


def test_wrong_secret_gets_no_token(web: TestClient, registered: CreatedClient) -> None:
    response = web.post(f"{IDENTITY}/token", json={"client_key": registered.client.client_key,
                                                    "client_secret": "not-the-secret"})
    error = assert_error(response, 401, "not_authenticated")
    assert error["message"] == "接入系统标识或密钥错误。"
    assert response.headers["www-authenticate"] == "Bearer"
    assert "access_token" not in response.text


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer"}, {"Authorization": "Basic dXNlcjpwdw=="}],
    ids=["none", "empty-bearer", "basic"],
)
def test_no_token_is_401_with_the_stable_shape(web: TestClient, headers: dict[str, str]) -> None:
    response = web.get(f"{IDENTITY}/me", headers=headers)
    assert_error(response, 401, "not_authenticated")
    assert response.headers["www-authenticate"] == "Bearer"


def test_forged_token_is_401(web: TestClient, seeded: Platform, registered: CreatedClient) -> None:
    token = get_token(web, registered)
    middle = len(token) // 2
    forged = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1:]
    foreign = URLSafeTimedSerializer("some-other-platform-secret", salt="zhengshu.api-token").dumps(
        {"client": registered.client.client_key})
    for bad in (forged, foreign, "garbage"):
        error = assert_error(web.get(f"{IDENTITY}/me", headers=bearer(bad)), 401, "not_authenticated")
        assert error["message"] == "访问令牌无效。"


class _AnHourAgo(TimestampSigner):
    def get_timestamp(self) -> int:
        return super().get_timestamp() - 3600


def test_expired_token_is_401(web: TestClient, seeded: Platform, registered: CreatedClient) -> None:
    """A token this platform signed an hour ago (the TTL is 15 minutes)."""
    old = URLSafeTimedSerializer(seeded.secret_key, salt="zhengshu.api-token", signer=_AnHourAgo).dumps(
        {"client": registered.client.client_key})
    error = assert_error(web.get(f"{IDENTITY}/me", headers=bearer(old)), 401, "not_authenticated")
    assert "过期" in error["message"]  # well signed: refused for its age alone


def test_deactivated_clients_token_is_401(web: TestClient, seeded: Platform, registered: CreatedClient,
                                          sql: Callable[..., list]) -> None:
    token = get_token(web, registered)
    sql("UPDATE identity_api_clients SET active = false")
    assert_error(web.get(f"{IDENTITY}/me", headers=bearer(token)), 401, "not_authenticated")


@pytest.mark.parametrize("body", ['{"client_key": "zs_1", ', "not json", '["a list"]'])
def test_malformed_json_is_422_with_the_stable_shape(web: TestClient, body: str) -> None:
    response = web.post(f"{IDENTITY}/token", content=body, headers={"Content-Type": "application/json"})
    error = assert_error(response, 422, "invalid_request")
    assert "problems" in error["details"]


def test_missing_field_is_named(web: TestClient) -> None:
    error = assert_error(web.post(f"{IDENTITY}/token", json={"client_key": "zs_1"}), 422, "invalid_request")
    assert error["field"] == "client_secret"


def test_unknown_api_path_is_json_404(web: TestClient) -> None:
    assert_error(web.get("/api/v1/identity/nothing-here"), 404, "not_found")


def signed_in_as(web: TestClient, sign_in: Callable[..., None], new_user: Callable, username: str, role: str,
                 department: str = POLICE) -> None:
    new_user(username, role, department=department)
    sign_in(username)


def test_admin_creates_users_through_the_api(web: TestClient, sign_in, new_user) -> None:
    signed_in_as(web, sign_in, new_user, "guanli", "platform_admin", department="130300002")
    assert web.get(f"{IDENTITY}/me").json()["kind"] == "user"
    body = {"username": "zhangsan", "display_name": "张三", "organisation_code": POLICE,
            "roles": ["data_officer"], "password": "Qhd-2024-Test"}
    response = web.post(f"{IDENTITY}/users", json=body)
    assert response.status_code == 201, response.text
    assert response.json()["organisation_name"] == "市公安局"
    assert "password" not in response.text and "password_hash" not in response.text
    error = assert_error(web.post(f"{IDENTITY}/users", json=body), 409, "conflict")
    assert error["field"] == "username"
    error = assert_error(web.post(f"{IDENTITY}/users", json={**body, "username": "lisi", "password": "weak"}),
                         400, "invalid_input")
    assert error["field"] == "password"


def test_a_cross_site_text_body_does_not_create_users(web: TestClient, sign_in, new_user, admin,
                                                      seeded: Platform) -> None:
    """A form on another site can post text/plain with the admin's cookie but no CORS preflight; the API
    must not read it as JSON."""
    signed_in_as(web, sign_in, new_user, "guanli", "platform_admin", department="130300002")
    body = ('{"username": "mallory", "display_name": "M", "organisation_code": "130300003", '
            '"roles": ["platform_admin"], "password": "Qhd-2024-Test"}')
    response = web.post(f"{IDENTITY}/users", content=body, headers={"Content-Type": "text/plain"})
    assert_error(response, 422, "invalid_request")
    assert "mallory" not in [u.username for u in service.list_users(seeded.uow(), admin)]


def test_data_officer_registers_clients_only_for_their_department(web: TestClient, sign_in, new_user) -> None:
    signed_in_as(web, sign_in, new_user, "gongan", "data_officer")
    response = web.post(f"{IDENTITY}/clients", json={"name": "公安人口系统", "organisation_code": POLICE})
    assert response.status_code == 201, response.text
    assert response.json()["client_secret"] and response.json()["client"]["organisation_code"] == POLICE
    assert_error(web.post(f"{IDENTITY}/clients", json={"name": "冒名系统", "organisation_code": MARKET}),
                 404, "not_found")
    assert_error(web.get(f"{IDENTITY}/users"), 404, "not_found")
    assert_error(web.post(f"{IDENTITY}/users", json={"username": "xiaoxu", "display_name": "小徐",
                                                     "organisation_code": POLICE, "roles": ["analyst"],
                                                     "password": "Qhd-2024-Test"}), 404, "not_found")


def test_organisations_for_signed_in_staff(web: TestClient, sign_in, new_user) -> None:
    assert_error(web.get(f"{IDENTITY}/organisations"), 401, "not_authenticated")
    signed_in_as(web, sign_in, new_user, "fenxi", "analyst", department="130300001")
    codes = {o["code"]: o["name"] for o in web.get(f"{IDENTITY}/organisations").json()}
    assert codes["130300"] == "秦皇岛市" and codes[POLICE] == "市公安局"


# --- the API's description and documentation page -------------------------------------------------------

IDENTITY_ROUTES = {
    f"{IDENTITY}/token": {"post"},
    f"{IDENTITY}/me": {"get"},
    f"{IDENTITY}/organisations": {"get"},
    f"{IDENTITY}/users": {"get", "post"},
    f"{IDENTITY}/clients": {"post"},
}


def test_openapi_is_3_1_and_lists_the_identity_routes(web: TestClient) -> None:
    response = web.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.1")
    for path, methods in IDENTITY_ROUTES.items():
        assert path in spec["paths"], path
        assert methods <= set(spec["paths"][path]), path
    # pages are not part of the API
    assert not any(p in spec["paths"] for p in ("/login", "/logout", "/", "/identity/users"))
    # errors are described with the one shape
    token_responses = spec["paths"][f"{IDENTITY}/token"]["post"]["responses"]
    assert token_responses["401"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")


def test_api_docs_are_self_hosted(web: TestClient) -> None:
    page = web.get("/api/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "/api/openapi.json" in html
    for asset, kind in (("/static/vendor/swagger-ui/swagger-ui-bundle.js", "javascript"),
                        ("/static/vendor/swagger-ui/swagger-ui.css", "text/css")):
        assert asset in html
        served = web.get(asset)
        assert served.status_code == 200, asset
        assert kind in served.headers["content-type"]
        assert len(served.content) > 10_000
    for cdn in ("cdn.jsdelivr.net", "unpkg.com", "cdnjs", "googleapis"):
        assert cdn not in html
