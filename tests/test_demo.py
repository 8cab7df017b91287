"""The demo's content: the synthetic city's department tables become datasets and published catalogue
entries, once, readable through the dataset store."""

from __future__ import annotations

from pathlib import Path

from zhengshu.core.calendar.service import seed_calendar
from zhengshu.core.catalog import service as catalog
from zhengshu.core.catalog.schemas import EntryFilter
from zhengshu.core.datasets import service as datasets
from zhengshu.core.datasets.domain import RecordQuery
from zhengshu.core.datasets.store import DatasetStore
from zhengshu.core.identity.service import seed_city
from zhengshu.demo import ACTOR, publish_city
from zhengshu.modules import Platform
from zhengshu.synth.city import generate_city
from zhengshu.synth.config import CityConfig


def test_the_city_is_published_once_and_reads_back(platform: Platform) -> None:
    seed_city(platform.uow(), ACTOR)
    seed_calendar(platform.uow(), ACTOR)
    city = platform.settings.data_dir / "city"
    generate_city(CityConfig(persons=300, seed=5), city)

    published = publish_city(platform, city)
    entries = catalog.export_entries(platform.uow(), ACTOR, EntryFilter()).entries
    assert published == len(entries) >= 12
    assert {e.status.value for e in entries} == {"published"}
    register = next(e for e in entries if e.name == "户籍人口")
    assert register.provider_name == "市公安局" and register.sharing.type.value == "conditional"
    assert {i.name for i in register.items if i.personal_info.value == "sensitive"} == {"公民身份号码"}

    page = datasets.read_records(platform.uow(), ACTOR, DatasetStore.for_data_dir(platform.settings.data_dir),
                                 register.mount.reference, RecordQuery(columns=("公民身份号码",), limit=5))
    assert len(page.rows) == 5 and all(len(row["公民身份号码"]) in (15, 18) for row in page.rows)

    assert publish_city(platform, city) == 0  # a second demo start adds nothing


def _published_city(platform: Platform) -> Path:
    """A small synthetic city, its department tables published."""
    seed_city(platform.uow(), ACTOR)
    seed_calendar(platform.uow(), ACTOR)
    city = platform.settings.data_dir / "city"
    generate_city(CityConfig(persons=300, seed=5), city)
    publish_city(platform, city)
    return city


def test_the_demo_grants_a_request_and_reads_through_the_exchange(platform: Platform) -> None:
    from zhengshu.core.audit.service import verify_chain
    from zhengshu.core.exchange.service import monitor_summary
    from zhengshu.demo import share_and_read

    _published_city(platform)

    traffic = share_and_read(platform, scale=0.2)
    assert (traffic.grants, traffic.refused) == (5, 1) and traffic.records > 100 and traffic.checks == 6
    summary = monitor_summary(platform.uow(), ACTOR)
    assert summary.denied == 1 and summary.rows == traffic.records + traffic.checks
    assert {r.name for r in summary.top_consumers} == {"市人社局", "市民政局", "市教育局", "市税务局", "市住建局"}

    from zhengshu.core.exchange.service import reads_about_me
    from zhengshu.core.identity.service import citizen_sign_in
    from zhengshu.demo import demo_people
    from zhengshu.kernel.actor import PUBLIC

    [person] = demo_people(platform, 1)
    citizen = citizen_sign_in(platform.uow(), PUBLIC, person["公民身份号码"], platform.secret_key, platform.settings)
    reads = reads_about_me(platform.uow(), citizen)
    assert {(r.consumer_name, r.operation) for r in reads} >= {  # 社保参保 names people too (市住建局 reads it)
        ("市人社局", "read"), ("市民政局", "verify"), ("市教育局", "verify")}
    result = verify_chain(platform.uow(), ACTOR, platform.audit_key.public_key_hex)
    assert result.ok, result.summary


