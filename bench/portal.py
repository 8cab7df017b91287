"""Benchmark of the open-data portal (not a test), against Datasette serving the same table from SQLite in the
same run.

Set-up (SQLite metadata in a temporary data dir): organisations and calendar; a --rows table of daily air
readings (站点, 区划, 日期, AQI, PM25, 级别) written through the dataset store, catalogued, mounted, published
and opened through the workflow (proposal, privacy gate, approval) as `bench-big`; then --datasets - 1 more
open datasets (openings of a small published table under varied titles and themes) so that the search and the
pages work over --datasets open datasets. The same rows go into a SQLite file for Datasette, with indexes on
区划 and 日期 (what a publisher would add with `sqlite-utils create-index`); Datasette's JSON requests ask for
no total count (`_nocount=1`), as the portal's do not count unless asked, and Datasette runs with
`suggest_facets off` (on by default, its facet suggestions cost 0.7 s a request on this table).

The real app is served by uvicorn in a subprocess (the open API's rate limit lifted for the run), Datasette by
its own command (`datasette serve`), both on 127.0.0.1. From --threads keep-alive client threads (httpx),
--requests requests per case (at most --seconds each), after a warm-up:

  search page     /open/datasets?q=<topic>            (aim p95 <= 200 ms)
  dataset page    /open/datasets/<random code>        (aim p95 <= 200 ms)
  records         a page of 50 records of one district, the portal's API vs Datasette's JSON
  filtered        district = X, AQI >= 150, newest first, 50 records (aim p95 <= 150 ms), the same on both
  Datasette page  Datasette's HTML page of the table filtered by district (the reference for the pages)

It prints a markdown table (req/s, p50/p95/p99 ms) and the ratios portal/Datasette throughput (aim >= 1).

    PYTHONPATH=src .venv/bin/python bench/portal.py [--rows 1000000] [--datasets 1000] [--requests 1000]
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import polars as pl

from zhengshu.core.calendar import service as calendar
from zhengshu.core.catalog import service as catalog
from zhengshu.core.catalog.schemas import EntryCreate, MountInput
from zhengshu.core.datasets import service as datasets
from zhengshu.core.identity import service as identity
from zhengshu.core.opendata import service as opendata
from zhengshu.core.opendata.schemas import DecisionInput, ProposalInput
from zhengshu.kernel.actor import system_actor
from zhengshu.kernel.database import Database
from zhengshu.migrations import upgrade_schema
from zhengshu.modules import Platform
from zhengshu.settings import load_settings

ACTOR = system_actor("基准")
ECO = "130300019"  # 市生态环境局
DISTRICTS = ("130302", "130303", "130304", "130306", "130321", "130322", "130324")
TOPICS = ("空气质量", "水质监测", "景区客流", "公交线路", "医院门诊", "学校名录", "停车泊位", "企业登记", "特种设备",
          "噪声监测", "政务服务", "充电桩", "公园绿地", "旅游住宿", "农产品价格", "气象观测")
THEMES = ("environment", "tourism", "public_service", "economy", "market", "transport", "health", "education")
LIMIT = 50


def readings(n: int, seed: int = 20261126) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    stations = 100
    station = rng.integers(0, stations, n)
    aqi = np.clip(rng.lognormal(np.log(70), 0.5, n), 10, 500).astype(np.int64)
    grade = np.select([aqi <= 50, aqi <= 100, aqi <= 150, aqi <= 200], ["优", "良", "轻度污染", "中度污染"], "重度污染")
    return pl.DataFrame({
        "站点": np.char.add("监测站", station.astype(str)).astype(object),
        "区划": np.asarray(DISTRICTS, dtype=object)[station % len(DISTRICTS)],
        "日期": np.datetime64("2016-01-01") + rng.integers(0, 3650, n).astype("timedelta64[D]"),
        "AQI": aqi, "PM25": np.round(aqi * rng.uniform(0.5, 0.8, n), 1), "级别": grade.astype(object),
    }).with_columns(pl.col("日期").cast(pl.Date))


def _entry(name: str, frame: pl.DataFrame) -> EntryCreate:
    kinds = {pl.String: ("C", 100), pl.Int64: ("N", 18), pl.Float64: ("N", 18), pl.Date: ("D", None)}
    return EntryCreate.model_validate({
        "classification": {"directory": "theme", "section": "01", "heading": "001"}, "provider_code": ECO,
        "name": name, "abstract": f"{name}（基准数据）。", "format": {"type": "database", "detail": "Parquet"},
        "items": [{"name": c, "data_type": kinds[t][0], "length": kinds[t][1]} for c, t in frame.schema.items()],
        "sharing": {"type": "unconditional", "mode": "api"}, "opening": {"type": "unconditional"},
        "update_cycle": "daily", "owner": "数据官", "contact": "0335-3000000"})


def _publish(platform: Platform, store: Any, code: str, name: str, frame: pl.DataFrame) -> str:
    datasets.create_dataset(platform.uow(), ACTOR, code, name, ECO)
    datasets.write_version(platform.uow(), ACTOR, store, code, frame, publish=True)
    entry = catalog.register_entry(platform.uow(), ACTOR, _entry(name, frame)).entry.code
    catalog.mount_entry(platform.uow(), ACTOR, entry, MountInput(kind="dataset", reference=code,
                                                                 columns=frame.columns))
    catalog.publish_entry(platform.uow(), ACTOR, entry)
    return entry


def _open(platform: Platform, ctx: opendata.Context, entry: str, code: str, title: str, theme: str) -> None:
    opendata.propose(platform.uow(), ACTOR, ctx, ProposalInput(entry_code=entry, code=code, title=title,
                                                               theme=theme))
    opendata.decide(platform.uow(), ACTOR, ctx, code, DecisionInput(approve=True))


def set_up(platform: Platform, frame: pl.DataFrame, count: int) -> list[str]:
    """The big open dataset and count - 1 small ones; returns the open datasets' codes."""
    identity.seed_city(platform.uow(), ACTOR)
    calendar.seed_calendar(platform.uow(), ACTOR)
    ctx = opendata.Context.from_settings(platform.settings)
    big = _publish(platform, ctx.store, "bench-big", "空气质量日报（基准）", frame)
    _open(platform, ctx, big, "bench-big", "空气质量日报（基准，百万行）", "environment")
    small = _publish(platform, ctx.store, "bench-small", "监测点位（基准）", frame.head(200))
    codes = ["bench-big"]
    rng = random.Random(7)
    for i in range(1, count):
        topic = TOPICS[i % len(TOPICS)]
        code = f"bench-{i:04d}"
        _open(platform, ctx, small, code, f"{rng.choice(('海港区', '北戴河区', '山海关区', '昌黎县'))}{topic}"
              f"（{2015 + i % 11} 年，第 {i} 号）", THEMES[i % len(THEMES)])
        codes.append(code)
        if i % 100 == 0:
            print(f"  {i} open datasets", file=sys.stderr, flush=True)
    return codes


