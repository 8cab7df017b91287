"""Benchmark of the exchange gateway (not a test): what a granted, masked, audited read costs over HTTP against
a bare read of the same rows, and how fast filtered reads on a million records are.

For each backend (SQLite in a temporary data dir; PostgreSQL in a throwaway schema on
ZHENGSHU_BENCH_DATABASE_URL, default the local server's `test` database) it sets up what the exchange tests
set up — organisations and calendar, a --rows person dataset written through the dataset store, a catalogue
entry mounted on it and published, a consumer's client and a grant through the sharing flow (some fields,
three districts, no quota), a bearer token from `POST /api/v1/identity/token` — then serves the real app with
uvicorn on 127.0.0.1 in a subprocess, with one extra route on the same app:

  /bench/bare   the same rows of the same dataset version through the dataset service as the platform
                (no token, grant, masking, metering or audit), same columns, filters, sort and page size;

and measures from --threads client threads (httpx, keep-alive), --requests requests per case (at most
--seconds each), after a warm-up:

  (a) bare      a page of --limit records of one granted district (random), file order;
  (b) exchange  the same page through `GET /api/v1/exchange/{code}/records` with token and X-End-User;
  (c) filtered  district = X and 户号 prefix (two random digits), sorted by 登记日期 descending, through the
                exchange (and the bare route as its reference): a top-N over the million records.

It prints a markdown table (req/s, p50/p95/p99 in ms), the ratio exchange/bare throughput (aim >= 0.5), the
p99 the exchange adds (aim <= 10 ms) and the filtered p95 (aim <= 100 ms), then checks the audit chain.

    .venv/bin/python bench/exchange.py [--rows 1000000] [--requests 2000] [--threads 4] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import polars as pl
from databases import bench_database
from fastapi import Request

from zhengshu.core.audit import service as audit
from zhengshu.core.calendar import service as calendar
from zhengshu.core.catalog import service as catalog
from zhengshu.core.catalog.schemas import EntryCreate, MountInput
from zhengshu.core.datasets import service as datasets
from zhengshu.core.datasets.schemas import Filter, RecordQuery
from zhengshu.core.datasets.service import DatasetStore
from zhengshu.core.identity import service as identity
from zhengshu.core.identity.schemas import ClientCreate
from zhengshu.core.sharing import service as sharing
from zhengshu.core.sharing.schemas import ComplianceReview, GrantTermsInput, ProviderReview, RequestCreate, RowFilter
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor, ActorKind, system_actor
from zhengshu.kernel.database import Database
from zhengshu.kernel.permissions import Role
from zhengshu.migrations import upgrade_schema
from zhengshu.modules import Platform
from zhengshu.settings import load_settings

POLICE, RENSHE = "130300003", "130300005"  # 市公安局 provides, 市人社局 consumes
DATASET = "130300003-renkou"
DISTRICTS = {"130302": "海港区", "130303": "山海关区", "130304": "北戴河区", "130306": "抚宁区",
             "130321": "青龙满族自治县", "130322": "昌黎县", "130324": "卢龙县"}
GRANTED_DISTRICTS = ["130302", "130303", "130304"]
ITEMS = [
    {"name": "公民身份号码", "data_type": "C", "length": 18, "level": "important", "personal_info": "sensitive",
     "is_key": True},
    {"name": "姓名", "data_type": "C", "length": 50, "personal_info": "general"},
    {"name": "性别", "data_type": "C", "length": 1},
    {"name": "出生日期", "data_type": "D", "personal_info": "general"},
    {"name": "户籍地址", "data_type": "C", "length": 200, "personal_info": "general"},
    {"name": "联系电话", "data_type": "C", "length": 20, "personal_info": "sensitive"},
    {"name": "区县代码", "data_type": "C", "length": 6},
    {"name": "户号", "data_type": "C", "length": 9},
    {"name": "登记日期", "data_type": "D"},
]
GRANTED = ["公民身份号码", "姓名", "性别", "出生日期", "户籍地址", "区县代码", "户号", "登记日期"]  # not 联系电话
SURNAMES = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗")
STREETS = ["文化", "建设", "民族", "迎宾", "红旗", "海滨", "河北", "燕山", "长城", "秦皇"]
GIVEN = list("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红建文辉力")


def _actor(role: Role, department: str, name: str) -> Actor:
    return Actor(kind=ActorKind.USER, id=f"bench-{role}-{department}", name=name, department_code=department,
                 roles=frozenset({role.value}), client_address="127.0.0.1")


POLICE_OFFICER = _actor(Role.DATA_OFFICER, POLICE, "公安数据官")
POLICE_APPROVER = _actor(Role.APPROVER, POLICE, "公安审核人")
RENSHE_OFFICER = _actor(Role.DATA_OFFICER, RENSHE, "人社数据官")
AUTHORITY = _actor(Role.PLATFORM_ADMIN, "130300002", "数据主管部门管理员")


# --- data and setup -------------------------------------------------------------------------------------------

def people(n: int, seed: int = 20261126) -> pl.DataFrame:
    """n residents of the city, vectorised: about a second per million."""
    rng = np.random.default_rng(seed)
    codes = np.array(list(DISTRICTS))
    names = np.array([DISTRICTS[c] for c in codes])
    district = rng.integers(0, len(codes), n)
    birth = np.datetime64("1940-01-01") + rng.integers(0, 365 * 70, n).astype("timedelta64[D]")
    registered = np.datetime64("2000-01-01") + rng.integers(0, 365 * 26, n).astype("timedelta64[D]")
    seq = rng.integers(0, 1000, n)
    frame = pl.DataFrame({
        "district": codes[district], "district_name": names[district], "birth": birth, "registered": registered,
        "seq": seq, "check": np.array(list("0123456789X"))[rng.integers(0, 11, n)],
        "surname": np.array(SURNAMES)[rng.integers(0, len(SURNAMES), n)],
        "given1": np.array(GIVEN)[rng.integers(0, len(GIVEN), n)],
        "given2": np.where(rng.random(n) < 0.6, np.array(GIVEN)[rng.integers(0, len(GIVEN), n)], ""),
        "street": np.array(STREETS)[rng.integers(0, len(STREETS), n)],
        "number": rng.integers(1, 300, n), "phone": rng.integers(0, 10**8, n),
        "prefix": np.array(["138", "139", "150", "186", "133"])[rng.integers(0, 5, n)],
        "household": rng.integers(0, 10**9, n),
    })
    return frame.select(
        pl.concat_str(pl.col("district"), pl.col("birth").dt.strftime("%Y%m%d"),
                      pl.col("seq").cast(pl.Utf8).str.zfill(3), pl.col("check")).alias("公民身份号码"),
        pl.concat_str("surname", "given1", "given2").alias("姓名"),
        pl.when(pl.col("seq") % 2 == 1).then(pl.lit("男")).otherwise(pl.lit("女")).alias("性别"),
        pl.col("birth").alias("出生日期"),
        pl.concat_str(pl.lit("河北省秦皇岛市"), "district_name", "street", pl.lit("路"),
                      pl.col("number").cast(pl.Utf8), pl.lit("号")).alias("户籍地址"),
        pl.concat_str("prefix", pl.col("phone").cast(pl.Utf8).str.zfill(8)).alias("联系电话"),
        pl.col("district").alias("区县代码"),
        pl.col("household").cast(pl.Utf8).str.zfill(9).alias("户号"),
        pl.col("registered").alias("登记日期"),
    )


def entry() -> EntryCreate:
    return EntryCreate(**{
        "classification": {"directory": "base", "section": "01", "heading": "001"},
        "provider_code": POLICE, "name": "人口基本信息", "abstract": "本市人口的身份与户籍信息。",
        "format": {"type": "database", "detail": "Parquet"}, "items": ITEMS,
        "sharing": {"type": "conditional", "condition": "用于政务服务身份核验",
                    "legal_basis": "《中华人民共和国居民身份证法》", "mode": "api"},
        "opening": {"type": "none"}, "update_cycle": "daily", "owner": "王数据", "contact": "0335-3000000",
    })


def set_up(platform: Platform, frame: pl.DataFrame) -> tuple[str, str, str]:
    """The same service calls as the exchange tests' `city` fixture; returns (resource, client key, secret)."""
    system = system_actor("基准测试")
    identity.seed_city(platform.uow(), system)
    calendar.seed_calendar(platform.uow(), system)
    store = DatasetStore.for_data_dir(platform.settings.data_dir)
    datasets.create_dataset(platform.uow(), POLICE_OFFICER, DATASET, "人口基本信息", POLICE)
    datasets.write_version(platform.uow(), POLICE_OFFICER, store, DATASET, frame, publish=True)
    code = catalog.register_entry(platform.uow(), POLICE_OFFICER, entry()).entry.code
    catalog.mount_entry(platform.uow(), POLICE_OFFICER, code,
                        MountInput(kind="dataset", reference=DATASET, columns=[i["name"] for i in ITEMS]))
    catalog.publish_entry(platform.uow(), POLICE_OFFICER, code)
    created = identity.create_client(platform.uow(), RENSHE_OFFICER,
                                     ClientCreate(name="社保待遇认证系统", organisation_code=RENSHE))
    key = created.client.client_key
    today = clock.now().astimezone(clock.DISPLAY_ZONE).date()
    request = sharing.submit_request(platform.uow(), RENSHE_OFFICER, RequestCreate(
        resource_code=code, client_key=key, fields=GRANTED,
        row_filters=[RowFilter(column="区县代码", op="in", value=GRANTED_DISTRICTS)], purpose="社保待遇资格认证",
        legal_basis="《社会保险法》", ends_on=today + timedelta(days=365)), platform.settings)
    request_id = request.request.id
    sharing.review_compliance(platform.uow(), AUTHORITY, request_id, ComplianceReview(approve=True), platform.settings)
    detail = sharing.review_as_provider(platform.uow(), POLICE_APPROVER, request_id,
                                        ProviderReview(approve=True, grant=GrantTermsInput(daily_quota=None)))
    assert detail.grant is not None, detail
    return code, key, created.client_secret


