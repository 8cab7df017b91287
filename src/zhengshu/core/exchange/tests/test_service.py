"""Exchange use cases on the real databases: the migration, quotas and metering, the call log, who may call,
resources that go away, and failures that are audited too."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import make_actor

from zhengshu.core.catalog import service as catalog
from zhengshu.core.catalog.schemas import RetireInput
from zhengshu.core.datasets.service import DatasetStore
from zhengshu.core.exchange import service
from zhengshu.core.exchange.domain import FieldFilter, QuotaExceeded
from zhengshu.core.exchange.tests.conftest import (
    AUTHORITY,
    POLICE_APPROVER,
    POLICE_OFFICER,
    City,
    as_actor,
    grant_resource,
    id_number,
)
from zhengshu.core.sharing import service as sharing
from zhengshu.core.sharing.schemas import RevokeInput
from zhengshu.kernel.database import metadata
from zhengshu.kernel.errors import InvalidInput, NotAuthenticated, NotFound
from zhengshu.kernel.permissions import Role
from zhengshu.modules import Platform


def read(city: City, **kwargs):
    store = DatasetStore.for_data_dir(city.platform.settings.data_dir)
    kwargs.setdefault("end_user", "wangkeyuan")
    return service.read_records(city.platform.uow(), kwargs.pop("actor", as_actor(city)), city.platform.secret_key,
                                service.Gateway(store), city.resource, **kwargs)


def verify(city: City, key: dict, claims: dict):
    store = DatasetStore.for_data_dir(city.platform.settings.data_dir)
    return service.verify_records(city.platform.uow(), as_actor(city), city.platform.secret_key, service.Gateway(store),
                                  city.resource, key, claims, end_user="wangkeyuan")


def test_the_migration_matches_the_tables(platform: Platform) -> None:
    with platform.database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert [d for d in compare_metadata(context, metadata) if "exchange_" in str(d)] == []


def test_reads_are_metered_per_grant_and_day_and_logged(city: City, sql) -> None:
    assert read(city).count == 6
    assert read(city, fields=["区划"], limit=2).count == 2
    verify(city, {"公民身份号码": id_number(0)}, {"姓名": "张小0"})
    with pytest.raises(InvalidInput):
        read(city, filters=[FieldFilter("姓名", "eq", "张小0")])
    assert sql("SELECT grant_id, calls, rows FROM exchange_usage") == [(city.grant_id, 3, 9)]  # a check counts 1
    logged = sql("SELECT operation, rows, outcome, reason FROM exchange_calls ORDER BY id")
    assert logged == [("read", 6, "success", ""), ("read", 2, "success", ""), ("verify", 1, "success", ""),
                      ("read", 0, "denied", "masked_field_filter")]
    calls = service.recent_calls(city.platform.uow(), AUTHORITY)
    assert [c.outcome for c in calls] == ["denied", "success", "success", "success"]
    assert calls[0].client_key == city.client_key and calls[0].resource_code == city.resource
    with pytest.raises(NotFound):
        service.recent_calls(city.platform.uow(), make_actor(Role.ANALYST))


def test_the_daily_quota_cuts_the_last_page_short_then_refuses(city: City, exchange_audit) -> None:
    sharing.revoke_grant(city.platform.uow(), POLICE_APPROVER, city.grant_id, RevokeInput(reason="改为限额授权"))
    grant_resource(city.platform, city.resource, city.client_key, daily_quota=4)
    first = read(city, limit=3)
    assert (first.count, first.quota_remaining) == (3, 1)
    second = read(city, after=first.next)
    assert (second.count, second.quota_remaining) == (1, 0)
    with pytest.raises(QuotaExceeded) as refused:
        read(city)
    assert refused.value.code == "quota_exceeded" and "4 条" in refused.value.message
    response = city.read()
    assert response.status_code == 429 and response.json()["error"]["code"] == "quota_exceeded"
    assert [r["reason"] for r in exchange_audit()][-2:] == ["quota_exceeded", "quota_exceeded"]


def test_only_client_systems_call_the_exchange(city: City, exchange_audit) -> None:
    with pytest.raises(NotAuthenticated):
        read(city, actor=POLICE_OFFICER)  # a person, even the provider's data officer
    [record] = exchange_audit()
    assert (record["outcome"], record["reason"], record["actor"]) == ("denied", "not_a_client", POLICE_OFFICER.label)


def test_a_retired_resource_reads_as_not_found(city: City, exchange_audit) -> None:
    catalog.retire_entry(city.platform.uow(), POLICE_OFFICER, city.resource, RetireInput(reason="由新资源替代"))
    with pytest.raises(NotFound):
        read(city)
    assert exchange_audit()[-1]["reason"] == "resource_unavailable"


def test_a_failure_while_reading_is_audited_and_the_error_kept(city: City, exchange_audit, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise OSError("disk gone")

    monkeypatch.setattr(service, "read_dataset", broken)
    with pytest.raises(OSError, match="disk gone"):
        read(city)
    [record] = exchange_audit()
    assert (record["outcome"], record["reason"]) == ("failure", "OSError")


def test_pseudonyms_join_across_calls_of_one_department(city: City, sql) -> None:
    first = read(city, fields=["户号"]).rows
    again = read(city, fields=["户号", "区划"]).rows
    assert [r["户号"] for r in first] == [r["户号"] for r in again]
    assert "000000" not in str(first)
    # the exchange audits its reads itself, naming the client; the dataset store does not record them again
    assert sql("SELECT count(*) FROM audit_records WHERE action = 'datasets.records_read'") == [(0,)]
    assert sql("SELECT count(*) FROM audit_records WHERE action = 'exchange.records_read'") == [(2,)]
