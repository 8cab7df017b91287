"""The per-grant rate limit on SQLite and PostgreSQL: a grant's calls in the last minute, refused ones
included, are counted; past the limit the caller gets 429 with the reason, audited like any refusal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from zhengshu.core.exchange.tests.conftest import City, id_number

LIMIT = 3


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"exchange_calls_per_minute": LIMIT}


def test_calls_past_the_limit_are_refused_and_audited(city: City, exchange_audit) -> None:
    assert city.read().status_code == 200
    assert city.read({"姓名[prefix]": "张"}).status_code == 400  # refused, and counted
    assert city.verify({"key": {"公民身份号码": id_number(0)}, "claims": {"姓名": "张小0"}}).status_code == 200
    for call in (city.read, lambda: city.verify({"key": {"公民身份号码": id_number(0)}, "claims": {"姓名": "x"}})):
        response = call()
        assert response.status_code == 429, response.text
        error = response.json()["error"]
        assert error["code"] == "quota_exceeded" and error["details"]["reason"] == "rate_limited"
        assert "每分钟最多 3 次" in error["message"]
    records = exchange_audit()
    assert [(r["outcome"], r["reason"]) for r in records][-2:] == [("denied", "rate_limited")] * 2


def test_no_limit_when_set_to_zero(city: City, tmp_path: Path) -> None:
    from zhengshu.core.datasets.service import DatasetStore
    from zhengshu.core.exchange import service
    from zhengshu.core.exchange.tests.conftest import as_actor

    gateway = service.Gateway(DatasetStore.for_data_dir(city.platform.settings.data_dir), calls_per_minute=0)
    for _ in range(LIMIT + 2):
        page = service.read_records(city.platform.uow(), as_actor(city), city.platform.secret_key, gateway,
                                    city.resource, limit=1, end_user="wangkeyuan")
        assert page.count == 1
