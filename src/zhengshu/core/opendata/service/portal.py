"""The public side (公众): the portal's home and search, a dataset's page, its records, downloads and DCAT-AP
description. No sign-in and no permission: anyone, the public included, may call these; only open datasets
exist for them, and a withdrawn one says so without showing anything of it.

Every read goes through `workflow.refresh` first, so a source's new version is checked by the privacy gate
before anyone sees it.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import time
from collections.abc import Iterator, Sequence
from typing import Any

import polars as pl

from zhengshu.core.catalog import service as catalog
from zhengshu.core.catalog.schemas import EntryFilter
from zhengshu.core.datasets import service as datasets
from zhengshu.core.datasets.schemas import Filter, RecordQuery
from zhengshu.core.identity import access
from zhengshu.core.opendata import queries, repository
from zhengshu.core.opendata.domain.opening import THEMES, Status
from zhengshu.core.opendata.schemas import (
    FacetValue,
    OpeningDetail,
    OpeningView,
    PortalHome,
    PortalSearch,
    RecordsPage,
)
from zhengshu.core.opendata.service.developers import Caller, _require_application
from zhengshu.core.opendata.service.workflow import PLATFORM, Context, refresh
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.errors import InvalidInput, NotFound
from zhengshu.kernel.unit_of_work import UnitOfWork

HIDDEN = "开放数据集不存在或尚未开放：{}"
MAX_PAGE_SIZE = 1000
XLSX_MAX_ROWS = 1_048_575  # a worksheet's rows, less the header
DOWNLOAD_PAGE = 1000
SORTS = {"newest": "最新更新", "popular": "最多使用", "title": "名称"}
FACETS = ("theme", "provider", "format", "update_cycle", "open_type")


def _today():
    return clock.now().astimezone(clock.DISPLAY_ZONE).date()


def _open_row(uow: UnitOfWork, ctx: Context, code: str) -> dict[str, Any]:
    with uow.reading() as session:
        row = queries.opening_row(session, code.strip())
    if row is not None and row["status"] == Status.WITHDRAWN.value:
        raise NotFound(f"数据集 {row['code']} 已撤回，暂停开放。", field="code", details={"reason": "withdrawn"})
    if row is None or row["status"] != Status.OPEN.value:
        raise NotFound(HIDDEN.format(code), field="code")
    key = (id(uow.database), row["code"])
    seen = _checked.get(key)
    if seen is not None and time.monotonic() - seen[0] < RECHECK_SECONDS and seen[1] == _served_as(row):
        return row
    current = refresh(uow, PLATFORM, ctx, row)
    if current is None:
        raise NotFound(f"数据集 {row['code']} 已撤回，暂停开放。", field="code", details={"reason": "withdrawn"})
    _checked[key] = (time.monotonic(), _served_as(current))
    return current


# When each open dataset was last compared with its source and catalogue entry (`refresh`), in this process.
# Within RECHECK_SECONDS the comparison is not repeated: a request still reads the version the gate passed (the
# read names it), so a new version waits those seconds to be served, and nothing unchecked is ever served; a
# withdrawal by hand is seen at once (the opening's row is read on every request).
RECHECK_SECONDS = 5.0
_checked: dict[tuple[int, str], tuple[float, tuple[Any, ...]]] = {}


def _served_as(row: dict[str, Any]) -> tuple[Any, ...]:
    return row["id"], row["opened_at"], row["served_dataset"], row["served_version"], row["checked_version"]


def _count(uow: UnitOfWork, code: str, caller: Caller | None, kind: str) -> None:
    with uow:
        repository.count_use(uow.session, _today(), code, caller.key_prefix if caller else "", kind)
        uow.commit()


FACET_LABELS: dict[str, dict[str, Any]] = {"theme": THEMES, "open_type": queries.OPEN_TYPES}


def _facet_key(row: dict[str, Any], name: str) -> tuple[str, str]:
    value = row["provider_name" if name == "provider" else name]
    return value, FACET_LABELS.get(name, {}).get(value, value)


@access.public("the open-data portal is for the public: only open datasets exist here")
def home(uow: UnitOfWork, actor: Actor) -> PortalHome:
    """首页: the themes with their counts, the newest and the most-used open datasets."""
    with uow.reading() as session:
        found = queries.listing(session, [Status.OPEN.value])
    counts: dict[str, int] = {}
    for row in found:
        counts[row["theme"]] = counts.get(row["theme"], 0) + 1
    themes = [FacetValue(value=k, label=v, count=counts[k]) for k, v in THEMES.items() if counts.get(k)]
    newest = sorted(found, key=lambda r: r["updated_at"], reverse=True)[:6]
    popular = sorted(found, key=lambda r: (-r["uses"], r["code"]))[:6]
    return PortalHome(themes=themes, newest=[queries.summary(r) for r in newest],
                      most_used=[queries.summary(r) for r in popular], total=len(found))


def _matching(uow: UnitOfWork, found: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """Datasets whose title or description holds the text, then those whose catalogue entry the catalogue's
    Chinese full-text search finds (best match first)."""
    words = text.strip()
    if not words:
        return found
    direct = [r for r in found if words in r["title"] or words in r["description"]]
    seen = {r["code"] for r in direct}
    page = catalog.list_entries(uow, PLATFORM, EntryFilter(text=words, status="published"), 1, 1000)
    rank = {e.code: i for i, e in enumerate(page.entries)}
    by_entry = sorted((r for r in found if r["code"] not in seen and r["entry_code"] in rank),
                      key=lambda r: rank[r["entry_code"]])
    return direct + by_entry


@access.public("the open-data portal is for the public: only open datasets exist here")
def search(uow: UnitOfWork, actor: Actor, text: str = "", filters: dict[str, str] | None = None,
           sort: str = "newest", page: int = 1, page_size: int = 20) -> PortalSearch:
    """检索: open datasets by words (Chinese), facets (theme, provider, format, update cycle, open type),
    sorted by newest, most used or title; facet counts are counted under the other facets' filters."""
    filters = {k: v for k, v in (filters or {}).items() if v}
    unknown = set(filters) - set(FACETS)
    if unknown:
        raise InvalidInput(f"不支持的筛选条件：{'、'.join(sorted(unknown))}", field=sorted(unknown)[0])
    if sort not in SORTS:
        raise InvalidInput(f"排序方式须为：{'、'.join(SORTS)}", field="sort")
    if not 1 <= page_size <= 100 or page < 1:
        raise InvalidInput("page 须为正整数，page_size 须在 1 到 100 之间。", field="page_size")
    with uow.reading() as session:
        found = _matching(uow, queries.listing(session, [Status.OPEN.value]), text)

    def keep(row: dict[str, Any], skip: str | None = None) -> bool:
        return all(_facet_key(row, name)[0] == value for name, value in filters.items() if name != skip)

    facets: dict[str, list[FacetValue]] = {}
    for name in FACETS:
        counts: dict[tuple[str, str], int] = {}
        for row in found:
            if keep(row, name):
                key = _facet_key(row, name)
                counts[key] = counts.get(key, 0) + 1
        facets[name] = [FacetValue(value=v, label=lab, count=n) for (v, lab), n in
                        sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0]))]
    chosen = [r for r in found if keep(r)]
    if sort == "newest":
        chosen.sort(key=lambda r: r["updated_at"], reverse=True)
    elif sort == "popular":
        chosen.sort(key=lambda r: (-r["uses"], r["code"]))
    elif sort == "title":
        chosen.sort(key=lambda r: r["title"])
    start = (page - 1) * page_size
    return PortalSearch(datasets=[queries.summary(r) for r in chosen[start:start + page_size]], total=len(chosen),
                        page=page, page_size=page_size, facets=facets)


