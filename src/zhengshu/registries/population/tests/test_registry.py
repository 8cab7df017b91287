"""The population registry as a platform module on a small synthetic city: the departments' person files as
published catalogue resources, `run_fusion` with the population spec (Splink), an incremental run after one
source's new version (only the touched persons change, every id stays), and the registry read through the
exchange under a grant, masked."""

from __future__ import annotations

import json
from datetime import timedelta

import polars as pl
import pytest
from conftest import make_actor
from fastapi.testclient import TestClient

from zhengshu.app import create_app
from zhengshu.core.calendar import service as calendar
from zhengshu.core.catalog import service as catalog
from zhengshu.core.catalog.schemas import EntryFilter
from zhengshu.core.datasets import service as datasets
from zhengshu.core.datasets.service import DatasetStore
from zhengshu.core.fusion import service as fusion
from zhengshu.core.fusion.tests.toy import publish_source
from zhengshu.core.identity import service as identity
from zhengshu.core.identity.schemas import ClientCreate
from zhengshu.core.ingest.connectors import open_source
from zhengshu.core.ingest.schemas import SourceSpec
from zhengshu.core.sharing import service as sharing
from zhengshu.core.sharing.schemas import ComplianceReview, GrantTermsInput, ProviderReview, RequestCreate
from zhengshu.kernel import clock
from zhengshu.kernel.actor import system_actor
from zhengshu.kernel.permissions import Role
from zhengshu.modules import Platform
from zhengshu.registries.population.module import OWNER, spec
from zhengshu.synth.city import generate_city
from zhengshu.synth.config import CityConfig

SYSTEM = system_actor("测试")
SHEBAO = "市人社局/社保参保"


@pytest.fixture(scope="module")
def city_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, pl.DataFrame]]:
    """Each person source of a 300-person city, read as text: 部门/表 → (department name, frame)."""
    out = tmp_path_factory.mktemp("city") / "city"
    generate_city(CityConfig(persons=300, seed=3), out)
    files = {}
    for entry in json.loads((out / "manifest.json").read_text("utf-8"))["files"]:
        if entry["subject"] == "person":
            options = {"table": entry["table"]} if entry["format"] == "sqlite" else {}
            with open_source(SourceSpec.for_location(str(out / entry["path"]), **options)) as reader:
                frame = pl.concat([pl.from_arrow(b.records) for b in reader.batches()])
            files[f"{entry['department']}/{entry['table']}"] = (entry["department"], frame.drop("id", strict=False))
    return files


@pytest.fixture
def published(platform: Platform, city_files) -> tuple[Platform, DatasetStore, dict[str, str]]:
    """The sources whose department is one of the city's (the utilities are not) in the catalogue."""
    identity.seed_city(platform.uow(), SYSTEM)
    calendar.seed_calendar(platform.uow(), SYSTEM)
    departments = {o.name: o.code for o in identity.list_organisations(platform.uow(), SYSTEM)}
    codes = {}
    for number, (key, (department, frame)) in enumerate(sorted(city_files.items())):
        if department in departments:
            officer = make_actor(Role.DATA_OFFICER, department=departments[department])
            codes[key] = publish_source(platform, officer, departments[department], key.split("/")[1],
                                        f"person-{number}", frame)
    return platform, DatasetStore.for_data_dir(platform.settings.data_dir), codes


def _records(platform: Platform, store: DatasetStore) -> pl.DataFrame:
    return datasets.read_columns(platform.uow(), SYSTEM, store, "registry-population", None).sort("人员编号")


def test_fusing_persons_then_a_new_version_of_one_source_changes_only_the_touched_persons(published, city_files):
    platform, store, codes = published
    first = fusion.run_fusion(platform.uow(), SYSTEM, store, spec())
    assert first.status == "succeeded" and {s.source for s in first.sources} == set(codes)
    before = _records(platform, store)
    assert 250 <= before.height <= 420, before.height  # 300 people, a few not linked
    assert before["公民身份号码"].drop_nulls().is_unique().all()

    _, shebao = city_files[SHEBAO]
    changed_id = shebao["身份证号"][0]
    new_version = shebao.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("暂停参保"))
                                      .otherwise(pl.col("参保状态")).alias("参保状态"))
    officer = make_actor(Role.DATA_OFFICER, department="130300005")
    dataset = next(s.dataset_code for s in first.sources if s.source == SHEBAO)
    datasets.write_version(platform.uow(), officer, store, dataset, new_version, publish=True)

    second = fusion.run_fusion(platform.uow(), SYSTEM, store, spec())
    assert second.mode == "incremental"
    assert [s.source for s in second.sources if s.read] == [SHEBAO]
    assert 0 < second.counts["relinked"] < first.counts["rows"] / 10, second.counts
    after = _records(platform, store)
    assert after["人员编号"].to_list() == before["人员编号"].to_list()
    columns = [c for c in before.columns if c != "人员编号"]
    differs = after.join(before, on="人员编号", suffix="_b").filter(
        pl.any_horizontal(pl.col(c).ne_missing(pl.col(f"{c}_b")) for c in columns))
    assert differs["参保状态"].to_list() == ["暂停参保"]
    assert differs["人员编号"].to_list() == before.filter(pl.col("公民身份号码") == changed_id)["人员编号"].to_list()


