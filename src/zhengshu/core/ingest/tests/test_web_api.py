"""HTTP JSON APIs: each paging mode against a real local server, and what a broken API answers."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from tests.ports import free_port

from zhengshu.core.ingest.domain import SourceUnreachable
from zhengshu.core.ingest.schemas import Paging
from zhengshu.core.ingest.tests.conftest import read_all

RECORDS = [{"证件号": f"13030219900307{i:03d}X", "序号": i} for i in range(1, 24)]


class Api(BaseHTTPRequestHandler):
    """A department's API: /page, /offset, /cursor, /link hand out RECORDS 5 at a time; others misbehave."""

    def log_message(self, *args: object) -> None:
        pass

    def send(self, status: int, body: bytes, kind: str = "application/json", headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        url = urlparse(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        path = url.path
        if path == "/page":
            start = (int(q["page"]) - 1) * int(q["size"])
            self.json({"code": 0, "data": RECORDS[start:start + int(q["size"])]})
        elif path == "/offset":
            start = int(q["offset"])
            self.json({"rows": RECORDS[start:start + int(q["limit"])]})
        elif path == "/cursor":
            start = int(q.get("after", 0))
            more = start + 5 < len(RECORDS)
            self.json({"result": {"items": RECORDS[start:start + 5]}, "next": str(start + 5) if more else None})
        elif path == "/link":
            start = int(q.get("from", 0))
            more = start + 5 < len(RECORDS)
            links = {"Link": f'</link?from={start + 5}>; rel="next"'} if more else {}
            self.send(200, json.dumps(RECORDS[start:start + 5]).encode(), headers=links)
        elif path == "/all":
            self.json({"total": 2, "list": RECORDS[:2]})
        elif path == "/html":
            self.send(200, "<!DOCTYPE html><html><body>请登录</body></html>".encode(), "text/html")
        elif path == "/garbage":
            self.send(200, b"\x00\x01not json at all")
        elif path == "/error":
            self.send(500, b'{"message": "database down"}')
        elif path == "/slow":
            time.sleep(3)
            self.json([])
        elif path == "/broken-second-page":
            if q.get("page") == "1":
                self.json({"data": RECORDS[:5]})
            else:
                self.send(502, b"<html><body>Bad Gateway</body></html>", "text/html")
        else:
            self.send(404, b"{}")

    def json(self, body: object) -> None:
        self.send(200, json.dumps(body, ensure_ascii=False).encode())


@pytest.fixture(scope="module")
def api():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


EXPECTED = [{"证件号": r["证件号"], "序号": str(r["序号"])} for r in RECORDS]


@pytest.mark.parametrize(("path", "paging", "records_path"), [
    ("/page", Paging(mode="page", page_size=5), "data"),
    ("/offset", Paging(mode="offset", size_param="limit", page_size=5), None),
    ("/cursor", Paging(mode="cursor", cursor_param="after", next_path="next"), "result.items"),
    ("/link", Paging(mode="link", next_path="links.next"), None),
])
def test_each_paging_mode_reads_every_record_once_in_order(api, path, paging, records_path) -> None:
    back = read_all(api + path, paging=paging, records_path=records_path)
    assert back.columns == ["证件号", "序号"]
    assert back.records == EXPECTED and back.rows == list(range(1, 24))


def test_no_paging_and_records_found_under_the_first_list(api) -> None:
    back = read_all(api + "/all")
    assert back.records == EXPECTED[:2] and back.detected["paging"] == "none"


def test_max_pages_stops_a_walk(api) -> None:
    back = read_all(api + "/page", paging=Paging(mode="page", page_size=5, max_pages=2), records_path="data")
    assert len(back.records) == 10


@pytest.mark.parametrize(("path", "problem"), [
    ("/html", "返回的是网页（HTML，HTTP 200）而不是 JSON"),
    ("/garbage", "返回的内容不是合法的 JSON"),
    ("/error", "返回 HTTP 500：{\"message\": \"database down\"}"),
    ("/nothing", "返回 HTTP 404"),
])
def test_what_is_not_json_records_is_named(api, path, problem) -> None:
    with pytest.raises(SourceUnreachable, match="第 1 页" + problem.replace("(", r"\(").replace(")", r"\)")):
        read_all(api + path)


def test_a_failure_on_a_later_page_names_the_page(api) -> None:
    with pytest.raises(SourceUnreachable, match="第 2 页返回的是网页"):
        read_all(api + "/broken-second-page", paging=Paging(mode="page", page_size=5), records_path="data")


def test_a_slow_api_times_out(api) -> None:
    with pytest.raises(SourceUnreachable, match="请求超时（1 秒）"):
        read_all(api + "/slow", timeout_seconds=1)


def test_an_api_that_refuses_the_connection_is_named() -> None:
    with pytest.raises(SourceUnreachable, match="第 1 页无法连接"):
        read_all(f"http://127.0.0.1:{free_port()}/data")
