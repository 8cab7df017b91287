"""Dataset use cases on the real database (SQLite and PostgreSQL) and a real data directory: create, write,
publish, read; failed writes leave the previous version serving; identical content makes no new version;
other departments see nothing; every write leaves its audit record."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from zhengshu.core.datasets import service
from zhengshu.core.datasets.domain import Column, Filter, RecordQuery
from zhengshu.core.datasets.schemas import VersionView
from zhengshu.core.datasets.store import DatasetStore
from zhengshu.core.datasets.tests.conftest import (
    ANALYST,
    HUKOU,
    MARKET,
    MARKET_OFFICER,
    POLICE,
    POLICE_OFFICER,
    SYSTEM,
    people,
)
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.errors import Conflict, InvalidInput, NotFound
from zhengshu.modules import Platform


def folders(store: DatasetStore, code: str = HUKOU) -> list[str]:
    """Everything under the dataset's folder, hidden staging folders included."""
    return sorted(p.name for p in (store.root / code).iterdir())


def read_all(platform: Platform, store: DatasetStore, actor: Actor = POLICE_OFFICER, **query) -> list[dict]:
    return service.read_records(platform.uow(), actor, store, HUKOU, RecordQuery(limit=1000, **query)).rows


# --- datasets ---------------------------------------------------------------------------------------------

def test_create_dataset_checks_code_owner_and_duplicates(seeded: Platform, admin: Actor, actions) -> None:
    created = service.create_dataset(seeded.uow(), admin, " 130300003-hukou ", " 常住人口户籍 ", POLICE)
    assert (created.code, created.name, created.owner_code, created.current_version) == (
        HUKOU, "常住人口户籍", POLICE, None)
    assert actions()[-1] == "datasets.dataset_created"
    with pytest.raises(Conflict):
        service.create_dataset(seeded.uow(), admin, HUKOU, "又一个", POLICE)
    for bad in ("Hukou", "a", "../etc", "户籍", "x/y"):
        with pytest.raises(InvalidInput) as raised:
            service.create_dataset(seeded.uow(), admin, bad, "名称", POLICE)
        assert raised.value.field == "code"
    with pytest.raises(InvalidInput) as raised:
        service.create_dataset(seeded.uow(), admin, "999-x", "名称", "999")
    assert raised.value.field == "owner"
    with pytest.raises(InvalidInput):
        service.create_dataset(seeded.uow(), admin, "130300003-x", "  ", POLICE)


def test_a_data_officer_creates_only_for_their_own_department(seeded: Platform) -> None:
    service.create_dataset(seeded.uow(), POLICE_OFFICER, HUKOU, "常住人口户籍", POLICE)
    with pytest.raises(NotFound):
        service.create_dataset(seeded.uow(), MARKET_OFFICER, "130300003-x", "冒名", POLICE)
    with pytest.raises(NotFound):
        service.create_dataset(seeded.uow(), ANALYST, "130300001-x", "分析", "130300001")


def test_ensure_dataset_creates_once_and_keeps_the_owner(seeded: Platform) -> None:
    first = service.ensure_dataset(seeded.uow(), SYSTEM, HUKOU, "常住人口户籍", POLICE)
    again = service.ensure_dataset(seeded.uow(), SYSTEM, HUKOU, "别的名字", POLICE)
    assert first == again
    with pytest.raises(Conflict):
        service.ensure_dataset(seeded.uow(), SYSTEM, HUKOU, "常住人口户籍", MARKET)


# --- write, publish, read ---------------------------------------------------------------------------------

def test_write_publish_read(seeded: Platform, store: DatasetStore, actions) -> None:
    service.create_dataset(seeded.uow(), POLICE_OFFICER, HUKOU, "常住人口户籍", POLICE)
    frame = people()
    written = service.write_version(seeded.uow(), POLICE_OFFICER, store, HUKOU, frame)
    assert (written.version, written.status, written.row_count, written.current) == (1, "ready", 60, False)
    assert written.path == f"datasets/{HUKOU}/v1" and (store.root.parent / written.path).is_dir()
    assert written.created_by == POLICE_OFFICER.label
    assert [c.name for c in written.columns] == frame.columns
    assert {c.name: c.type for c in written.columns}["电话"] == "string"
    assert store.content_hash(written.path) == written.content_hash  # SM3 of the file, byte for byte
    with pytest.raises(NotFound, match="尚未发布"):
        read_all(seeded, store)
    assert read_all(seeded, store, version=1)[0]["身份证号"] == frame["身份证号"][0]  # preview before publishing

    published = service.publish_version(seeded.uow(), POLICE_OFFICER, HUKOU, 1)
    assert published.current
    rows = read_all(seeded, store)
    assert pl.DataFrame(rows, schema=frame.schema).equals(frame)
    assert actions()[-5:] == ["datasets.version_started", "datasets.version_written", "datasets.records_read",
                              "datasets.version_published", "datasets.records_read"]
    [listed] = service.list_datasets(seeded.uow(), POLICE_OFFICER)
    assert (listed.current_version, listed.current_row_count) == (1, 60)


