"""Catalogue use cases on the real databases (SQLite and PostgreSQL): registration and codes, the lifecycle,
versions, who may see and manage what (a refusal reads as not found), browsing, export, and the audit trail."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import make_actor

from zhengshu.core.catalog import service
from zhengshu.core.catalog.schemas import EntryCreate, EntryFilter, EntryUpdate, MountInput, RetireInput
from zhengshu.core.catalog.tests.conftest import (
    ANALYST,
    COLUMNS,
    MARKET,
    MARKET_OFFICER,
    POLICE,
    POLICE_APPROVER,
    POLICE_OFFICER,
    entry_payload,
)
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.database import metadata
from zhengshu.kernel.errors import Conflict, InvalidInput, NotFound
from zhengshu.modules import Platform

pytestmark = pytest.mark.usefixtures("seeded")
DATASET = MountInput(kind="dataset", reference="gongan.population", columns=COLUMNS)


def register(platform: Platform, actor: Actor = POLICE_OFFICER, **changes: Any) -> str:
    return service.register_entry(platform.uow(), actor, EntryCreate(**entry_payload(**changes))).entry.code


def published(platform: Platform, **changes: Any) -> str:
    code = register(platform, **changes)
    service.mount_entry(platform.uow(), POLICE_OFFICER, code, DATASET)
    service.publish_entry(platform.uow(), POLICE_OFFICER, code)
    return code


def update(payload: dict[str, Any], **changes: Any) -> EntryUpdate:
    body = {k: v for k, v in payload.items() if k not in ("classification", "provider_code")}
    return EntryUpdate(**{**body, **changes})


def test_the_migration_matches_the_tables(platform: Platform) -> None:
    with platform.database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert [d for d in compare_metadata(context, metadata) if "catalog_" in str(d)] == []


def test_registration_gives_codes_in_sequence_per_classification(platform: Platform, audit_actions) -> None:
    detail = service.register_entry(platform.uow(), POLICE_OFFICER, EntryCreate(**entry_payload()))
    entry = detail.entry
    assert entry.code == "101001-0001" and entry.status.value == "registered" and entry.version == 1
    assert entry.provider_name == "市公安局" and entry.classification.section_title == "人口"
    assert [i.name for i in entry.items] == COLUMNS and entry.items[0].personal_info.label == "敏感个人信息"
    assert entry.level is not None and entry.level.label == "重要数据"
    assert detail.can_manage and [h.action.value for h in detail.history] == ["registered"]
    assert register(platform) == "101001-0002"
    assert register(platform, classification={"directory": "department", "section": "07",
                                              "heading": "003"}) == "307003-0001"
    assert audit_actions() == [("catalog.entry_registered", f"catalog_entry:{code}")
                               for code in ("101001-0001", "101001-0002", "307003-0001")]


def test_concurrent_registrations_never_share_a_code(platform: Platform) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = list(pool.map(lambda _: register(platform), range(6)))
    assert sorted(codes) == [f"101001-{n:04d}" for n in range(1, 7)]


def test_the_provider_must_be_a_department(platform: Platform, admin: Actor) -> None:
    for code in ("999999999", "130302"):  # unknown; a district, not a department
        with pytest.raises(InvalidInput, match="提供部门不存在") as caught:
            register(platform, admin, provider_code=code)
        assert caught.value.field == "provider_code"


def test_the_whole_lifecycle_is_recorded(platform: Platform, audit_actions) -> None:
    code = register(platform)
    with pytest.raises(Conflict, match="尚未挂接"):
        service.publish_entry(platform.uow(), POLICE_OFFICER, code)
    mounted = service.mount_entry(platform.uow(), POLICE_OFFICER, code, DATASET).entry
    assert mounted.status.value == "mounted" and mounted.mount is not None
    assert service.published_entry(platform.uow(), POLICE_OFFICER, code) is None  # readers see published only
    assert mounted.mount.kind.label == "数据集" and mounted.mount.columns == COLUMNS
    published = service.publish_entry(platform.uow(), POLICE_OFFICER, code)
    assert published.entry.published_on == clock.now().astimezone(clock.DISPLAY_ZONE).date()
    assert [v.version for v in published.versions] == [1]
    assert service.published_entry(platform.uow(), POLICE_OFFICER, f" {code} ") == published.entry
    retired = service.retire_entry(platform.uow(), POLICE_OFFICER, code, RetireInput(reason="由新资源替代"))
    assert retired.entry.status.value == "retired" and retired.entry.retired_reason == "由新资源替代"
    assert service.published_entry(platform.uow(), POLICE_OFFICER, code) is None
    assert [h.action.label for h in retired.history] == ["注册", "挂接", "发布", "下架"]
    assert retired.history[1].note == "数据集：gongan.population"
    assert retired.history[3].actor_name == "公安数据官"
    assert [a for a, _ in audit_actions()] == ["catalog.entry_registered", "catalog.entry_mounted",
                                               "catalog.entry_published", "catalog.entry_retired"]
    assert register(platform) == "101001-0002"  # a retired entry's code is never given again


def test_a_refused_step_writes_nothing(platform: Platform, audit_actions) -> None:
    code = register(platform)
    bad = MountInput(kind="dataset", reference="gongan.population", columns=["公民身份号码", "性别"])
    with pytest.raises(InvalidInput) as caught:
        service.mount_entry(platform.uow(), POLICE_OFFICER, code, bad)
    assert caught.value.details == {"missing": ["出生日期", "姓名", "户籍地址"], "extra": ["性别"]}
    detail = service.get_entry(platform.uow(), POLICE_OFFICER, code)
    assert detail.entry.status.value == "registered" and len(detail.history) == 1
    assert len(audit_actions()) == 1


def test_changes_after_publication_are_new_versions(platform: Platform) -> None:
    code = published(platform)
    payload = entry_payload()
    same = service.update_entry(platform.uow(), POLICE_OFFICER, code, update(payload))
    assert same.entry.version == 1 and len(same.history) == 3  # nothing changed: no version
    revised = service.update_entry(platform.uow(), POLICE_OFFICER, code, update(payload, contact="0335-3111111"))
    assert revised.entry.version == 2 and revised.entry.status.value == "published"
    assert [v.version for v in revised.versions] == [2, 1] and revised.history[-1].action.label == "发布新版本"
    first = service.get_entry_version(platform.uow(), ANALYST, code, 1)
    assert first["contact"] == "0335-3000000" and first["version"] == 1
    with pytest.raises(NotFound):
        service.get_entry_version(platform.uow(), ANALYST, code, 9)
    wider = [*payload["items"], {"name": "性别", "data_type": "C", "length": 1, "personal_info": "general"}]
    with pytest.raises(InvalidInput, match="数据集缺少信息项：性别"):
        service.update_entry(platform.uow(), POLICE_OFFICER, code, update(payload, items=wider))
    grown = service.update_entry(platform.uow(), POLICE_OFFICER, code,
                                 update(payload, items=wider, columns=[*COLUMNS, "性别"]))
    assert grown.entry.version == 3 and grown.entry.mount is not None and "性别" in grown.entry.mount.columns


def test_changing_items_before_publication_unmounts(platform: Platform, audit_actions) -> None:
    code = register(platform)
    service.mount_entry(platform.uow(), POLICE_OFFICER, code, DATASET)
    payload = entry_payload()
    detail = service.update_entry(platform.uow(), POLICE_OFFICER, code, update(payload, items=payload["items"][:2]))
    assert detail.entry.status.value == "registered" and detail.entry.mount is None and detail.entry.version == 1
    assert "请重新挂接" in detail.history[-1].note
    assert audit_actions()[-1] == ("catalog.entry_updated", f"catalog_entry:{code}")


def test_other_departments_cannot_manage_an_entry_or_see_it_before_publication(platform: Platform) -> None:
    with pytest.raises(NotFound, match="未找到，或您无权访问"):
        register(platform, MARKET_OFFICER)  # for 市公安局
    code = register(platform)
    steps = [
        lambda who: service.get_entry(platform.uow(), who, code),
        lambda who: service.update_entry(platform.uow(), who, code, update(entry_payload(), name="改名")),
        lambda who: service.mount_entry(platform.uow(), who, code, DATASET),
    ]
    for who in (MARKET_OFFICER, ANALYST, make_actor(None, department=POLICE)):
        for step in steps:
            with pytest.raises(NotFound, match="未找到，或您无权访问"):
                step(who)
    with pytest.raises(NotFound, match="未找到，或您无权访问"):  # the same words as an entry that is not there
        service.get_entry(platform.uow(), MARKET_OFFICER, "101001-0099")
    own = service.get_entry(platform.uow(), POLICE_APPROVER, code)  # own department, not a manager
    assert not own.can_manage
    with pytest.raises(NotFound):
        service.publish_entry(platform.uow(), POLICE_APPROVER, code)
    service.mount_entry(platform.uow(), POLICE_OFFICER, code, DATASET)
    service.publish_entry(platform.uow(), POLICE_OFFICER, code)
    seen = service.get_entry(platform.uow(), MARKET_OFFICER, code)  # published: every staff member
    assert seen.entry.name == "户籍人口基本信息" and not seen.can_manage
    for step in (lambda: service.retire_entry(platform.uow(), MARKET_OFFICER, code, RetireInput(reason="x")),
                 lambda: service.publish_entry(platform.uow(), MARKET_OFFICER, code)):
        with pytest.raises(NotFound):
            step()


def test_admins_manage_every_department(platform: Platform, admin: Actor) -> None:
    code = register(platform, admin, provider_code=MARKET, name="市场主体登记信息")
    detail = service.mount_entry(platform.uow(), admin, code, DATASET)
    assert detail.can_manage and detail.entry.provider_name == "市市场监管局"
    assert service.get_entry(platform.uow(), MARKET_OFFICER, code).can_manage


def test_browsing_shows_what_the_actor_may_see_with_facets(platform: Platform, admin: Actor) -> None:
    police_draft = register(platform)
    police_public = published(platform, name="流动人口信息",
                              sharing={"type": "unconditional", "mode": "api"})
    market_draft = register(platform, admin, provider_code=MARKET, name="企业登记信息",
                            classification={"directory": "base", "section": "02", "heading": "001"})

    def codes(who: Actor, **filters: str) -> list[str]:
        return [e.code for e in service.list_entries(platform.uow(), who, EntryFilter(**filters)).entries]

    assert codes(admin) == sorted([police_draft, police_public, market_draft])
    assert codes(POLICE_OFFICER) == [police_draft, police_public]
    assert codes(MARKET_OFFICER) == [police_public, market_draft]
    assert codes(ANALYST) == [police_public]
    assert codes(admin, provider=MARKET) == [market_draft]
    assert codes(admin, sharing_type="unconditional") == [police_public]
    assert codes(admin, status="registered") == [police_draft, market_draft]
    assert codes(admin, text="流动") == [police_public]
    assert codes(admin, text="户籍地址") == sorted([police_draft, police_public, market_draft])  # an item's name
    assert codes(admin, text="101001-0002") == [police_public]
    assert codes(admin, text="100%") == []
    page = service.list_entries(platform.uow(), admin, EntryFilter(provider=POLICE))
    assert page.total == 2 and page.page == 1
    assert [(f.value, f.count) for f in page.facets.provider] == [(POLICE, 2), (MARKET, 1)]  # other facets apply
    assert [(f.label, f.count) for f in page.facets.status] == [("已注册", 1), ("已发布", 1)]
    assert [(f.label, f.count) for f in page.facets.directory] == [("基础信息资源目录", 2)]
    with pytest.raises(InvalidInput) as caught:
        service.list_entries(platform.uow(), admin, EntryFilter(status="draft"))
    assert caught.value.field == "status"
    with pytest.raises(NotFound):
        service.list_entries(platform.uow(), make_actor(None), EntryFilter())


def test_export_gives_full_entries_the_actor_may_see(platform: Platform) -> None:
    register(platform)
    code = published(platform)
    exported = service.export_entries(platform.uow(), MARKET_OFFICER)
    assert exported.count == 1 and exported.entries[0].code == code
    assert [i.name for i in exported.entries[0].items] == COLUMNS
    assert service.export_entries(platform.uow(), POLICE_OFFICER).count == 2


def test_the_register_form_offers_the_officer_s_own_department(platform: Platform, admin: Actor) -> None:
    own = service.form_options(platform.uow(), POLICE_OFFICER)
    assert [d.code for d in own.departments] == [POLICE]
    assert {c.value for c in own.choices["data_type"]} == set("CNYDTLMGBIF")
    assert len(service.form_options(platform.uow(), admin).departments) > 30
    with pytest.raises(NotFound):
        service.form_options(platform.uow(), ANALYST)
