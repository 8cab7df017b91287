"""The fusion engine on a toy registry (exact and name links, no Splink) over real datasets, catalogue and
correction tasks: a first run publishes golden records with lineage; a new source version re-links only the
touched clusters and keeps every id; bad input fails the run and the last good version keeps serving."""

from __future__ import annotations

import polars as pl
import pytest

from zhengshu.core.catalog import service as catalog
from zhengshu.core.catalog.schemas import EntryFilter, RetireInput
from zhengshu.core.datasets import service as datasets
from zhengshu.core.datasets.service import DatasetStore
from zhengshu.core.fusion import service
from zhengshu.core.fusion.schemas import DecisionInput
from zhengshu.core.fusion.tests import toy
from zhengshu.core.fusion.tests.conftest import POLICE_OFFICER, RENSHE_OFFICER, SYSTEM
from zhengshu.core.ingest import service as ingest
from zhengshu.kernel.errors import Conflict, InvalidInput, NotFound
from zhengshu.modules import Platform


def _records(platform: Platform, store: DatasetStore) -> pl.DataFrame:
    return datasets.read_columns(platform.uow(), SYSTEM, store, "registry-toy", None).sort("人员编号")


def test_a_first_run_publishes_golden_records_with_lineage_and_opens_correction_tasks(fused) -> None:
    platform, store, codes = fused
    run = service.run_fusion(platform.uow(), SYSTEM, store, toy.spec())
    assert (run.status, run.mode, run.counts["records"], run.counts["rows"]) == ("succeeded", "full", 6, 11)
    records = _records(platform, store)
    assert records.columns == ["人员编号", "姓名", "公民身份号码", "参保状态"]
    assert records["人员编号"].to_list() == [f"T{n:010d}" for n in range(1, 7)]
    by_id = {r["公民身份号码"]: r for r in records.iter_rows(named=True)}
    two = by_id[toy.id_number(2)]
    assert two["姓名"] == "张2" and two["参保状态"] == "正常参保"  # the authority's name, not 错名
    assert by_id[toy.id_number(5)]["参保状态"] == "正常参保"  # the ID-less 社保 row joined 张5 by name
    tasks = ingest.list_corrections(platform.uow(), SYSTEM)
    assert [(t.resource_code, t.origin, t.rows) for t in tasks] == [(codes["shebao"], "fusion", 1)]
    assert "姓名" in tasks[0].problem
    entry = next(e for e in catalog.export_entries(platform.uow(), SYSTEM, EntryFilter()).entries
                 if e.name == "测试人口库")
    assert (entry.classification.directory.value, entry.mount.kind.value, entry.mount.reference) == (
        "base", "registry", "registry-toy")
    assert {i.name: i.personal_info.value for i in entry.items}["公民身份号码"] == "sensitive"
    assert entry.status.value == "published"


def test_a_new_source_version_relinks_only_what_changed_and_keeps_ids(fused) -> None:
    platform, store, _codes = fused
    service.run_fusion(platform.uow(), SYSTEM, store, toy.spec())
    before = _records(platform, store)
    toy.LINKED.clear()
    changed = toy.shebao(renamed=None).with_columns(  # 错名 fixed; one row's status changed
        pl.when(pl.col("身份证号") == toy.id_number(1)).then(pl.lit("暂停参保")).otherwise(pl.col("参保状态"))
        .alias("参保状态"))
    datasets.write_version(platform.uow(), RENSHE_OFFICER, store, "shebao", changed, publish=True)
    run = service.run_fusion(platform.uow(), SYSTEM, store, toy.spec())
    assert run.mode == "incremental"
    assert {s.source: s.read for s in run.sources} == {toy.HUJI: False, toy.SHEBAO: True}
    assert [run.counts["relinked"]] == toy.LINKED and run.counts["relinked"] == 4  # 2 changed rows + 2 of 户籍
    assert (run.counts["added"], run.counts["removed"], run.counts["new_ids"]) == (2, 2, 0)
    after = _records(platform, store)
    assert after["人员编号"].to_list() == before["人员编号"].to_list()
    differs = after.join(before, on="人员编号", suffix="_before").filter(
        pl.col("参保状态") != pl.col("参保状态_before"))
    assert differs["公民身份号码"].to_list() == [toy.id_number(1)]
    assert ingest.list_corrections(platform.uow(), SYSTEM) == []  # 错名 fixed at source: the task closed
    again = service.run_fusion(platform.uow(), SYSTEM, store, toy.spec())
    assert again.counts["relinked"] == 0 and not any(s.read for s in again.sources)