@access.public("the open-data portal is for the public: only open datasets exist here")
def dataset(uow: UnitOfWork, actor: Actor, ctx: Context, code: str, count_view: bool = False) -> OpeningDetail:
    """A dataset's page: metadata, items, update history (only open datasets)."""
    row = _open_row(uow, ctx, code)
    if count_view:
        _count(uow, row["code"], None, "view")
    with uow.reading() as session:
        found = queries.opening_detail_parts(session, row["code"])
    assert found is not None
    return OpeningDetail(opening=found[0], history=[h for h in found[1] if h.action != "proposed"])


def _checked_query(view: OpeningView, query: RecordQuery, limit: int) -> RecordQuery:
    """Only the opened columns may be selected, filtered or sorted (a filter on a hidden column would tell
    whether a hidden value exists); the version is the one served."""
    allowed = {c.name for c in view.columns}
    named = [*(query.columns or ()), *(f.column for f in query.filters), *(k for k, _ in query.sort)]
    unknown = [n for n in named if n not in allowed]
    if unknown:
        raise InvalidInput(f"字段不存在：{unknown[0]}；可用字段：{'、'.join(c.name for c in view.columns)}",
                           field=unknown[0])
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidInput(f"limit 须在 1 到 {MAX_PAGE_SIZE} 之间。", field="limit")
    return RecordQuery(columns=query.columns or tuple(c.name for c in view.columns), filters=query.filters,
                       sort=query.sort, after=query.after, limit=limit, version=view.served_version)