def datasette_file(frame: pl.DataFrame, path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute('CREATE TABLE readings (站点 TEXT, 区划 TEXT, 日期 TEXT, AQI INTEGER, PM25 REAL, 级别 TEXT)')
        rows = frame.with_columns(pl.col("日期").cast(pl.String)).iter_rows()
        db.executemany("INSERT INTO readings VALUES (?, ?, ?, ?, ?, ?)", rows)
        db.execute("CREATE INDEX ix_district ON readings (区划)")
        db.execute("CREATE INDEX ix_date ON readings (日期)")


# --- the servers --------------------------------------------------------------------------------------------------

def serve(data_dir: str, database_url: str, port: int) -> None:
    import uvicorn

    from zhengshu.app import create_app

    settings = load_settings(data_dir=Path(data_dir), database_url=database_url,
                             opendata_anonymous_per_minute=10**9)
    platform = Platform.start(settings, database=Database.from_url(database_url))
    uvicorn.run(create_app(platform), host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _process(command: list[str], ready: str) -> Iterator[None]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, env={**os.environ})
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(ready, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{command[:3]} did not start")
            time.sleep(0.3)
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def load(base: str, path: Callable[[random.Random], tuple[str, dict]], ok: Callable[[httpx.Response], bool],
         count: int, threads: int, seconds: float) -> dict[str, float]:
    """`count` requests (at most `seconds`) from `threads` keep-alive clients: req/s and latency percentiles."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    left = [count]
    deadline = time.monotonic() + seconds

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=base, timeout=60) as client:
            while time.monotonic() < deadline:
                with lock:
                    if left[0] <= 0:
                        return
                    left[0] -= 1
                url, params = path(rng)
                start = time.perf_counter()
                response = client.get(url, params=params)
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    if not ok(response):
                        failures.append(f"{url} {response.status_code} {response.text[:200]}")

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


def _rows(response: httpx.Response) -> bool:
    return response.status_code == 200 and bool(response.json()["rows"])


def _html(response: httpx.Response) -> bool:
    return response.status_code == 200 and "<html" in response.text


def cases(codes: list[str]) -> list[tuple[str, str, Callable, Callable]]:
    """(name, server, request, check) for each case; server is `portal` or `datasette`."""
    def district(rng: random.Random) -> str:
        return rng.choice(DISTRICTS)

    return [
        ("search page", "portal", lambda r: ("/open/datasets", {"q": r.choice(TOPICS)}), _html),
        ("dataset page", "portal", lambda r: (f"/open/datasets/{r.choice(codes)}", {}), _html),
        ("records", "portal", lambda r: ("/api/v1/open/datasets/bench-big/records",
                                         {"区划": district(r), "limit": LIMIT}), _rows),
        ("records", "datasette", lambda r: ("/bench/readings.json",
                                            {"区划": district(r), "_size": LIMIT, "_shape": "objects",
                                             "_nocount": 1}), _rows),
        ("filtered", "portal", lambda r: ("/api/v1/open/datasets/bench-big/records",
                                          {"区划": district(r), "AQI[ge]": 150, "sort": "-日期",
                                           "limit": LIMIT}), _rows),
        ("filtered", "datasette", lambda r: ("/bench/readings.json",
                                             {"区划": district(r), "AQI__gte": 150, "_sort_desc": "日期",
                                              "_size": LIMIT, "_shape": "objects", "_nocount": 1}), _rows),
        ("table page", "datasette", lambda r: ("/bench/readings", {"区划": district(r), "_size": 20}), _html),
    ]


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--serve":
        serve(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--datasets", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=1000, help="requests per case")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=30, help="time limit per case")
    args = parser.parse_args()
    frame = readings(args.rows)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/zhengshu.db"
        database = Database.from_url(url)
        upgrade_schema(database.engine)
        settings = load_settings(data_dir=Path(folder) / "var", database_url=url)
        settings.data_dir.mkdir(parents=True)
        started = time.perf_counter()
        codes = set_up(Platform.start(settings, database=database), frame, args.datasets)
        setup = time.perf_counter() - started
        started = time.perf_counter()
        datasette_file(frame, Path(folder) / "bench.db")
        print(f"{args.rows:,} rows, {len(codes)} open datasets; set-up {setup:.0f} s (portal), "
              f"{time.perf_counter() - started:.0f} s (Datasette's SQLite); {args.requests} requests per case from "
              f"{args.threads} threads; run on {date.today()}", flush=True)
        portal_port, datasette_port = _free_port(), _free_port()
        portal, reference = f"http://127.0.0.1:{portal_port}", f"http://127.0.0.1:{datasette_port}"
        results = []
        with _process([sys.executable, __file__, "--serve", str(settings.data_dir), url, str(portal_port)],
                      f"{portal}/api/v1/health"), \
                _process([sys.executable, "-m", "datasette", "serve", str(Path(folder) / "bench.db"), "--port",
                          str(datasette_port), "--setting", "sql_time_limit_ms", "10000",
                          "--setting", "suggest_facets", "off",
                          "--setting", "num_sql_threads", "4"], f"{reference}/bench.json"):
            for _name, server, path, ok in cases(codes):  # warm up
                load(portal if server == "portal" else reference, path, ok, 30, args.threads, args.seconds)
            for name, server, path, ok in cases(codes):
                found = load(portal if server == "portal" else reference, path, ok, args.requests, args.threads,
                             args.seconds)
                results.append((name, server, found))
                print(f"  {server} {name}: {found['n']} requests, {found['rps']:.0f} req/s, p95 "
                      f"{found['p95']:.1f} ms", file=sys.stderr, flush=True)
    print("\n| case | server | requests | req/s | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, server, r in results:
        print(f"| {name} | {server} | {r['n']} | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} |")
    by = {(n, s): r for n, s, r in results}
    print("\n| case | portal/Datasette req/s (aim ≥ 1) | portal p95 ms | aim |")
    print("|---|---:|---:|---|")
    for name, aim in (("records", "—"), ("filtered", "≤ 150 ms")):
        ratio = by[(name, "portal")]["rps"] / by[(name, "datasette")]["rps"]
        print(f"| {name} | {ratio:.2f} | {by[(name, 'portal')]['p95']:.1f} | {aim} |")
    for name in ("search page", "dataset page"):
        ratio = by[(name, "portal")]["rps"] / by[("table page", "datasette")]["rps"]
        print(f"| {name} (vs Datasette's table page) | {ratio:.2f} | {by[(name, 'portal')]['p95']:.1f} | ≤ 200 ms |")


if __name__ == "__main__":
    main()
