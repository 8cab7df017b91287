"""The demo's content: the synthetic city's department tables loaded as datasets, registered in the catalogue,
mounted and published, so that every page has something real to show.

The loading here reads each file as text with no cleaning at all: a stand-in until ingestion (归集, with
mapping, standardisation and quality rules) replaces it. It runs as the platform itself (system actor).
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
from collections.abc import Callable
from contextlib import suppress
from datetime import timedelta
from pathlib import Path

import openpyxl
import polars as pl

from zhengshu.core.catalog import service as catalog
from zhengshu.core.catalog.schemas import EntryCreate, EntryFilter, MountInput
from zhengshu.core.datasets import service as datasets
from zhengshu.core.datasets.store import DatasetStore
from zhengshu.core.exchange import service as exchange
from zhengshu.core.exchange.domain import FieldFilter
from zhengshu.core.identity import service as identity
from zhengshu.core.identity.schemas import ClientCreate
from zhengshu.core.sharing import service as sharing
from zhengshu.core.sharing.schemas import ComplianceReview, GrantTermsInput, ProviderReview, RequestCreate
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor, ActorKind, system_actor
from zhengshu.kernel.errors import InvalidInput
from zhengshu.kernel.permissions import Role
from zhengshu.modules import Platform

ACTOR = system_actor("zhengshu demo")
SENSITIVE = re.compile(r"身份证|证件号码|公民身份号码")
PERSONAL = re.compile(r"姓名|户名|权利人|持卡人|监护人|电话|手机|地址|住址|坐落|入住人|男方|女方|母亲|父亲")
KEYS = re.compile(r"身份证号|公民身份号码|统一社会信用代码|纳税人识别号|信用代码")


def read_as_text(path: Path, entry: dict) -> pl.DataFrame:
    """A source file as a table of strings, in whichever format its department sent it."""
    kind = entry["format"]
    if kind == "csv":
        text = path.read_bytes().decode(entry["encoding"])
        return pl.read_csv(io.StringIO(text.lstrip("\ufeff")), infer_schema=False)
    if kind == "xlsx":
        workbook = openpyxl.load_workbook(path, read_only=True)
        try:
            rows = list(workbook.active.iter_rows(min_row=3, values_only=True))  # title, blank, header
        finally:
            workbook.close()
        header = [str(h) for h in rows[0]]
        return pl.DataFrame([[None if v is None else str(v) for v in row] for row in rows[1:]],
                            schema=dict.fromkeys(header, pl.String), orient="row")
    if kind in ("json", "jsonl"):
        text = path.read_text("utf-8")
        records = json.loads(text)["data"] if kind == "json" else [json.loads(line) for line in text.splitlines()]
        return pl.DataFrame(records, schema=dict.fromkeys(entry["columns"], pl.String))
    with sqlite3.connect(path) as connection:
        cursor = connection.execute(f'SELECT * FROM "{entry["table"]}"')
        names = [d[0] for d in cursor.description]
        frame = pl.DataFrame(cursor.fetchall(), schema=dict.fromkeys(names, pl.String), orient="row")
    connection.close()
    return frame.drop("id")


def _item(name: str) -> dict:
    personal = "sensitive" if SENSITIVE.search(name) else "general" if PERSONAL.search(name) else "none"
    return {"name": name, "data_type": "C", "length": 500, "personal_info": personal,
            "level": "important" if personal == "sensitive" else "general", "is_key": bool(KEYS.search(name))}


def _entry(entry: dict, department: str, frame: pl.DataFrame) -> EntryCreate:
    subject = entry["subject"]
    items = [_item(c) for c in frame.columns]
    personal = any(i["personal_info"] != "none" for i in items)
    directory, section = {"person": ("base", "01"), "entity": ("base", "02")}.get(subject, ("theme", "01"))
    sharing = ({"type": "conditional", "condition": "用于履行法定职责、办理政务服务", "mode": "api",
                "legal_basis": "《中华人民共和国个人信息保护法》第十三条第一款第三项"} if personal
               else {"type": "unconditional", "mode": "api"})
    return EntryCreate.model_validate({
        "classification": {"directory": directory, "section": section, "heading": "001"},
        "provider_code": department,
        "name": f"{entry['table']}",
        "abstract": f"{entry['department']}提供的{entry['table']}（合成城市演示数据，{len(frame):,} 行）。",
        "format": {"type": "database", "detail": "Parquet"},
        "items": items,
        "sharing": sharing,
        "opening": {"type": "none" if personal else "unconditional"},
        "update_cycle": "monthly",
        "owner": f"{entry['department']}数据官",
        "contact": "0335-3000000",
    })


def publish_city(platform: Platform, city: Path, progress: Callable[[str], None] = lambda _: None) -> int:
    """Load, register, mount and publish each source of the city whose department is in the tree; returns how
    many entries are published. Runs once: an entry already in the catalogue is left alone."""
    manifest = json.loads((city / "manifest.json").read_text("utf-8"))
    departments = {o.name: o.code for o in identity.list_organisations(platform.uow(), ACTOR)}
    existing = {e.name for e in catalog.export_entries(platform.uow(), ACTOR, EntryFilter()).entries}
    store = DatasetStore.for_data_dir(platform.settings.data_dir)
    published, numbers = 0, {}
    for entry in manifest["files"]:
        department = departments.get(entry["department"])
        if department is None:  # utility companies and the like are not government departments
            continue
        numbers[department] = numbers.get(department, 0) + 1
        if entry["table"] in existing:
            continue
        progress(f"{entry['department']} {entry['table']}")
        frame = read_as_text(city / entry["path"], entry)
        code = f"{department}-{numbers[department]:02d}"
        datasets.ensure_dataset(platform.uow(), ACTOR, code, entry["table"], department)
        datasets.write_version(platform.uow(), ACTOR, store, code, frame, publish=True)
        registered = catalog.register_entry(platform.uow(), ACTOR, _entry(entry, department, frame))
        mount = MountInput(kind="dataset", reference=code, columns=frame.columns)
        catalog.mount_entry(platform.uow(), ACTOR, registered.entry.code, mount)
        catalog.publish_entry(platform.uow(), ACTOR, registered.entry.code)
        published += 1
    return published


# --- a sharing request granted, and a consumer's system reading through the exchange -------------------------

CONSUMER = "130300005"  # 市人社局 reads 市公安局's register to check social-insurance eligibility
REQUESTER = Actor(kind=ActorKind.USER, id="demo-renshe-officer", name="人社局数据官（演示）",
                  department_code=CONSUMER, roles=frozenset({Role.DATA_OFFICER.value}))
AUTHORITY = Actor(kind=ActorKind.USER, id="demo-authority", name="数据主管部门（演示）",
                  department_code="130300002", roles=frozenset({Role.PLATFORM_ADMIN.value}))
PROVIDER = Actor(kind=ActorKind.USER, id="demo-gongan-approver", name="公安局审核人（演示）",
                 department_code="130300003", roles=frozenset({Role.APPROVER.value}))


def share_and_read(platform: Platform, pages: int = 12) -> int:
    """One request for 户籍人口 from 市人社局 taken through compliance and provider review, then the granted
    system reading a few pages and making one refused call; returns the records read."""
    register = next(e for e in catalog.export_entries(platform.uow(), ACTOR, EntryFilter()).entries
                    if e.name == "户籍人口")
    client = identity.create_client(platform.uow(), ACTOR,
                                    ClientCreate(name="社保经办系统", organisation_code=CONSUMER))
    today = clock.now().astimezone(clock.DISPLAY_ZONE).date()
    asked = sharing.submit_request(platform.uow(), REQUESTER, RequestCreate(
        resource_code=register.code, client_key=client.client.client_key,
        fields=["公民身份号码", "姓名", "性别", "出生日期", "户籍地址", "人员状态"],
        purpose="社会保险参保资格核验", legal_basis="《中华人民共和国社会保险法》第五十九条",
        ends_on=today + timedelta(days=365)), platform.settings)
    request_id = asked.request.id
    sharing.review_compliance(platform.uow(), AUTHORITY, request_id, ComplianceReview(approve=True), platform.settings)
    sharing.review_as_provider(platform.uow(), PROVIDER, request_id, ProviderReview(
        approve=True, grant=GrantTermsInput(daily_quota=100_000)))

    system = Actor(kind=ActorKind.CLIENT, id=client.client.client_key, name=client.client.name,
                   department_code=CONSUMER, client_address="127.0.0.1")
    store = DatasetStore.for_data_dir(platform.settings.data_dir)
    after, read = None, 0
    for _ in range(pages):
        page = exchange.read_records(platform.uow(), system, platform.secret_key, store, register.code,
                                     after=after, limit=50, end_user="经办员001", purpose="参保资格核验")
        read += page.count
        after = page.next
        if after is None:
            break
    with suppress(InvalidInput):  # a filter on a masked field is refused, and the refusal is audited
        exchange.read_records(platform.uow(), system, platform.secret_key, store, register.code,
                              filters=[FieldFilter("公民身份号码", "eq", "130302199003071234")],
                              end_user="经办员001", purpose="参保资格核验")
    return read
