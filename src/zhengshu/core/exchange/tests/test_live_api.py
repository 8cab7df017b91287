"""Resources mounted on a department's live API (部门接口), on SQLite and PostgreSQL: a real HTTP server on
loopback plays 市公安局's adapter. The exchange passes the filters (the grant's row scope included), keeps
only the planned columns, masks and audits as for a dataset; an adapter that hangs, fails, answers garbage or
returns rows outside the grant's scope fails the call with a clear 502/504, audited as a failure, and leaks
nothing it sent."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from httpx import Response

from zhengshu.core.catalog import service as catalog
from zhengshu.core.catalog.schemas import MountInput
from zhengshu.core.exchange.tests.conftest import POLICE_OFFICER, City, entry, grant_resource, id_number, people
from zhengshu.core.exchange.upstream import FieldFilter, meets
from zhengshu.kernel.errors import InvalidInput

TIMEOUT = 0.5


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"exchange_live_api_timeout_seconds": TIMEOUT}


class Adapter(ThreadingHTTPServer):
    """市公安局's adapter over the same residents as the dataset; `mode` decides how it misbehaves."""

    daemon_threads = True
    mode = "ok"
    seen: list[list[tuple[str, str]]]


class Handler(BaseHTTPRequestHandler):
    server: Adapter

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        params = parse_qsl(urlsplit(self.path).query, keep_blank_values=True)
        self.server.seen.append(params)
        mode = self.server.mode
        if mode == "hang":
            time.sleep(TIMEOUT * 10)
        if mode == "status":
            return self._send(500, b'{"error": "db down"}')
        if mode == "garbage":
            return self._send(200, b"<html>\xe7\xbb\xb4\xe6\x8a\xa4\xe4\xb8\xad</html>", "text/html")
        rows = people().with_columns(people()["出生日期"].cast(str)).to_dicts()
        grouped: dict[str, list[str]] = {}
        for key, value in params:
            if "[" in key:
                grouped.setdefault(key, []).append(value)
        conditions = [FieldFilter(k.split("[")[0], k.split("[")[1].rstrip("]"), tuple(v) if len(v) > 1 else v[0])
                      for k, v in grouped.items()]
        if mode != "leaky":
            rows = [r for r in rows if all(meets(r.get(c.field), c) for c in conditions)]
        if mode == "nested":
            rows = [{**r, "姓名": {"value": r["姓名"]}} for r in rows]
        limit = int(dict(params)["limit"])
        body = {"records": rows if mode == "too_many" else rows[:limit], "next": None}
        self._send(200, json.dumps(body, ensure_ascii=False).encode())

    def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def adapter() -> Iterator[Adapter]:
    server = Adapter(("127.0.0.1", 0), Handler)
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def live(city: City, adapter: Adapter) -> str:
    """A second entry of 市公安局, mounted on its adapter, published and granted like the first."""
    police = POLICE_OFFICER
    code = catalog.register_entry(city.platform.uow(), police, entry()).entry.code
    url = f"http://127.0.0.1:{adapter.server_address[1]}/hukou"
    catalog.mount_entry(city.platform.uow(), police, code, MountInput(kind="live_api", reference=url))
    catalog.publish_entry(city.platform.uow(), police, code)
    grant_resource(city.platform, code, city.client_key)
    return code