# --- the server (a subprocess) --------------------------------------------------------------------------------

def serve(data_dir: str, database_url: str, port: int) -> None:
    """The real app plus /bench/bare on the same app, served by uvicorn as `zhengshu serve` would."""
    import uvicorn

    from zhengshu.app import create_app

    settings = load_settings(data_dir=Path(data_dir), database_url=database_url)
    platform = Platform.start(settings, database=Database.from_url(database_url))
    app = create_app(platform)
    store = DatasetStore.for_data_dir(settings.data_dir)
    bench = system_actor("基准参照")

    def bare(request: Request, limit: int = 50, sort: str | None = None) -> dict[str, Any]:
        filters = [Filter("区县代码", "in", list(GRANTED_DISTRICTS))]
        for key, value in request.query_params.multi_items():
            if key == "区县代码":
                filters.append(Filter("区县代码", "eq", value))
            elif key == "户号[prefix]":
                filters.append(Filter("户号", "prefix", value))
        order = tuple((s.lstrip("-"), "desc" if s.startswith("-") else "asc") for s in sort.split(",")) if sort else ()
        page = datasets.read_records(platform.uow(), bench, store, DATASET,
                                     RecordQuery(columns=tuple(GRANTED), filters=tuple(filters), sort=order,
                                                 limit=limit))
        return {"rows": page.rows, "count": len(page.rows), "next": page.next}

    app.add_api_route("/bench/bare", bare, methods=["GET"])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _server(data_dir: Path, database_url: str) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen([sys.executable, __file__, "--serve", str(data_dir), database_url, str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


# --- the load -------------------------------------------------------------------------------------------------

def _load(base: str, headers: dict[str, str], path: str, params_for, count: int, threads: int,
          seconds: float) -> dict[str, float]:
    """`count` requests (at most `seconds`) from `threads` keep-alive clients: req/s and latency percentiles."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    issued = iter(range(count))
    deadline = time.monotonic() + seconds

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
            while time.monotonic() < deadline:
                with lock:
                    if next(issued, None) is None:
                        return
                params = params_for(rng)
                start = time.perf_counter()
                response = client.get(path, params=params)
                elapsed = time.perf_counter() - start
                with lock:
                    if response.status_code != 200 or not response.json()["rows"]:
                        failures.append(f"{response.status_code} {response.text[:200]}")
                    latencies.append(elapsed)

    start = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    wall = time.perf_counter() - start
    if failures:
        raise RuntimeError(f"{len(failures)} failed requests, first: {failures[0]}")
    ms = np.array(latencies) * 1000
    return {"n": len(ms), "rps": len(ms) / wall, "p50": float(np.percentile(ms, 50)),
            "p95": float(np.percentile(ms, 95)), "p99": float(np.percentile(ms, 99))}


def _page(rng: random.Random) -> dict[str, Any]:
    return {"区县代码": rng.choice(GRANTED_DISTRICTS), "limit": LIMIT}


def _filtered(rng: random.Random) -> dict[str, Any]:
    return {"区县代码": rng.choice(GRANTED_DISTRICTS), "户号[prefix]": f"{rng.randrange(100):02d}",
            "sort": "-登记日期", "limit": LIMIT}


LIMIT = 50


def measure(backend: str, frame: pl.DataFrame, args: argparse.Namespace) -> dict[str, Any]:
    with bench_database(backend, "exchange") as database, tempfile.TemporaryDirectory() as folder:
        upgrade_schema(database.engine)
        url = database.engine.url.render_as_string(hide_password=False)
        settings = load_settings(data_dir=Path(folder) / "var", database_url=url)
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        platform = Platform.start(settings, database=database)
        started = time.perf_counter()
        resource, key, secret = set_up(platform, frame)
        setup_seconds = time.perf_counter() - started
        results: dict[str, Any] = {"backend": backend, "setup": setup_seconds}
        with _server(settings.data_dir, url) as base:
            token = httpx.post(f"{base}/api/v1/identity/token", json={"client_key": key, "client_secret": secret},
                               timeout=10).json()["access_token"]
            full = {"Authorization": f"Bearer {token}", "X-End-User": "wangkeyuan"}
            exchange = f"/api/v1/exchange/{resource}/records"
            cases = [("bare", {}, "/bench/bare", _page), ("exchange", full, exchange, _page),
                     ("bare filtered", {}, "/bench/bare", _filtered),
                     ("exchange filtered", full, exchange, _filtered)]
            for _name, headers, path, params in cases:  # warm up every route and DuckDB
                _load(base, headers, path, params, 50, args.threads, args.seconds)
            for name, headers, path, params in cases:
                results[name] = _load(base, headers, path, params, args.requests, args.threads, args.seconds)
                print(f"  {backend} {name}: {results[name]['n']} requests, {results[name]['rps']:.0f} req/s",
                      file=sys.stderr, flush=True)
        started = time.perf_counter()
        verified = audit.verify_chain(platform.uow(), AUTHORITY, platform.audit_key.public_key_hex)
        assert verified.ok, verified.summary
        results["verified"] = (verified.records_checked, time.perf_counter() - started)
        return results


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--serve":
        serve(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="records in the person dataset")
    parser.add_argument("--requests", type=int, default=2000, help="requests per case")
    parser.add_argument("--threads", type=int, default=4, help="concurrent client threads")
    parser.add_argument("--seconds", type=float, default=25, help="time limit per case")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    started = time.perf_counter()
    frame = people(args.rows)
    print(f"{args.rows:,} records synthesised in {time.perf_counter() - started:.1f} s; {args.requests} requests "
          f"per case from {args.threads} threads (keep-alive, loopback), {LIMIT} records a page; "
          f"run on {date.today()}", flush=True)
    rows = []
    for backend in args.backends.split(","):
        rows.append(measure(backend.strip(), frame, args))
    print("\n| backend | case | requests | req/s | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for r in rows:
        for name in ("bare", "exchange", "bare filtered", "exchange filtered"):
            c = r[name]
            print(f"| {r['backend']} | {name} | {c['n']} | {c['rps']:,.0f} | {c['p50']:.1f} | {c['p95']:.1f} "
                  f"| {c['p99']:.1f} |")
    print("\n| backend | exchange/bare req/s (aim ≥ 0.5) | added p99 ms (aim ≤ 10) | filtered p95 ms (aim ≤ 100) "
          "| audit chain |")
    print("|---|---:|---:|---:|---|")
    for r in rows:
        checked, seconds = r["verified"]
        print(f"| {r['backend']} | {r['exchange']['rps'] / r['bare']['rps']:.2f} "
              f"| {r['exchange']['p99'] - r['bare']['p99']:.1f} | {r['exchange filtered']['p95']:.1f} "
              f"| verifies ({checked:,} records, {seconds:.2f} s); setup {r['setup']:.0f} s |")


if __name__ == "__main__":
    main()