def test_a_new_version_replaces_the_current_one_and_an_old_one_can_come_back(
        hukou: VersionView, seeded: Platform, store: DatasetStore) -> None:
    second = service.write_version(seeded.uow(), POLICE_OFFICER, store, HUKOU, people(10, offset=500),
                                   publish=True)
    assert (second.version, second.current) == (2, True)
    assert len(read_all(seeded, store)) == 10
    assert len(read_all(seeded, store, version=1)) == 60  # versions are immutable and stay readable
    service.publish_version(seeded.uow(), POLICE_OFFICER, HUKOU, 1)
    assert len(read_all(seeded, store)) == 60
    listed = service.list_versions(seeded.uow(), POLICE_OFFICER, HUKOU)
    assert [(v.version, v.current) for v in listed] == [(2, False), (1, True)]
    with pytest.raises(NotFound):
        service.publish_version(seeded.uow(), POLICE_OFFICER, HUKOU, 3)


def test_identical_content_makes_no_new_version(hukou: VersionView, seeded: Platform, store: DatasetStore,
                                                actions) -> None:
    before = len(actions())
    again = service.write_version(seeded.uow(), POLICE_OFFICER, store, HUKOU, people().to_arrow())
    assert (again.version, again.reused, again.content_hash) == (1, True, hukou.content_hash)
    assert len(actions()) == before  # nothing written, nothing to record
    assert folders(store) == ["v1"]
    # content equal to an older version: that version comes back, and is published when asked
    service.write_version(seeded.uow(), POLICE_OFFICER, store, HUKOU, people(5), publish=True)
    back = service.write_version(seeded.uow(), POLICE_OFFICER, store, HUKOU, people(), publish=True)
    assert (back.version, back.reused, back.current) == (1, True, True)


