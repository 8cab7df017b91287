"""A department's HTTP JSON API (数据接口), read page by page (`schemas.Paging`), with timeouts.

Each page is read whole (at most PAGE_LIMIT_BYTES) and parsed; its records go on like a JSON document's
(`documents.add_record`), numbered from 1 across pages. What the API answers instead of JSON — an HTML error
or login page, an HTTP error, garbage — ends the read with a clear error naming the URL and the page.

Only the URL in the source description is called, and the links a `link`-paged API hands back. When sources
can be entered on the web, the hosts they may name need an allow-list (not yet: the CLI is run by operators).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx

from zhengshu.core.ingest.connectors.base import Batch, RowBatcher, SourceReader, closing_on_failure
from zhengshu.core.ingest.connectors.documents import add_record
from zhengshu.core.ingest.domain import SourceUnreachable, describe_size, looks_like_html
from zhengshu.core.ingest.schemas import SourceSpec

PAGE_LIMIT_BYTES = 64 << 20


class WebApiReader(SourceReader):
    @closing_on_failure
    def __init__(self, spec: SourceSpec) -> None:
        super().__init__(spec.display_name)
        self.spec = spec
        self.paging = spec.paging
        self._client = httpx.Client(timeout=spec.timeout_seconds, headers=spec.headers, follow_redirects=True)
        self._pages = self._walk()
        self._first = next(self._pages, [])
        self._batcher = RowBatcher(self.source, [])
        for record in self._first[:200]:
            if isinstance(record, dict):
                for key in record:
                    self._batcher.position(str(key))
        self.columns = self._batcher.columns
        self.detected = {"paging": self.paging.mode, "records_path": spec.records_path or "（自动）"}

    def _walk(self) -> Iterator[list[Any]]:
        """Each page's records, following the paging mode until a page ends it."""
        p, url, params = self.paging, self.spec.location, {}
        if p.mode == "page":
            params = {p.page_param: p.first_page, p.size_param: p.page_size}
        elif p.mode == "offset":
            params = {p.offset_param: 0, p.size_param: p.page_size}
        for page in range(1, p.max_pages + 1):
            body, headers = self._get(url, params, page)
            records = self._records(body, page)
            yield records
            if p.mode == "none" or not records:
                return
            if p.mode == "page":
                if len(records) < p.page_size:
                    return
                params = {**params, p.page_param: params[p.page_param] + 1}
            elif p.mode == "offset":
                if len(records) < p.page_size:
                    return
                params = {**params, p.offset_param: params[p.offset_param] + len(records)}
            elif p.mode == "cursor":
                cursor = _at(body, p.next_path)
                if cursor in (None, ""):
                    return
                params = {**params, p.cursor_param: cursor}
            else:  # link
                link = _at(body, p.next_path) or headers.get("next")
                if not link:
                    return
                url, params = str(httpx.URL(url).join(link)), {}

    def _get(self, url: str, params: dict[str, Any], page: int) -> tuple[Any, dict[str, str]]:
        where = f"第 {page} 页"
        try:
            with self._client.stream("GET", url, params=params or None) as response:
                content = bytearray()
                for chunk in response.iter_bytes():
                    content.extend(chunk)
                    if len(content) > PAGE_LIMIT_BYTES:
                        raise SourceUnreachable(self.source, f"{where}超过 {describe_size(PAGE_LIMIT_BYTES)}，"
                                                "请减小每页条数")
                links = {rel: value["url"] for rel, value in response.links.items()}
        except httpx.TimeoutException:
            raise SourceUnreachable(self.source, f"{where}请求超时（{self.spec.timeout_seconds:g} 秒）") from None
        except httpx.HTTPError as exc:
            raise SourceUnreachable(self.source, f"{where}无法连接：{exc}") from None
        data = bytes(content)
        if looks_like_html(data):
            raise SourceUnreachable(self.source, f"{where}返回的是网页（HTML，HTTP {response.status_code}）而不是"
                                    " JSON：可能地址有误、需要登录，或接口出错")
        if response.status_code >= 400:
            raise SourceUnreachable(self.source, f"{where}返回 HTTP {response.status_code}：{_snippet(data)}")
        try:
            return json.loads(data), links
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise SourceUnreachable(self.source, f"{where}返回的内容不是合法的 JSON：{_snippet(data)}") from None

    def _records(self, body: Any, page: int) -> list[Any]:
        path = self.spec.records_path
        found = _at(body, path) if path else body if isinstance(body, list) else next(
            (v for v in body.values() if isinstance(v, list)), None) if isinstance(body, dict) else None
        if not isinstance(found, list):
            raise SourceUnreachable(self.source, f"第 {page} 页的 JSON 中找不到记录列表"
                                    f"{'“' + path + '”' if path else '（可用 records_path 指定）'}")
        return found

    def batches(self) -> Iterator[Batch]:
        number = 0
        pages = iter([self._first])
        for records in _chain(pages, self._pages):
            for record in records:
                number += 1
                batch = add_record(self._batcher, number, record)
                if batch is not None:
                    yield batch
        last = self._batcher.cut()
        if last is not None:
            yield last

    def close(self) -> None:
        client = getattr(self, "_client", None)
        if client is not None:
            client.close()


def _chain(*iterators: Iterator[list[Any]]) -> Iterator[list[Any]]:
    for iterator in iterators:
        yield from iterator


def _at(body: Any, path: str) -> Any:
    for key in path.split("."):
        if not isinstance(body, dict):
            return None
        body = body.get(key)
    return body


def _snippet(data: bytes) -> str:
    text = data[:200].decode("utf-8", "replace").strip().replace("\n", " ")
    return text or "（空）"