def test_the_registry_is_a_base_resource_served_through_the_exchange_masked(published) -> None:
    platform, store, _ = published
    fusion.run_fusion(platform.uow(), SYSTEM, store, spec())
    entry = next(e for e in catalog.export_entries(platform.uow(), SYSTEM, EntryFilter(directory="base")).entries
                 if e.name == "人口基础库")
    assert (entry.classification.code[:3], entry.provider_code, entry.mount.kind.value) == ("101", OWNER, "registry")
    items = {i.name: (i.level.value, i.personal_info.value) for i in entry.items}
    assert items["公民身份号码"] == ("important", "sensitive") and items["姓名"][1] == "general"

    consumer = "130300005"
    client = identity.create_client(platform.uow(), make_actor(Role.DATA_OFFICER, department=consumer),
                                    ClientCreate(name="社保经办系统", organisation_code=consumer))
    today = clock.now().astimezone(clock.DISPLAY_ZONE).date()
    asked = sharing.submit_request(
        platform.uow(), make_actor(Role.DATA_OFFICER, department=consumer),
        RequestCreate(resource_code=entry.code, client_key=client.client.client_key,
                      fields=["人员编号", "公民身份号码", "姓名", "参保状态"], purpose="社会保险参保资格核验",
                      legal_basis="《中华人民共和国社会保险法》", ends_on=today + timedelta(days=30)),
        platform.settings)
    authority = make_actor(Role.PLATFORM_ADMIN, department=OWNER)
    sharing.review_compliance(platform.uow(), authority, asked.request.id, ComplianceReview(approve=True),
                              platform.settings)
    sharing.review_as_provider(platform.uow(), make_actor(Role.APPROVER, department=OWNER), asked.request.id,
                               ProviderReview(approve=True, grant=GrantTermsInput(daily_quota=1000)))
    with TestClient(create_app(platform)) as http:
        token = http.post("/api/v1/identity/token", json={"client_key": client.client.client_key,
                                                          "client_secret": client.client_secret}).json()
        response = http.get(f"/api/v1/exchange/{entry.code}/records", params={"limit": 50},
                            headers={"Authorization": f"Bearer {token['access_token']}", "X-End-User": "jingbanyuan"})
    assert response.status_code == 200, response.text
    rows = response.json()["rows"]
    golden = _records(platform, store)
    assert len(rows) == 50 and set(rows[0]) == {"人员编号", "公民身份号码", "姓名", "参保状态"}
    full = dict(golden.select("人员编号", "公民身份号码").iter_rows())
    clear = [r for r in rows if full[r["人员编号"]] and "*" not in full[r["人员编号"]]]
    assert len(clear) > 30
    assert all(r["公民身份号码"] != full[r["人员编号"]] and "*" in r["公民身份号码"] for r in clear)


def test_zhengshu_fuse_persons_shows_progress_and_a_summary(published, settings) -> None:
    from typer.testing import CliRunner

    from zhengshu import cli

    env = {"ZHENGSHU_DATA_DIR": str(settings.data_dir), "ZHENGSHU_DATABASE_URL": settings.database_url}
    result = CliRunner().invoke(cli.app, ["fuse", "persons"], env=env)
    assert result.exit_code == 0, result.output
    assert "第 1 次融合（全量）成功" in result.output and "市公安局/户籍人口" in result.output
    again = CliRunner().invoke(cli.app, ["fuse", "persons"], env=env)
    assert "第 2 次融合（增量）成功" in again.output and "重新链接 0 行" in again.output
    assert again.output.count("未变，沿用") == len(published[2])
