"""What a killed writer leaves behind, on SQLite and PostgreSQL: a version row still `writing` (perhaps with
its folder already renamed into place) and a hidden staging folder. The sweep marks the version failed,
removes its files and the old staging folder, leaves a write in progress alone, and the current version
keeps serving."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import timedelta

import pytest

from zhengshu.core.datasets import repository, service
from zhengshu.core.datasets.domain import RecordQuery
from zhengshu.core.datasets.schemas import VersionView
from zhengshu.core.datasets.store import DatasetStore, encode
from zhengshu.core.datasets.tests.conftest import HUKOU, POLICE_OFFICER, SYSTEM, people
from zhengshu.kernel.errors import NotFound
from zhengshu.modules import Platform


def killed_writer(platform: Platform, store: DatasetStore) -> int:
    """Reserve version 2 and place its files, as a writer does, then 'die' before marking it ready."""
    encoded = encode(people(5))
    with platform.uow() as uow:
        dataset = repository.dataset_for_update(uow.session, HUKOU)
        assert dataset is not None
        number = repository.reserve_version(uow.session, dataset_id=dataset.id,
                                            path_for=lambda n: store.relative_path(HUKOU, n),
                                            row_count=encoded.row_count, columns=encoded.columns,
                                            content_hash=encoded.content_hash, created_by="user:gone")
        uow.commit()
    store.place(HUKOU, number, encoded)
    return number


def test_a_sweep_cleans_what_a_killed_writer_left_and_the_current_version_serves(
        platform: Platform, store: DatasetStore, hukou: VersionView, actions: Callable[[], list[str]]) -> None:
    number = killed_writer(platform, store)
    old_staging = store.root / HUKOU / ".v7.abc123.writing"
    old_staging.mkdir()
    (old_staging / "part-0.parquet").write_bytes(b"half")
    two_hours_ago = time.time() - 7200
    os.utime(old_staging, (two_hours_ago, two_hours_ago))
    fresh_staging = store.root / HUKOU / ".v8.def456.writing"  # a write going on right now
    fresh_staging.mkdir()

    first = service.sweep_abandoned(platform.uow(), SYSTEM, store)  # older than an hour only
    assert first.versions == [] and first.folders == [f"{HUKOU}/.v7.abc123.writing"]  # version 2: in progress
    assert fresh_staging.exists() and not old_staging.exists()
    result = service.sweep_abandoned(platform.uow(), SYSTEM, store, timedelta(0))
    assert result.versions == [f"{HUKOU} v{number}"]
    assert not (store.root / HUKOU / f"v{number}").exists()
    versions = {v.version: v for v in service.list_versions(platform.uow(), SYSTEM, HUKOU)}
    assert versions[number].status == "failed" and "中断" in (versions[number].failure or "")
    page = service.read_records(platform.uow(), SYSTEM, store, HUKOU, RecordQuery(limit=1000))
    assert page.version == hukou.version and len(page.rows) == hukou.row_count
    assert "datasets.version_failed" in actions()
    assert service.sweep_abandoned(platform.uow(), SYSTEM, store, timedelta(0)).versions == []  # once


def test_only_the_platform_and_its_admins_sweep(platform: Platform, store: DatasetStore,
                                               hukou: VersionView) -> None:
    with pytest.raises(NotFound):
        service.sweep_abandoned(platform.uow(), POLICE_OFFICER, store)
