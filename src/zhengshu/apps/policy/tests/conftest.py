"""Fixtures of the policy tests: the shared corpus (read from ../shared/corpus beside the repository, never
copied into it), a platform with a few real documents imported, and a web client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from zhengshu.app import create_app
from zhengshu.apps.policy import service
from zhengshu.kernel.actor import system_actor
from zhengshu.modules import Platform

REPO = Path(__file__).resolve().parents[5]
CORPUS = REPO.parent / "shared" / "corpus"
SYSTEM = system_actor("测试")
# small real documents: a law (章/节/条), a notice with an outline (一、（一）1.), a service guide
SMALL = ("wangluoanquanfa-2016.txt", "gz-shebaoka-shenling-2026.txt", "suiminguizi-2025-2-dibao.txt")


@pytest.fixture(scope="session")
def corpus() -> Path:
    assert CORPUS.is_dir(), f"the shared corpus is expected at {CORPUS}"
    return CORPUS


@pytest.fixture
def library(platform: Platform, corpus: Path) -> Platform:
    for name in SMALL:
        service.import_file(platform.uow(), SYSTEM, corpus / name)
    return platform


@pytest.fixture
def web(library: Platform) -> Iterator[TestClient]:
    app = create_app(library)
    app.state.authenticate = lambda request: None  # the public
    with TestClient(app, follow_redirects=False) as client:
        yield client
