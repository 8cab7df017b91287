"""Loading a department's source into a resource on SQLite and PostgreSQL: a GBK CSV with the usual dirt is
read, mapped by its headers, standardised, checked, typed and written as a published version; rejected and
unreadable rows are kept with their reasons; the same input makes no second version; `all_or_nothing` loads
nothing when a row is rejected; a header that matches no item is a clear error."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from conftest import make_actor, page, web_as
from typer.testing import CliRunner

from zhengshu.core.calendar import service as calendar
from zhengshu.core.catalog import service as catalog
from zhengshu.core.catalog.schemas import EntryCreate, EntryUpdate
from zhengshu.core.datasets import service as datasets
from zhengshu.core.datasets.schemas import RecordQuery
from zhengshu.core.datasets.service import DatasetStore
from zhengshu.core.identity import service as identity
from zhengshu.core.ingest import service
from zhengshu.core.ingest.domain import SourceProblem
from zhengshu.core.ingest.schemas import ErrorReport, SourceSpec
from zhengshu.kernel import clock
from zhengshu.kernel.actor import system_actor
from zhengshu.kernel.errors import InvalidInput, NotFound
from zhengshu.kernel.identifiers import id_check_char
from zhengshu.kernel.permissions import Role
from zhengshu.modules import Platform

POLICE = "130300003"
OFFICER = make_actor(Role.DATA_OFFICER, department=POLICE, name="公安数据官")
OTHER = make_actor(Role.DATA_OFFICER, department="130300005", name="人社数据官")
ITEMS = [
    {"name": "公民身份号码", "data_type": "C", "length": 18, "level": "important", "personal_info": "sensitive",
     "is_key": True},
    {"name": "姓名", "data_type": "C", "length": 50, "personal_info": "general"},
    {"name": "出生日期", "data_type": "D", "personal_info": "general"},
    {"name": "家庭人口", "data_type": "I"},
]


def id_number(i: int) -> str:
    body = f"13030219850{(i % 9) + 1}{(i % 28) + 1:02d}{i:03d}"
    return body + id_check_char(body)


def upgrade15(number18: str) -> str:
    return number18[:6] + number18[8:17]


@pytest.fixture
def resource(platform: Platform) -> str:
    system = system_actor("测试")
    identity.seed_city(platform.uow(), system)
    calendar.seed_calendar(platform.uow(), system)
    return catalog.register_entry(platform.uow(), OFFICER, EntryCreate(**{
        "classification": {"directory": "base", "section": "01", "heading": "001"}, "provider_code": POLICE,
        "name": "户籍人口", "abstract": "户籍人口基本信息。", "format": {"type": "database", "detail": "Parquet"},
        "items": ITEMS, "sharing": {"type": "conditional", "condition": "政务服务",
                                   "legal_basis": "《中华人民共和国居民身份证法》", "mode": "api"},
        "opening": {"type": "none"}, "update_cycle": "daily", "owner": "王数据", "contact": "0335-3000000"})).entry.code


def gbk_file(tmp_path: Path, rows: list[str], name: str = "hukou.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(("\r\n".join(["身份证号,姓名,出生日期,家庭人口", *rows]) + "\r\n").encode("gb18030"))
    return path


ROWS = [
    f"{id_number(0)},張三,1985年1月1日,3",  # traditional name, Chinese date form
    f"{upgrade15(id_number(1))},李四,1985/02/02,4",  # a 15-digit ID: upgraded
    f"{id_number(2)[:-1]}{'0' if id_number(2)[-1] != '0' else '1'},王五,1985-03-03,2",  # wrong check digit
    f"{id_number(3).lower()},赵六,19850404,五",  # lower-case x (if any) and a family size that is no number
    f"{id_number(4)},钱七,1985-05-05",  # one field short: cannot be read
    f"{id_number(5)},孙八,1985-06-06,1",
]


def load(platform: Platform, resource: str, path: Path, **options):
    store = DatasetStore.for_data_dir(platform.settings.data_dir)
    return service.load_source(platform.uow(), OFFICER, store, resource, SourceSpec.for_location(str(path)),
                               **options)


def read_version(platform: Platform, dataset: str) -> list[dict]:
    store = DatasetStore.for_data_dir(platform.settings.data_dir)
    return datasets.read_records(platform.uow(), system_actor("测试"), store, dataset, RecordQuery(limit=100)).rows


def test_a_dirty_gbk_file_becomes_a_clean_published_version(platform: Platform, resource: str, tmp_path: Path,
                                                              audit_trail) -> None:
    result = load(platform, resource, gbk_file(tmp_path, ROWS))
    assert (result.status, result.rows_read, result.rows_loaded, result.rows_rejected) == ("loaded", 6, 3, 3)
    assert result.mapping == {"身份证号": "公民身份号码", "姓名": "姓名", "出生日期": "出生日期",
                              "家庭人口": "家庭人口"}
    rows = read_version(platform, result.dataset_code)
    assert [r["公民身份号码"] for r in rows] == [id_number(0), id_number(1), id_number(5)]
    assert rows[0]["姓名"] == "张三" and str(rows[0]["出生日期"]) == "1985-01-01" and rows[0]["家庭人口"] == 3
    entry = catalog.get_entry(platform.uow(), OFFICER, resource).entry
    assert entry.mount is not None and entry.mount.reference == result.dataset_code  # mounted by the load

    rejected = pl.read_parquet(platform.settings.data_dir / result.rejected_path)
    by_row = {r["行号"]: r["问题"] for r in rejected.iter_rows(named=True)}
    assert set(by_row) == {4, 5, 6}  # header is row 1
    assert "GB 11643" in by_row[4] and "家庭人口不是整数" in by_row[5] and by_row[6]
    assert rejected.filter(pl.col("行号") == 4)["身份证号"][0].startswith(id_number(2)[:17])  # kept as sent
    problems = {p["problem"] for p in result.problems}
    assert any("GB 11643" in p for p in problems) and "家庭人口不是整数" in problems

    again = load(platform, resource, gbk_file(tmp_path, ROWS))
    assert again.status == "loaded" and again.reused and again.version == result.version  # no second version
    actions = [a for a, *_ in audit_trail() if a.startswith("ingest.load")]
    assert actions == ["ingest.load_started", "ingest.load_finished"] * 2
    assert [v.load_id for v in service.list_loads(platform.uow(), OFFICER, resource)] == [again.load_id,
                                                                                           result.load_id]


def test_all_or_nothing_loads_nothing_when_a_row_is_rejected(platform: Platform, resource: str,
                                                             tmp_path: Path) -> None:
    first = load(platform, resource, gbk_file(tmp_path, [ROWS[0], ROWS[5]]))
    refused = load(platform, resource, gbk_file(tmp_path, ROWS), policy="all_or_nothing")
    assert (refused.status, refused.version, refused.rows_rejected) == ("refused", None, 3)
    assert "未生成新版本" in refused.message and refused.rejected_path
    assert [r["公民身份号码"] for r in read_version(platform, first.dataset_code)] == [id_number(0), id_number(5)]


def test_headers_that_match_no_item_name_the_columns(platform: Platform, resource: str, tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("编号,备注\n1,x\n", encoding="utf-8")
    with pytest.raises(SourceProblem, match="没有一列能对应"):
        load(platform, resource, path)
    with pytest.raises(InvalidInput, match="不是资源的信息项"):
        load(platform, resource, path, mapping={"编号": "户号"})
    result = load(platform, resource, path, mapping={"编号": "家庭人口"})  # explicit mapping
    assert result.status == "loaded" and result.rows_loaded == 0 and result.rows_rejected == 1  # ID missing
    failed = [v.message for v in service.list_loads(platform.uow(), OFFICER, resource) if v.status == "failed"]
    assert len(failed) == 2 and "没有一列能对应" in failed[1] and "户号" in failed[0]  # failures are recorded too


def test_only_the_provider_loads_and_saved_sources_are_reused(platform: Platform, resource: str,
                                                             tmp_path: Path) -> None:
    store = DatasetStore.for_data_dir(platform.settings.data_dir)
    spec = SourceSpec.for_location(str(gbk_file(tmp_path, [ROWS[0]])))
    with pytest.raises(NotFound):
        service.load_source(platform.uow(), OTHER, store, resource, spec)
    with pytest.raises(InvalidInput, match="没有登记的数据源"):
        service.load_source(platform.uow(), OFFICER, store, resource)
    service.save_source(platform.uow(), OFFICER, resource, spec, {"身份证号": "公民身份号码", "姓名": "姓名"},
                        "all_or_nothing")
    result = service.load_source(platform.uow(), OFFICER, store, resource)
    assert result.status == "loaded" and result.policy == "all_or_nothing" and result.rows_loaded == 1
    assert set(result.mapping) == {"身份证号", "姓名"}


def test_the_command_line_loads_with_a_progress_and_a_report(platform: Platform, resource: str, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from zhengshu.cli import app

    monkeypatch.setenv("ZHENGSHU_DATA_DIR", str(platform.settings.data_dir))
    monkeypatch.setenv("ZHENGSHU_DATABASE_URL", platform.settings.resolved_database_url)
    result = CliRunner().invoke(app, ["ingest", "load", str(gbk_file(tmp_path, ROWS)), "--resource", resource])
    assert result.exit_code == 0, result.output
    assert "已加载" in result.output and "问题行 3 行" in result.output and "问题行及原因" in result.output
    refused = CliRunner().invoke(app, ["ingest", "load", str(gbk_file(tmp_path, ROWS)), "--resource", resource,
                                       "--policy", "all_or_nothing"])
    assert refused.exit_code == 5 and "未生成新版本" in refused.output


def test_values_reveal_sensitive_items_and_the_officer_adopts_the_proposal(platform: Platform, resource: str,
                                                                        tmp_path: Path, audit_trail) -> None:
    entry = catalog.get_entry(platform.uow(), OFFICER, resource).entry
    payload = {k: v for k, v in entry.as_input().items() if k not in ("classification", "provider_code")}
    payload["items"].append({"name": "备注", "data_type": "C", "length": 50})  # holds phone numbers, unsaid
    payload["items"][0].update(level="general", personal_info="none")  # ID numbers under-classified
    catalog.update_entry(platform.uow(), OFFICER, resource, EntryUpdate(**payload))
    path = tmp_path / "with-notes.csv"
    path.write_text("\n".join(["身份证号,姓名,备注", *(f"{id_number(i)},张{i},1390335{i:04d}" for i in range(20))]),
                    encoding="utf-8")
    result = load(platform, resource, path)
    found = {d["item"]: d for d in result.discoveries}
    assert set(found) == {"公民身份号码", "备注"}
    assert (found["公民身份号码"]["proposed_level"], found["公民身份号码"]["proposed_personal_info"]) == (
        "important", "sensitive")
    assert found["备注"]["kind"] == "手机号码" and found["备注"]["share"] == 1.0
    adopted = service.apply_classification(platform.uow(), OFFICER, result.load_id, ["公民身份号码"])
    assert [d["item"] for d in adopted.discoveries] == ["备注"]
    items = {i.name: i for i in catalog.get_entry(platform.uow(), OFFICER, resource).entry.items}
    assert (items["公民身份号码"].level.value, items["公民身份号码"].personal_info.value) == ("important", "sensitive")
    assert items["备注"].personal_info.value == "none"  # not adopted, not changed
    assert "ingest.classification_applied" in [a for a, *_ in audit_trail()]
    with pytest.raises(InvalidInput):
        service.apply_classification(platform.uow(), OFFICER, result.load_id, ["公民身份号码"])  # done already


def test_problems_become_correction_tasks_and_the_next_clean_load_closes_them(platform: Platform, resource: str,
                                                                              tmp_path: Path, audit_trail) -> None:
    first = load(platform, resource, gbk_file(tmp_path, ROWS))
    tasks = {t.problem: t for t in service.list_corrections(platform.uow(), OFFICER)}
    assert {p["problem"] for p in first.problems} == set(tasks)
    assert all(t.origin == "load" and t.provider_code == POLICE and t.due_on > t.opened_at.date() for t in
               tasks.values())
    assert service.list_corrections(platform.uow(), OTHER) == []  # another department's tasks are not shown

    again = load(platform, resource, gbk_file(tmp_path, [ROWS[0], ROWS[2], ROWS[5]]))  # one problem left
    still = service.list_corrections(platform.uow(), OFFICER)
    assert [(t.rows, t.load_id) for t in still] == [(1, again.load_id)] and "GB 11643" in still[0].problem
    closed = service.list_corrections(platform.uow(), OFFICER, "closed")
    assert len(closed) == len(tasks) - 1 and all(again.load_id in t.closing_note for t in closed)
    actions = [a for a, *_ in audit_trail()]
    assert actions.count("ingest.correction_opened") == len(tasks)
    assert actions.count("ingest.correction_closed") == len(tasks) - 1

    [card] = service.home_cards(platform.uow(), OFFICER)
    assert card.value == 1 and card.link == "/ingest/corrections"


def test_a_consumer_reports_a_wrong_record_and_the_provider_closes_it(platform: Platform, resource: str,
                                                                     tmp_path: Path) -> None:
    load(platform, resource, gbk_file(tmp_path, [ROWS[0]]))
    with pytest.raises(NotFound):  # not published yet
        service.report_error(platform.uow(), OTHER, resource, ErrorReport(description="姓名错了"))
    catalog.publish_entry(platform.uow(), OFFICER, resource)
    task = service.report_error(platform.uow(), OTHER, resource,
                                ErrorReport(record_key=id_number(0), description="姓名应为张叁"))
    assert (task.origin, task.reported_by, task.provider_code, task.status) == ("consumer", "130300005", POLICE,
                                                                               "open")
    with pytest.raises(NotFound):  # the consumer cannot close the provider's task
        service.close_correction(platform.uow(), OTHER, task.id, "已改")
    with pytest.raises(InvalidInput):
        service.close_correction(platform.uow(), OFFICER, task.id, "")
    done = service.close_correction(platform.uow(), OFFICER, task.id, "已在户籍系统中更正")
    assert done.status == "closed" and done.closing_note == "已在户籍系统中更正"


def test_no_such_load_and_another_department_s_load_answer_alike(platform: Platform, resource: str,
                                                                 tmp_path: Path) -> None:
    """The load page once said "没有加载 X" for a load that does not exist and "not found" for another
    department's: telling the two apart confirmed a load id. Now both are the one answer."""
    loaded = load(platform, resource, gbk_file(tmp_path, [ROWS[0], ROWS[2]]))
    catalog.publish_entry(platform.uow(), OFFICER, resource)  # the entry is visible to everyone; its loads are not
    for who in (OTHER, make_actor()):  # another department's officer, a user without any role
        with web_as(platform, who) as (client, _):
            for path in ("/ingest/loads/{}", "/ingest/loads/{}/rejected.csv", "/ingest/loads/{}/progress"):
                theirs, missing = (client.get(path.format(i)) for i in (loaded.load_id, "L-no-such-load"))
                assert "未找到，或您无权访问" in page(theirs, 404)
                assert (theirs.status_code, theirs.text) == (missing.status_code, missing.text)
                as_json = [client.get(path.format(i), headers={"Accept": "application/json"})
                           for i in (loaded.load_id, "L-no-such-load")]
                assert as_json[0].status_code == as_json[1].status_code == 404
                assert as_json[0].json() == as_json[1].json() == {"error": {
                    "code": "not_found", "message": "未找到，或您无权访问。", "field": None, "details": {}}}
    with web_as(platform, OFFICER) as (client, _):
        assert client.get(f"/ingest/loads/{loaded.load_id}").status_code == 200