def _served(uow: UnitOfWork, ctx: Context, code: str, caller: Caller | None) -> tuple[dict[str, Any], OpeningView]:
    row = _open_row(uow, ctx, code)
    view = queries.opening_view(row)
    if view.open_type.value == "conditional":
        _require_application(uow, row, caller)
    return row, view


@access.public("the open-data portal is for the public: only open datasets exist here")
def records(uow: UnitOfWork, actor: Actor, ctx: Context, code: str, query: RecordQuery,
            caller: Caller | None = None, with_total: bool = False, count_as: str | None = "api") -> RecordsPage:
    """One page of an open dataset's records (the served version), with filters, sort and a cursor."""
    row, view = _served(uow, ctx, code, caller)
    checked = _checked_query(view, query, query.limit)
    page = datasets.read_records(uow, PLATFORM, ctx.store, row["served_dataset"], checked)
    total = None
    if with_total:
        total = datasets.count_records(uow, PLATFORM, ctx.store, row["served_dataset"], checked.filters,
                                       checked.version)
    if count_as:
        _count(uow, row["code"], caller, count_as)
    return RecordsPage(code=row["code"], version=row["checked_version"],
                       columns=[c for c in view.columns if c.name in set(checked.columns or ())],
                       rows=page.rows, total=total, next=page.next)


def _pages(uow: UnitOfWork, ctx: Context, row: dict[str, Any], query: RecordQuery) -> Iterator[list[dict]]:
    after = None
    while True:
        page = datasets.read_records(uow, PLATFORM, ctx.store, row["served_dataset"],
                                     RecordQuery(columns=query.columns, filters=query.filters, sort=query.sort,
                                                 after=after, limit=DOWNLOAD_PAGE, version=query.version))
        if page.rows:
            yield page.rows
        if page.next is None:
            return
        after = page.next


def _frame(rows: list[dict], columns: Sequence[str]) -> pl.DataFrame:
    return pl.DataFrame(rows, infer_schema_length=None).select(list(columns))


@access.public("the open-data portal is for the public: only open datasets exist here")
def download(uow: UnitOfWork, actor: Actor, ctx: Context, code: str, fmt: str, filters: Sequence[Filter] = (),
             caller: Caller | None = None) -> tuple[str, Iterator[bytes]]:
    """下载: the served version (filtered, when asked) as CSV (UTF-8 with BOM, for Excel), XLSX or JSON, as a
    stream of chunks a page of rows at a time — never the whole dataset in memory (XLSX is written to a
    temporary file by xlsxwriter's constant-memory mode). Returns the file name and the chunks."""
    if fmt not in ("csv", "xlsx", "json"):
        raise InvalidInput("下载格式须为 csv、xlsx 或 json。", field="format")
    row, view = _served(uow, ctx, code, caller)
    query = _checked_query(view, RecordQuery(filters=tuple(filters)), DOWNLOAD_PAGE)
    columns = list(query.columns or ())
    if fmt == "xlsx" and (row["row_count"] or 0) > XLSX_MAX_ROWS and not filters:
        raise InvalidInput(f"该数据集有 {row['row_count']} 行，超过 Excel 工作表的上限，请下载 CSV 或 JSON，"
                           "或先筛选。", field="format")
    _count(uow, row["code"], caller, "download")
    pages = _pages(uow, ctx, row, query)
    name = f"{row['code']}-v{row['checked_version']}.{fmt}"
    if fmt == "csv":
        return name, _csv(pages, columns)
    if fmt == "json":
        return name, _json(pages)
    return name, _xlsx(pages, columns)