def test_the_demo_opens_the_priority_fields_on_the_portal(platform: Platform) -> None:
    from zhengshu.core.opendata import service as opendata
    from zhengshu.demo import open_city
    from zhengshu.kernel.actor import PUBLIC

    city = _published_city(platform)

    assert open_city(platform, city) == 5
    found = opendata.search(platform.uow(), PUBLIC, page_size=100)
    assert {s.code for s in found.datasets} == {
        "air-quality-daily", "scenic-visitors-monthly", "public-facilities", "enterprise-registrations",
        "special-equipment-inspections"}
    assert {f.value for f in found.facets["theme"]} == {"environment", "tourism", "public_service", "market",
                                                        "safety"}
    ctx = opendata.Context.from_settings(platform.settings)
    stats = opendata.dataset(platform.uow(), PUBLIC, ctx, "enterprise-registrations").opening
    assert [c.name for c in stats.columns] == ["区划", "行业", "成立日期（年）", "记录数"]
    [line, bar] = opendata.charts(platform.uow(), PUBLIC, ctx, "air-quality-daily")
    assert (line["kind"], len(line["x"]), bar["kind"], len(bar["x"])) == ("line", 365, "bar", 7)
    places = opendata.charts(platform.uow(), PUBLIC, ctx, "public-facilities")
    assert [c["kind"] for c in places] == ["bar", "scatter"] and len(places[1]["points"]) >= 17
    assert open_city(platform, city) == 0  # a second demo start adds nothing


def test_the_demo_supervises_the_synthetic_plan(platform: Platform, monkeypatch) -> None:
    from datetime import UTC, datetime

    from zhengshu.apps.supervision import service as supervision
    from zhengshu.demo import SUPERVISOR, supervise_plan
    from zhengshu.kernel import clock

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 26, 2, tzinfo=UTC))
    seed_city(platform.uow(), ACTOR)
    done = supervise_plan(platform, platform.settings.data_dir / "city")
    assert done is not None and (done.tasks, done.reports) == (12, 9)
    assert (platform.settings.data_dir / "city" / "plan" / "公共数据授权运营实施方案.txt").exists()
    tasks = {t.code: t for t in supervision.list_tasks(platform.uow(), SUPERVISOR, done.plan_id)}
    assert {c for c, t in tasks.items() if t.overdue} == {"2.3", "3.2", "4.1"} and done.overdue == 3
    assert tasks["1.4"].status == "completed" and tasks["2.3"].stalled
    assert len(tasks["1.1"].responsible) == 12 and tasks["4.2"].unspecified == ["市政府相关部门"]  # 3 + 9 counties
    assert supervise_plan(platform, platform.settings.data_dir / "city") is None  # once


def test_the_demo_builds_the_population_registry_from_the_city(platform: Platform) -> None:
    from zhengshu.demo import fuse_registries

    _published_city(platform)

    [run] = [r for r in fuse_registries(platform) if r.registry == "population"]
    assert run.status == "succeeded" and 250 <= run.counts["records"] <= 450
    assert {s.source for s in run.sources} >= {"市公安局/户籍人口", "市人社局/社保参保", "市民政局/婚姻登记"}
    base = catalog.export_entries(platform.uow(), ACTOR, EntryFilter(directory="base")).entries
    assert any(e.name == "人口基础库" and e.mount.kind.value == "registry" for e in base)
    [again] = [r for r in fuse_registries(platform) if r.registry == "population"]
    assert again.counts["relinked"] == 0 and again.counts["records"] == run.counts["records"]


def test_the_policy_library_loads_laws_and_the_folder_once(platform: Platform, tmp_path) -> None:
    from dataclasses import replace

    from zhengshu.apps.policy import service as policy
    from zhengshu.demo import load_policy_library

    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "notice.txt").write_text("某市关于社保卡补办的通知\n一、补办\n社会保障卡遗失的，可以到服务网点补办。\n",
                                       "utf-8")
    demo = replace(platform, settings=platform.settings.model_copy(update={"policy_folder": folder}))
    assert load_policy_library(demo, laws=3) == (4, 0)
    listing = policy.list_documents(platform.uow(), ACTOR)
    assert listing.total == 4 and sum(d.format == "lawdb" for d in listing.documents) == 3
    assert load_policy_library(demo, laws=3) == (1, 0)  # laws already there are skipped; the folder re-reads
    assert policy.ask(platform.uow(), ACTOR, "社保卡丢了怎么补办").answered
