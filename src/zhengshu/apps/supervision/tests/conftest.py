"""Fixtures of the supervision tests: the city's department tree, the real seed plan (read from the shared
folder beside the repository, never copied into it), and the actors who supervise and report."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_actor

from zhengshu.apps.supervision import service
from zhengshu.apps.supervision.schemas import PlanImportResult
from zhengshu.core.identity import service as identity
from zhengshu.kernel.actor import system_actor
from zhengshu.kernel.permissions import Role
from zhengshu.modules import Platform

REPO = Path(__file__).resolve().parents[5]
SEED_PLAN = REPO / ".." / "shared" / "seed" / "qinhuangdao-digital-government-plan-2023.txt"

GOV_OFFICE, AUTHORITY, POLICE, MARKET = "130300001", "130300002", "130300003", "130300004"
HAIGANG, HAIGANG_OFFICE = "130302", "130302001"

SUPERVISOR = make_actor(Role.SUPERVISOR, department=GOV_OFFICE, name="督查员")
ANALYST = make_actor(Role.ANALYST, department=GOV_OFFICE, name="分析员")
POLICE_OFFICER = make_actor(Role.DATA_OFFICER, department=POLICE, name="公安数据官")
HAIGANG_OFFICER = make_actor(Role.DATA_OFFICER, department=HAIGANG_OFFICE, name="海港区数据官")
POLICE_APPROVER = make_actor(Role.APPROVER, department=POLICE, name="公安审核人")
NOBODY = make_actor(None)


@pytest.fixture
def seeded(platform: Platform) -> Platform:
    identity.seed_city(platform.uow(), system_actor("测试"))
    return platform


@pytest.fixture(scope="session")
def seed_plan() -> bytes:
    return SEED_PLAN.read_bytes()


@pytest.fixture
def imported(seeded: Platform, seed_plan: bytes) -> PlanImportResult:
    return service.import_plan(seeded.uow(), SUPERVISOR, SEED_PLAN.name, seed_plan)