def _csv(pages: Iterator[list[dict]], columns: list[str]) -> Iterator[bytes]:
    yield "\ufeff".encode()
    first = True
    for rows in pages:
        yield _frame(rows, columns).write_csv(include_header=first).encode("utf-8")
        first = False
    if first:
        yield pl.DataFrame(schema=dict.fromkeys(columns, pl.String)).write_csv().encode("utf-8")


def _json(pages: Iterator[list[dict]]) -> Iterator[bytes]:
    yield b"["
    first = True
    for rows in pages:
        text = ",".join(json.dumps(r, ensure_ascii=False, default=str) for r in rows)
        yield (text if first else "," + text).encode("utf-8")
        first = False
    yield b"]"


def _xlsx(pages: Iterator[list[dict]], columns: list[str]) -> Iterator[bytes]:
    import xlsxwriter

    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        book = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_numbers": False,
                                          "default_date_format": "yyyy-mm-dd"})
        sheet = book.add_worksheet("数据")
        sheet.write_row(0, 0, columns)
        n = 1
        for rows in pages:
            for r in rows:
                sheet.write_row(n, 0, [r.get(c) for c in columns])
                n += 1
                if n > XLSX_MAX_ROWS:
                    break
        book.close()
        with open(path, "rb") as file:
            while chunk := file.read(1 << 16):
                yield chunk
    finally:
        os.unlink(path)


@access.public("the open-data portal is for the public: only open datasets exist here")
def dcat_dataset(uow: UnitOfWork, actor: Actor, ctx: Context, code: str, base_url: str) -> dict[str, Any]:
    """DCAT-AP JSON-LD of one open dataset: the catalogue's description of its entry (the catalogue's DCAT
    code) with the portal's title, licence, landing page and distributions."""
    row = _open_row(uow, ctx, code)
    return _dcat(uow, row, base_url.rstrip("/"))


def _dcat(uow: UnitOfWork, row: dict[str, Any], base: str) -> dict[str, Any]:
    """The catalogue's DCAT-AP node of the entry, made the open dataset's: its own identifier, title, licence,
    landing page and distributions; only the served columns among the information items and keywords (a
    hidden field's name is not published), and the provider as the contact point, not the officer."""
    view = queries.opening_view(row)
    document = catalog.entry_dcat(uow, PLATFORM, row["entry_code"], base)
    page = f"{base}/open/datasets/{row['code']}"
    served = {c.name for c in view.columns}
    hidden = {i["zs:name"] for i in document.get("zs:informationItem", [])} - served

    def text(value: str) -> dict[str, str]:
        return {"@value": value, "@language": document["dct:title"].get("@language", "zh")}

    document.update({
        "@id": page, "dct:identifier": row["code"], "dct:title": text(view.title),
        "dct:description": text(view.description or view.title),
        "dcat:landingPage": {"@id": page}, "dct:license": {"@id": view.licence_url},
        "dcat:theme": text(view.theme.label), "dct:modified": view.updated_at.isoformat(),
        "dcat:contactPoint": {"@type": "vcard:Organization", "vcard:fn": view.provider_name},
        "zs:informationItem": [i for i in document.get("zs:informationItem", []) if i["zs:name"] in served],
        "dcat:keyword": [k for k in document.get("dcat:keyword", []) if k.get("@value") not in hidden],
        "dcat:distribution": [
            {"@type": "dcat:Distribution", "dct:format": fmt.upper(), "dct:license": {"@id": view.licence_url},
             "dcat:downloadURL": {"@id": f"{base}/api/v1/open/datasets/{row['code']}/download?format={fmt}"},
             "dcat:mediaType": media}
            for fmt, media in (("csv", "text/csv"), ("json", "application/json"),
                               ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))],
    })
    return document