def test_bad_input_fails_the_run_with_a_clear_message_and_the_last_good_version_serves(fused, declared) -> None:
    platform, store, _ = fused
    service.run_fusion(platform.uow(), SYSTEM, store, toy.spec())
    good = _records(platform, store)
    keyless = pl.DataFrame({"参保状态": ["正常参保"], "参保日期": ["2020-01-01"], "单位": ["某单位"]})
    datasets.write_version(platform.uow(), RENSHE_OFFICER, store, "shebao", keyless, publish=True)
    with pytest.raises(InvalidInput, match="没有可用的键"):
        service.run_fusion(platform.uow(), SYSTEM, store, toy.spec())
    runs = service.list_runs(platform.uow(), SYSTEM, "toy")
    assert runs[0].status == "failed" and "社保参保" in runs[0].error
    assert _records(platform, store).equals(good)
    cards = {c.title: c for c in service.home_cards(platform.uow(), SYSTEM)}
    assert cards["测试人口库最近一次融合失败"].tone == "alert"
    assert cards["测试人口库待复核的簇"].value == 1
    assert service.home_cards(platform.uow(), POLICE_OFFICER) == []


def test_a_source_whose_version_disappeared_fails_clearly(fused) -> None:
    platform, store, _ = fused
    service.run_fusion(platform.uow(), SYSTEM, store, toy.spec())
    version = datasets.write_version(platform.uow(), RENSHE_OFFICER, store, "shebao", toy.shebao(3), publish=True)
    store.remove(version.path)
    with pytest.raises(InvalidInput, match="已不存在或不可读"):
        service.run_fusion(platform.uow(), SYSTEM, store, toy.spec())
    assert _records(platform, store).height == 6


def test_a_retired_source_fails_the_run_unless_it_is_dropped_on_purpose(fused) -> None:
    platform, store, codes = fused
    service.run_fusion(platform.uow(), SYSTEM, store, toy.spec())
    catalog.retire_entry(platform.uow(), RENSHE_OFFICER, codes["shebao"], RetireInput(reason="系统停用"))
    with pytest.raises(InvalidInput, match=r"已不在资源目录.*社保参保.*--drop-missing"):
        service.run_fusion(platform.uow(), SYSTEM, store, toy.spec())
    before = _records(platform, store)
    run = service.run_fusion(platform.uow(), SYSTEM, store, toy.spec(), drop_missing=True)
    assert [s.source for s in run.sources] == [toy.HUJI] and run.counts["removed"] == 5
    after = _records(platform, store)
    assert after["人员编号"].to_list() == before["人员编号"].to_list()
    assert after["参保状态"].null_count() == 6 and before["参保状态"].null_count() == 1


def test_one_run_at_a_time(fused) -> None:
    from zhengshu.core.fusion import repository
    from zhengshu.kernel import clock

    platform, store, _ = fused
    with platform.uow() as uow:
        repository.start_run(uow.session, registry="toy", mode="full", started_at=clock.now(), started_by="别人")
        uow.commit()
    with pytest.raises(Conflict, match="已有一次融合在运行"):
        service.run_fusion(platform.uow(), SYSTEM, store, toy.spec())


def test_only_the_data_authority_runs_a_fusion(fused) -> None:
    platform, store, _ = fused
    with pytest.raises(NotFound):
        service.run_fusion(platform.uow(), POLICE_OFFICER, store, toy.spec())


def test_a_split_decision_applies_at_the_next_run_and_a_stale_one_is_refused(fused, declared) -> None:
    platform, store, _ = fused
    service.run_fusion(platform.uow(), SYSTEM, store, toy.spec())
    report = service.fusion_report(platform.uow(), SYSTEM, store, "toy")
    assert [c.rows for c in report.review] == [2]  # 张5: an ID-less row joined by name, weight 5 < 8
    doubtful = report.review[0]
    record = service.registry_record(platform.uow(), SYSTEM, store, "toy", doubtful.id)
    assert record.fingerprint == doubtful.fingerprint and record.value("name") == "张5"
    assert {v.source for v in record.values} == {toy.HUJI, toy.SHEBAO}
    loose = next(m for m in record.members if m.link == "概率匹配")
    service.decide_cluster(platform.uow(), SYSTEM, store, "toy", DecisionInput(
        record_id=doubtful.id, fingerprint=doubtful.fingerprint, decision="split",
        rows=[f"{loose.source}|{loose.hash}|{loose.dup}"]))
    run = service.run_fusion(platform.uow(), SYSTEM, store, toy.spec())
    assert run.counts["records"] == 7 and run.counts["new_ids"] == 1
    kept = service.registry_record(platform.uow(), SYSTEM, store, "toy", doubtful.id)
    assert [m.source for m in kept.members] == [toy.HUJI]
    with pytest.raises(Conflict, match="stale cluster"):
        service.decide_cluster(platform.uow(), SYSTEM, store, "toy", DecisionInput(
            record_id=doubtful.id, fingerprint=doubtful.fingerprint, decision="confirm"))
    assert service.fusion_report(platform.uow(), SYSTEM, store, "toy").review == []