def ok(response: Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def test_reads_through_the_live_api_are_scoped_masked_and_audited(city: City, adapter: Adapter, live: str,
                                                                   exchange_audit) -> None:
    page = ok(city.read({"fields": "公民身份号码,姓名"}, resource=live))
    dataset = ok(city.read({"fields": "公民身份号码,姓名"}))
    assert page["rows"] == dataset["rows"] and page["count"] == 6  # the same residents, masked the same way
    assert {tuple(sorted(r)) for r in page["rows"]} == {("公民身份号码", "姓名")}
    [asked] = adapter.seen
    assert ("区划[eq]", "130302") in asked  # the grant's row scope went to the adapter
    assert dict(asked)["fields"] == "公民身份号码,姓名,区划" and dict(asked)["limit"] == "50"
    filtered = ok(city.read({"区划[in]": ["130302", "130303"], "limit": "4"}, resource=live))
    assert filtered["count"] == 4 and {("区划[in]", "130303"), ("区划[eq]", "130302")} <= set(adapter.seen[1])
    records = [r for r in exchange_audit() if r["target"] == f"catalog_entry:{live}"]
    assert [r["outcome"] for r in records] == ["success", "success"]
    assert records[0]["subjects"] and records[0]["rows"] == 6


def test_verification_through_the_live_api(city: City, live: str) -> None:
    yes = ok(city.verify({"key": {"公民身份号码": id_number(2)}, "claims": {"姓名": "王小2"}}, resource=live))
    no = ok(city.verify({"key": {"公民身份号码": id_number(2)}, "claims": {"姓名": "王小3"}}, resource=live))
    assert yes["match"] is True and no["match"] is False


@pytest.mark.parametrize(("mode", "status", "reason"), [
    ("hang", 504, "upstream_timeout"),
    ("status", 502, "upstream_status"),
    ("garbage", 502, "upstream_garbage"),
    ("nested", 502, "upstream_garbage"),
    ("too_many", 502, "upstream_garbage"),
    ("leaky", 502, "upstream_out_of_scope"),
])
def test_a_failing_adapter_fails_the_call_clearly_and_leaks_nothing(city: City, adapter: Adapter, live: str,
                                                                     exchange_audit, mode: str, status: int,
                                                                     reason: str) -> None:
    adapter.mode = mode
    started = time.monotonic()
    response = city.read({"limit": "3"}, resource=live)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["details"]["reason"] == reason and "部门接口" in error["message"]
    assert "小" not in response.text and "130303" not in response.text  # no resident leaks out
    assert mode != "hang" or time.monotonic() - started < TIMEOUT * 6  # the deadline, not the adapter, ended it
    [record] = [r for r in exchange_audit() if r["target"] == f"catalog_entry:{live}"]
    assert (record["outcome"], record["reason"], record["rows"], record["subjects"]) == ("failure", reason, 0, [])


def test_an_unreachable_adapter_is_a_clear_502(city: City, adapter: Adapter, live: str) -> None:
    adapter.shutdown()
    adapter.server_close()
    response = city.read(resource=live)
    assert response.status_code == 502 and response.json()["error"]["details"]["reason"] == "upstream_unreachable"


def test_mounting_needs_https_except_on_this_host(city: City) -> None:
    code = catalog.register_entry(city.platform.uow(), POLICE_OFFICER, entry()).entry.code
    for url in ("http://api.gongan.qhd.gov.cn/hukou", "http://10.0.0.8/hukou", "ftp://127.0.0.1/x"):
        with pytest.raises(InvalidInput):
            catalog.mount_entry(city.platform.uow(), POLICE_OFFICER, code, MountInput(kind="live_api", reference=url))
    for url in ("https://api.gongan.qhd.gov.cn/hukou", "http://localhost:8081/hukou"):
        catalog.mount_entry(city.platform.uow(), POLICE_OFFICER, code, MountInput(kind="live_api", reference=url))


def test_conditions_on_values_as_the_store_reads_them() -> None:
    assert meets("130302", FieldFilter("区划", "eq", "130302")) and not meets(None, FieldFilter("区划", "eq", "x"))
    assert meets(None, FieldFilter("区划", "ne", "x")) and meets(12, FieldFilter("n", "gt", "9"))  # numbers
    assert meets("b", FieldFilter("s", "gt", "a")) and meets("10", FieldFilter("s", "lt", "9"))  # text is text
    assert not meets(10, FieldFilter("n", "lt", "9")) and not meets(True, FieldFilter("n", "eq", "1"))
    assert meets("130302", FieldFilter("区划", "in", ("130301", "130302")))
    assert meets("河北省秦皇岛市", FieldFilter("a", "prefix", "河北"))
    assert meets("abc", FieldFilter("a", "contains", "b")) and not meets("abc", FieldFilter("a", "contains", "d"))