def wait_for(platform: Platform, load_id: str, seconds: float = 20) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        view = service.get_load(platform.uow(), OFFICER, load_id)
        if view.status not in ("queued", "running"):
            return view
        time.sleep(0.1)
    raise AssertionError(f"load {load_id} did not finish")


def test_queued_loads_run_in_the_background_and_due_sources_reload(platform: Platform, resource: str,
                                                                   tmp_path: Path) -> None:
    store = DatasetStore.for_data_dir(platform.settings.data_dir)
    path = gbk_file(tmp_path, ROWS)
    with path.open("rb") as upload:
        queued = service.queue_upload(platform.uow(), OFFICER, store, platform.jobs, resource, "户籍.csv", upload)
    assert queued.status == "queued"
    platform.jobs.start_worker()
    try:
        done = wait_for(platform, queued.load_id)
        assert (done.status, done.rows_loaded, done.version) == ("loaded", 3, 1)

        service.save_source(platform.uow(), OFFICER, resource, SourceSpec.for_location(str(path)), {})
        system = system_actor("定时归集")
        today = clock.now().astimezone(clock.DISPLAY_ZONE).date()
        assert service.reload_due(platform.uow(), system, platform.jobs, today) == []  # loaded today: daily
        [reloaded] = service.reload_due(platform.uow(), system, platform.jobs, today + timedelta(days=1))
        assert wait_for(platform, reloaded).reused  # the same file: no new version

        path.write_bytes(b"<html><body>Service Unavailable</body></html>")  # the department's export broke
        [broken] = service.reload_due(platform.uow(), system, platform.jobs, today + timedelta(days=2))
        failed = wait_for(platform, broken)
        assert failed.status == "failed" and "网页" in failed.message
    finally:
        platform.jobs.stop_worker()
    cards = {c.title: c for c in service.home_cards(platform.uow(), OFFICER)}
    assert cards["本部门最近一次加载失败的资源"].value == 1 and cards["本部门最近一次加载失败的资源"].tone == "alert"
    with pytest.raises(NotFound):
        service.reload_due(platform.uow(), OFFICER, platform.jobs)  # the platform's job, not an officer's