def test_a_write_failing_half_way_leaves_the_previous_version_serving(
        hukou: VersionView, seeded: Platform, store: DatasetStore, monkeypatch: pytest.MonkeyPatch,
        actions) -> None:
    def half_then_fail(target: Path, data: bytes) -> None:
        target.write_bytes(data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(DatasetStore, "_write", staticmethod(half_then_fail))
    with pytest.raises(OSError, match="No space left"):
        service.write_version(seeded.uow(), POLICE_OFFICER, store, HUKOU, people(30, offset=100), publish=True)
    assert folders(store) == ["v1"]  # no v2, no staging folder left behind
    versions = service.list_versions(seeded.uow(), POLICE_OFFICER, HUKOU)
    assert [(v.version, v.status, v.current) for v in versions] == [(2, "failed", False), (1, "ready", True)]
    assert "No space left" in (versions[0].failure or "")
    assert actions()[-2:] == ["datasets.version_started", "datasets.version_failed"]
    assert len(read_all(seeded, store)) == 60
    with pytest.raises(NotFound):
        read_all(seeded, store, version=2)
    with pytest.raises(Conflict):
        service.publish_version(seeded.uow(), POLICE_OFFICER, HUKOU, 2)

    monkeypatch.undo()  # the next write gets the next number; the failed one is never reused
    third = service.write_version(seeded.uow(), POLICE_OFFICER, store, HUKOU, people(30, offset=100))
    assert third.version == 3 and folders(store) == ["v1", "v3"]


def test_a_failure_when_marking_ready_removes_the_placed_folder(
        hukou: VersionView, seeded: Platform, store: DatasetStore, monkeypatch: pytest.MonkeyPatch) -> None:
    from zhengshu.core.datasets import repository

    real = repository.set_status

    def broken(session, dataset_id, number, status, failure=None):
        if status.value == "ready":
            raise RuntimeError("数据库连接中断")
        real(session, dataset_id, number, status, failure)

    monkeypatch.setattr(repository, "set_status", broken)
    with pytest.raises(RuntimeError):
        service.write_version(seeded.uow(), POLICE_OFFICER, store, HUKOU, people(8), publish=True)
    assert folders(store) == ["v1"]
    assert [v.status for v in service.list_versions(seeded.uow(), POLICE_OFFICER, HUKOU)] == ["failed", "ready"]
    assert len(read_all(seeded, store)) == 60


def test_a_frame_whose_columns_do_not_match_is_refused_before_anything_is_written(
        hukou: VersionView, seeded: Platform, store: DatasetStore) -> None:
    declared = [Column(c.name, c.type) for c in hukou.columns]
    with pytest.raises(InvalidInput, match="缺少列：户号"):
        service.write_version(seeded.uow(), POLICE_OFFICER, store, HUKOU, people().drop("户号"), columns=declared)
    wrong = people().with_columns(pl.col("户号").cast(pl.Int64))  # the leading zeros are already gone
    with pytest.raises(InvalidInput, match="户号"):
        service.write_version(seeded.uow(), POLICE_OFFICER, store, HUKOU, wrong, columns=declared)
    with pytest.raises(InvalidInput, match="_row"):
        service.write_version(seeded.uow(), POLICE_OFFICER, store, HUKOU, people().with_columns(_row=pl.lit(1)))
    assert folders(store) == ["v1"]
    assert [v.version for v in service.list_versions(seeded.uow(), POLICE_OFFICER, HUKOU)] == [1]
    reordered = people(5).select(list(reversed(people().columns)))
    written = service.write_version(seeded.uow(), POLICE_OFFICER, store, HUKOU, reordered, columns=declared)
    assert [c.name for c in written.columns] == [c.name for c in declared]


def test_id_numbers_and_phones_stay_text(hukou: VersionView, seeded: Platform, store: DatasetStore) -> None:
    frame = pl.DataFrame({"身份证号": ["13030219900101001X", "130302199001010023"], "电话": ["013800138000", "0335"],
                          "编号": ["000123", "007"]})
    service.write_version(seeded.uow(), POLICE_OFFICER, store, HUKOU, frame, publish=True)
    rows = read_all(seeded, store, filters=(Filter("编号", "eq", "007"),))
    assert rows == [{"身份证号": "130302199001010023", "电话": "0335", "编号": "007"}]
    page = service.read_records(seeded.uow(), POLICE_OFFICER, store, HUKOU, RecordQuery())
    assert {c.type for c in page.columns} == {"string"}
    assert page.rows[0] == {"身份证号": "13030219900101001X", "电话": "013800138000", "编号": "000123"}


# --- reading through the service ---------------------------------------------------------------------------

def test_read_records_pages_and_counts(hukou: VersionView, seeded: Platform, store: DatasetStore,
                                       actions) -> None:
    query = RecordQuery(columns=("身份证号", "年龄"), filters=(Filter("区划", "eq", "130303"),),
                        sort=(("年龄", "desc"),), limit=4)
    seen: list[str] = []
    page = service.read_records(seeded.uow(), POLICE_OFFICER, store, HUKOU, query)
    while True:
        assert [c.name for c in page.columns] == ["身份证号", "年龄"] and len(page.rows) <= 4
        seen += [r["身份证号"] for r in page.rows]
        if page.next is None:
            break
        page = service.read_records(seeded.uow(), POLICE_OFFICER, store, HUKOU,
                                    RecordQuery(columns=query.columns, filters=query.filters, sort=query.sort,
                                                after=page.next, limit=4))
    expected = people().filter(pl.col("区划") == "130303")["身份证号"].to_list()
    assert sorted(seen) == sorted(expected) and len(seen) == len(set(seen)) == 15
    total = service.count_records(seeded.uow(), POLICE_OFFICER, store, HUKOU, [Filter("区划", "eq", "130303")])
    assert total == 15
    assert actions()[-1] == "datasets.records_read"
    before = len(actions())
    service.count_records(seeded.uow(), SYSTEM, store, HUKOU)  # the platform records its own reads
    assert len(actions()) == before


def test_read_row_reads_one_row_of_a_version_by_its_number(hukou: VersionView, seeded: Platform,
                                                            store: DatasetStore, actions) -> None:
    expected = people().row(6, named=True)  # row 7, counting from 1 in the order the rows were written
    page = service.read_row(seeded.uow(), POLICE_OFFICER, store, HUKOU, hukou.version, 7)
    assert page.rows == [{k: page.rows[0][k] for k in expected}] and page.rows[0]["身份证号"] == expected["身份证号"]
    assert actions()[-1] == "datasets.records_read"
    for row in (0, len(people()) + 1):
        with pytest.raises(NotFound):
            service.read_row(seeded.uow(), POLICE_OFFICER, store, HUKOU, hukou.version, row)
    with pytest.raises(NotFound):
        service.read_row(seeded.uow(), POLICE_OFFICER, store, HUKOU, hukou.version + 5, 1)


def test_a_reader_keeps_paging_the_version_they_started_on(hukou: VersionView, seeded: Platform,
                                                           store: DatasetStore) -> None:
    first = service.read_records(seeded.uow(), POLICE_OFFICER, store, HUKOU, RecordQuery(limit=50))
    service.write_version(seeded.uow(), POLICE_OFFICER, store, HUKOU, people(3, offset=900), publish=True)
    rest = service.read_records(seeded.uow(), POLICE_OFFICER, store, HUKOU, RecordQuery(after=first.next))
    assert (rest.version, len(first.rows) + len(rest.rows), rest.next) == (1, 60, None)
    with pytest.raises(InvalidInput, match="第 1 版"):
        service.read_records(seeded.uow(), POLICE_OFFICER, store, HUKOU, RecordQuery(after=first.next, version=2))


def test_read_errors_name_the_problem(hukou: VersionView, seeded: Platform, store: DatasetStore) -> None:
    def read(**query) -> None:
        service.read_records(seeded.uow(), POLICE_OFFICER, store, HUKOU, RecordQuery(**query))

    with pytest.raises(InvalidInput, match="不存在：学历") as raised:
        read(columns=("姓名", "学历"))
    assert raised.value.field == "学历"
    with pytest.raises(InvalidInput, match="like"):
        read(filters=(Filter("姓名", "like", "张%"),))
    with pytest.raises(InvalidInput, match="1000"):
        read(limit=1001)
    with pytest.raises(InvalidInput, match="_row"):
        read(sort=(("_row", "asc"),))


# --- who may do what ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", [MARKET_OFFICER, ANALYST])
def test_other_departments_and_other_roles_see_nothing(hukou: VersionView, seeded: Platform, store: DatasetStore,
                                                       who: Actor) -> None:
    attempts: list[Callable[[], object]] = [
        lambda: service.read_records(seeded.uow(), who, store, HUKOU, RecordQuery()),
        lambda: service.count_records(seeded.uow(), who, store, HUKOU),
        lambda: service.list_versions(seeded.uow(), who, HUKOU),
        lambda: service.write_version(seeded.uow(), who, store, HUKOU, people(3)),
        lambda: service.publish_version(seeded.uow(), who, HUKOU, 1),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            attempt()
    assert [v.version for v in service.list_versions(seeded.uow(), SYSTEM, HUKOU)] == [1]


def test_a_hidden_dataset_reads_like_a_missing_one(hukou: VersionView, seeded: Platform) -> None:
    with pytest.raises(NotFound) as hidden:
        service.list_versions(seeded.uow(), MARKET_OFFICER, HUKOU)
    with pytest.raises(NotFound) as absent:
        service.list_versions(seeded.uow(), MARKET_OFFICER, "130300003-none")
    assert hidden.value.message.replace(HUKOU, "?") == absent.value.message.replace("130300003-none", "?")


def test_data_officers_list_their_own_department_s_datasets(hukou: VersionView, seeded: Platform,
                                                            admin: Actor) -> None:
    service.create_dataset(seeded.uow(), MARKET_OFFICER, "130300004-licences", "营业执照", MARKET)
    codes = {who.name: [d.code for d in service.list_datasets(seeded.uow(), who)]
             for who in (POLICE_OFFICER, MARKET_OFFICER, admin, SYSTEM)}
    assert codes == {"公安数据官": [HUKOU], "市场监管数据官": ["130300004-licences"],
                     "平台管理员": ["130300003-hukou", "130300004-licences"],
                     "测试": ["130300003-hukou", "130300004-licences"]}
    with pytest.raises(NotFound):
        service.list_datasets(seeded.uow(), ANALYST)
