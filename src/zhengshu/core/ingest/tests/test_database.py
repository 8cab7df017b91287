"""Tables and SELECT queries of a department's database, on SQLite files and on PostgreSQL, read-only."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest
from conftest import PG_URL
from sqlalchemy import create_engine, text

from zhengshu.core.ingest.connectors.database import check_select
from zhengshu.core.ingest.domain import SourceProblem, SourceUnreachable
from zhengshu.core.ingest.tests.conftest import read_all

ROWS = [("13030219900307001X", "张三", "013800138000", 12.5), ("130302198001010012", "李四", None, 3.0)]


@pytest.fixture
def sqlite_file(tmp_path):
    file = tmp_path / "公积金.sqlite"
    with sqlite3.connect(file) as connection:
        connection.execute("CREATE TABLE 缴存 (id INTEGER PRIMARY KEY, 身份证号 TEXT, 姓名 TEXT, 电话 TEXT,"
                           " 月缴额 REAL)")
        connection.executemany("INSERT INTO 缴存 (身份证号, 姓名, 电话, 月缴额) VALUES (?, ?, ?, ?)", ROWS)
    connection.close()
    return file


@pytest.fixture
def pg_table():
    engine = create_engine(PG_URL)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS ingest_source_test"))
        connection.execute(text("DROP TABLE IF EXISTS ingest_written"))
        connection.execute(text("CREATE TABLE ingest_written (x int)"))
        connection.execute(text("CREATE OR REPLACE FUNCTION ingest_write() RETURNS int LANGUAGE sql AS"
                                " 'INSERT INTO ingest_written VALUES (1) RETURNING x'"))
        connection.execute(text("CREATE TABLE ingest_source_test (id serial PRIMARY KEY, 身份证号 text, 姓名 text,"
                                " 电话 text, 月缴额 numeric(10, 2), 登记 date)"))
        for i in range(1, 150_001, 10_000):
            connection.execute(text(
                "INSERT INTO ingest_source_test (身份证号, 姓名, 电话, 月缴额, 登记) SELECT lpad(g::text, 18, '0'),"
                " '姓名' || g, '0138' || g, g / 100.0, date '2026-01-01' + (g % 300)"
                " FROM generate_series(CAST(:a AS int), CAST(:b AS int)) g"), {"a": i, "b": i + 9_999})
    yield PG_URL
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE ingest_source_test"))
        connection.execute(text("DROP FUNCTION ingest_write()"))
        connection.execute(text("DROP TABLE ingest_written"))
    engine.dispose()


def test_a_sqlite_table_is_read_as_text(sqlite_file) -> None:
    back = read_all(sqlite_file, table="缴存")
    assert back.columns == ["id", "身份证号", "姓名", "电话", "月缴额"]
    assert back.records == [
        {"id": "1", "身份证号": "13030219900307001X", "姓名": "张三", "电话": "013800138000", "月缴额": "12.5"},
        {"id": "2", "身份证号": "130302198001010012", "姓名": "李四", "电话": None, "月缴额": "3"}]
    assert back.rows == [1, 2] and back.detected == {"dialect": "sqlite", "read": "表 缴存"}


def test_a_select_query_is_read_and_the_file_is_never_written(sqlite_file) -> None:
    before = sqlite_file.read_bytes()
    back = read_all(f"sqlite:///{sqlite_file}", query="SELECT 姓名, 身份证号 FROM 缴存 WHERE 电话 IS NOT NULL;")
    assert back.records == [{"姓名": "张三", "身份证号": "13030219900307001X"}]
    assert sqlite_file.read_bytes() == before


@pytest.mark.parametrize(("query", "problem"), [
    ("DELETE FROM 缴存", "只能执行 SELECT 查询，不能执行 DELETE"),
    ("SELECT 1; DROP TABLE 缴存", "只能执行一条 SELECT"),
    ("UPDATE 缴存 SET 姓名 = 'x'", "不能执行 UPDATE"),
    ("WITH d AS (DELETE FROM 缴存 RETURNING *) SELECT * FROM d", "写入或加锁"),
    ("SELECT * INTO copy FROM 缴存", "写入或加锁"),
    ("SELECT * FROM 缴存 FOR UPDATE", "写入或加锁"),
    ("SELEC * FROM", "无法解析"),
])
def test_anything_but_one_select_is_refused(query, problem) -> None:
    with pytest.raises(SourceProblem, match=problem):
        check_select(query, "postgresql", "db")


def test_a_refused_query_never_runs(sqlite_file) -> None:
    with pytest.raises(SourceProblem, match="DELETE"):
        read_all(f"sqlite:///{sqlite_file}", query="DELETE FROM 缴存")
    assert len(read_all(sqlite_file, table="缴存").records) == 2


def test_the_sqlite_connection_itself_is_read_only(sqlite_file) -> None:
    # a write that the statement check would not see (a function with side effects is not SQL we parse) is
    # still refused by the read-only connection
    from zhengshu.core.ingest.connectors.database import DatabaseReader
    from zhengshu.core.ingest.schemas import SourceSpec

    spec = SourceSpec.for_location(str(sqlite_file), table="缴存")
    with DatabaseReader(spec) as reader, pytest.raises(Exception, match=r"readonly|read-only|read only"):
        reader._connection.exec_driver_sql("INSERT INTO 缴存 (姓名) VALUES ('x')")


def test_a_missing_table_or_file_is_named(sqlite_file, tmp_path) -> None:
    with pytest.raises(SourceProblem, match="表“无此表”不存在或无法读取"):
        read_all(sqlite_file, table="无此表")
    with pytest.raises(SourceProblem, match="SQLite 数据库文件不存在"):
        read_all(tmp_path / "none.sqlite", table="t")
    assert not (tmp_path / "none.sqlite").exists()


def test_a_postgresql_table_streams_in_batches_read_only(pg_table) -> None:
    back = read_all(pg_table, table="ingest_source_test")
    assert len(back.records) == 150_000 and back.batches == 3 and back.rows[-1] == 150_000
    first = back.records[0]
    assert first["身份证号"] == "000000000000000001" and first["电话"] == "01381"
    assert first["月缴额"] == str(Decimal("0.01")) and first["登记"] == "2026-01-02"
    # a SELECT that writes through a function passes the statement check; the read-only transaction stops it
    with pytest.raises(SourceProblem, match=r"查询执行失败：.*read-only transaction"):
        read_all(pg_table, query="SELECT ingest_write()")
    engine = create_engine(pg_table)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM ingest_written")).scalar() == 0
    engine.dispose()


def test_a_database_that_refuses_the_connection_is_named() -> None:
    with pytest.raises(SourceUnreachable, match="无法连接数据库") as caught:
        read_all("postgresql+psycopg://nobody@127.0.0.1:1/none", table="t", timeout_seconds=3)
    assert "127.0.0.1:1" in caught.value.message and caught.value.details["source"]


def test_a_password_in_the_url_is_never_shown() -> None:
    with pytest.raises(SourceUnreachable) as caught:
        read_all("postgresql+psycopg://user:s3cret@127.0.0.1:1/none", table="t", timeout_seconds=3)
    assert "s3cret" not in caught.value.message and "***" in caught.value.message