@access.public("the open-data portal is for the public: only open datasets exist here")
def dcat_catalog(uow: UnitOfWork, actor: Actor, ctx: Context, base_url: str) -> dict[str, Any]:
    """DCAT-AP JSON-LD of the whole open catalogue: a `dcat:Catalog` of the open datasets."""
    base = base_url.rstrip("/")
    with uow.reading() as session:
        rows = queries.open_rows(session)
    found, context = [], None
    for row in rows:
        try:
            document = _dcat(uow, row, base)
        except NotFound:  # the entry was retired meanwhile: the dataset's next request withdraws it
            continue
        context = document.pop("@context", context)
        found.append(document)
    return {"@context": context or {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/"},
            "@id": f"{base}/open", "@type": "dcat:Catalog", "dct:title": "公共数据开放平台",
            "dct:modified": clock.now().isoformat(), "dcat:dataset": found}


@access.public("the open-data portal is for the public: only open datasets exist here")
def sitemap(uow: UnitOfWork, actor: Actor, base_url: str) -> str:
    """sitemap.xml of the portal: the home, the search page and each open dataset's stable page."""
    base = base_url.rstrip("/")
    with uow.reading() as session:
        rows = queries.listing(session, [Status.OPEN.value])
    out = io.StringIO()
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n')
    out.write(f"<url><loc>{base}/open</loc></url>\n<url><loc>{base}/open/datasets</loc></url>\n")
    for row in rows:
        out.write(f"<url><loc>{base}/open/datasets/{row['code']}</loc>"
                  f"<lastmod>{row['updated_at'].date().isoformat()}</lastmod></url>\n")
    out.write("</urlset>\n")
    return out.getvalue()


DISTRICT_NAMES = ("区划", "区县", "行政区", "所属区")
LONGITUDE, LATITUDE = ("经度", "lon", "longitude"), ("纬度", "lat", "latitude")
MAX_POINTS = 2000


def _series(frame: pl.DataFrame, x: str, measure: str | None, how: str) -> dict[str, Any]:
    if measure is None:
        value, title = pl.len(), "记录数"
    elif how == "mean":
        value, title = pl.col(measure).mean().round(2), f"{measure}（均值）"
    else:
        value, title = pl.col(measure).sum(), f"{measure}（合计）"
    grouped = frame.group_by(x).agg(value.alias("y")).sort(x).head(MAX_POINTS)
    return {"title": title, "x_name": x, "x": [str(v) for v in grouped[x].to_list()], "y": grouped["y"].to_list()}


@access.public("the open-data portal is for the public: only open datasets exist here")
def charts(uow: UnitOfWork, actor: Actor, ctx: Context, code: str) -> list[dict[str, Any]]:
    """自动图表 where the data suits them, computed over the whole served version (a few columns only):
    a time series when there is a date column (the mean of the first number per date, or the rows per date);
    a bar chart by district when there is a 区划-like column (the sum of the first number, or the rows);
    the places on a longitude/latitude plane when there are coordinates (at most 2,000 points)."""
    row = _open_row(uow, ctx, code)
    view = queries.opening_view(row)
    if view.open_type.value == "conditional":
        return []  # its data is for approved developers only
    columns = {c.name: c.type for c in view.columns}
    lon = next((n for n in columns if n.lower() in LONGITUDE), None)
    lat = next((n for n in columns if n.lower() in LATITUDE), None)
    numbers = [n for n, t in columns.items() if (t in ("int64", "float64") or t.startswith("decimal"))
               and n not in (lon, lat)]
    measure = next((n for n in numbers if n != "记录数"), numbers[0] if numbers else None)
    date = next((n for n, t in columns.items() if t in ("date", "timestamp")), None)
    district = next((n for n in columns if any(n.startswith(d) for d in DISTRICT_NAMES)), None)
    label = next((n for n, t in columns.items() if t == "string" and n != district), None)
    wanted = [c for c in dict.fromkeys((date, district, measure, lon, lat, label)) if c is not None]
    if not (date or district or (lon and lat)):
        return []
    frame = datasets.read_columns(uow, PLATFORM, ctx.store, row["served_dataset"], wanted)
    found = []
    if date:
        found.append({"kind": "line", **_series(frame, date, measure, "mean")})
    if district:
        found.append({"kind": "bar", **_series(frame, district, measure, "sum")})
    if lon and lat:
        points = frame.drop_nulls([lon, lat]).unique([lon, lat]).head(MAX_POINTS)
        names = points[label].to_list() if label else [""] * points.height
        found.append({"kind": "scatter", "title": "位置分布", "x_name": lon, "y_name": lat,
                      "points": [[x, y, n] for x, y, n in zip(points[lon], points[lat], names, strict=True)]})
    return found
