"""`zhengshu sharing digest` on the test databases, and the shape of the service package."""

from __future__ import annotations

import inspect
import sys
from datetime import date

import pytest

from zhengshu import cli
from zhengshu.core.sharing import service
from zhengshu.core.sharing.service import grants, needs, requests
from zhengshu.core.sharing.tests.conftest import City, Clock
from zhengshu.settings import Settings


def test_the_daily_digest_lists_overdue_requests_and_grants_due(city: City, today: Clock, settings: Settings,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    request_id = city.ask(city.entry()).request.id
    grant_id = city.granted(city.entry(), expires_on="2026-10-30").grant.grant.id
    today.day = date(2026, 10, 12)
    monkeypatch.setenv("ZHENGSHU_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("ZHENGSHU_DATABASE_URL", settings.database_url or "")
    monkeypatch.setattr(sys, "argv", ["zhengshu", "sharing", "digest"])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    out = capsys.readouterr().out
    assert int(exited.value.code or 0) == 0
    assert "数据共享督办日报 2026-10-12：超期申请 1 件，待复核授权 1 项。" in out
    assert f"超期  #{request_id}  待符合性审查  期限 2026-10-09" in out
    assert f"复核  授权#{grant_id}  2026-10-30 到期" in out


def test_every_public_use_case_takes_uow_and_actor_first() -> None:
    """The architecture test looks at `service` itself; the use cases live in its submodules."""
    for module in (requests, grants, needs):
        public = [f for name, f in inspect.getmembers(module, inspect.isfunction)
                  if not name.startswith("_") and f.__module__ == module.__name__]
        assert public
        for function in public:
            assert list(inspect.signature(function).parameters)[:2] == ["uow", "actor"], function.__name__
            assert getattr(service, function.__name__) is function