def test_columns_are_matched_by_their_values_when_their_names_say_nothing(platform: Platform, resource: str,
                                                                          tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("\n".join(["字段1,字段2", *(f"{id_number(i)},孙{i}" for i in range(10))]), encoding="utf-8")
    result = load(platform, resource, path)
    assert result.mapping == {"字段1": "公民身份号码"} and result.rows_loaded == 10


def test_a_referential_rule_checks_against_another_resource_s_current_version(platform: Platform, resource: str,
                                                                              tmp_path: Path) -> None:
    from zhengshu.core.quality import service as quality

    load(platform, resource, gbk_file(tmp_path, [ROWS[0], ROWS[5]]))  # the register: people 0 and 5
    catalog.publish_entry(platform.uow(), OFFICER, resource)
    market = make_actor(Role.DATA_OFFICER, department="130300004", name="市场监管数据官")
    enterprises = catalog.register_entry(platform.uow(), market, EntryCreate(**{
        "classification": {"directory": "base", "section": "02", "heading": "001"}, "provider_code": "130300004",
        "name": "企业登记", "items": [{"name": "企业名称", "data_type": "C", "length": 100},
                                      {"name": "法定代表人证件号码", "data_type": "C", "length": 18,
                                       "personal_info": "sensitive"}]})).entry.code
    quality.save_rule_set(platform.uow(), market, enterprises, {"resource_code": enterprises, "rules": [
        {"id": "rep-registered", "kind": "referential", "fields": ["法定代表人证件号码"], "reference": resource,
         "reference_fields": ["公民身份号码"], "severity": "reject", "message": "法定代表人不在户籍人口中"}]})
    path = tmp_path / "qiye.csv"
    path.write_text(f"企业名称,法定代表人证件号码\n甲公司,{id_number(0)}\n乙公司,{id_number(7)}\n", encoding="utf-8")
    store = DatasetStore.for_data_dir(platform.settings.data_dir)
    result = service.load_source(platform.uow(), market, store, enterprises, SourceSpec.for_location(str(path)))
    assert (result.rows_loaded, result.rows_rejected) == (1, 1)
    assert [p["problem"] for p in result.problems] == ["法定代表人不在户籍人口中"]
