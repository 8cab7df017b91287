"""An entry's lifecycle (生命周期): registered → mounted (挂接) → published (发布) → retired (下架), with the check
each step needs, and versions: after publication every change is a new version (版本).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from zhengshu.core.catalog.domain.metadata import (
    MAX_TEXT,
    Classification,
    Item,
    Metadata,
    clean_text,
    missing_for_publication,
)
from zhengshu.core.catalog.domain.values import MountKind, Status
from zhengshu.kernel.errors import Conflict, InvalidInput

# --- mounting (挂接) --------------------------------------------------------------------------------------------

REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$")
MAX_URL = 500


@dataclass(frozen=True)
class Mount:
    """Where the resource's data lives: a dataset of the store, a base registry, or a department's HTTPS API.
    For a dataset, `columns` are the dataset's columns when it was mounted."""

    kind: MountKind
    reference: str
    columns: tuple[str, ...] = ()


def make_mount(kind: str, reference: str, columns: Sequence[str] | None = None) -> Mount:
    target = MountKind.parse(kind, field="kind", title="挂接对象类型")
    reference = reference.strip()
    if target is MountKind.LIVE_API:
        check_https_url(reference)
    elif not REFERENCE.fullmatch(reference):
        raise InvalidInput(f"{target.label}代码须为 1–100 位字母、数字或 _ . : -。", field="reference")
    if target is not MountKind.DATASET:
        if columns:
            raise InvalidInput("只有挂接数据集时才需提供列。", field="columns")
        return Mount(target, reference)
    if columns is None:
        raise InvalidInput("挂接数据集须提供数据集的列。", field="columns")
    names = tuple(c.strip() for c in columns)
    duplicates = sorted({c for c in names if names.count(c) > 1})
    if duplicates:
        raise InvalidInput(f"数据集的列重复：{'、'.join(duplicates)}", field="columns")
    return Mount(target, reference, names)


LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def check_https_url(url: str) -> str:
    """A department's API address: HTTPS, or plain HTTP to an adapter on this very host (loopback: the traffic
    never leaves the machine); no credentials in the address."""
    parts = urlsplit(url)
    secure = parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK)
    if (not secure or not parts.hostname or parts.username or parts.password or len(url) > MAX_URL
            or any(c.isspace() for c in url)):
        raise InvalidInput("部门接口地址须为 HTTPS 地址（https://主机/路径，不含账号密码，最长 500 字符；"
                           "本机适配器可用 http://127.0.0.1）。", field="reference")
    return url


def check_columns(items: Sequence[Item], columns: Sequence[str]) -> None:
    """A dataset's columns must be exactly the entry's items, by name (order does not matter)."""
    if not items:
        raise InvalidInput("请先登记信息项，再挂接数据集。", field="items")
    names = {i.name for i in items}
    missing = sorted(names - set(columns))
    extra = sorted(set(columns) - names)
    if missing or extra:
        parts = ([f"数据集缺少信息项：{'、'.join(missing)}"] if missing else []) + (
            [f"数据集多出列：{'、'.join(extra)}"] if extra else [])
        raise InvalidInput("数据集的列须与信息项一一对应。" + "；".join(parts), field="columns",
                           details={"missing": missing, "extra": extra})


# --- the entry and its lifecycle --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A catalogue entry (目录条目): code, classification and provider fixed; metadata versioned after publication."""

    code: str
    classification: Classification
    provider_code: str  # the department's platform code (部门代码)
    provider_name: str  # 信息资源提供方
    metadata: Metadata
    status: Status = Status.REGISTERED
    version: int = 1
    mount: Mount | None = None
    published_on: date | None = None  # 发布日期 of the current version
    retired_reason: str = ""


def mount(entry: Entry, target: Mount) -> Entry:
    """挂接: registered or mounted entries get (or change) their target; a published one may move to another."""
    if entry.status is Status.RETIRED:
        raise Conflict("已下架的资源不能再挂接。", field="status")
    if target.kind is MountKind.DATASET:
        check_columns(entry.metadata.items, target.columns)
    status = Status.PUBLISHED if entry.status is Status.PUBLISHED else Status.MOUNTED
    return replace(entry, mount=target, status=status)


def check_publishable(meta: Metadata) -> None:
    missing = missing_for_publication(meta)
    if missing:
        raise InvalidInput(f"元数据不完整，不能发布：缺少{'、'.join(missing)}。", field="metadata",
                           details={"missing": missing})


def publish(entry: Entry, today: date) -> Entry:
    """发布: only a mounted entry with complete core metadata."""
    if entry.status is Status.REGISTERED:
        raise Conflict("资源尚未挂接数据，不能发布。", field="status")
    if entry.status is not Status.MOUNTED:
        raise Conflict(f"资源{entry.status.label}，不能再次发布。", field="status")
    check_publishable(entry.metadata)
    return replace(entry, status=Status.PUBLISHED, published_on=today)


def retire(entry: Entry, reason: str) -> Entry:
    """下架: any time after publication, with a reason."""
    if entry.status is not Status.PUBLISHED:
        raise Conflict("只有已发布的资源可以下架。", field="status")
    why = clean_text(reason, field="reason", title="下架原因", limit=MAX_TEXT["condition"], required=True)
    return replace(entry, status=Status.RETIRED, retired_reason=why)


@dataclass(frozen=True)
class Revision:
    """The outcome of an update: the entry as it now stands, and what the update did besides."""

    entry: Entry
    new_version: bool
    unmounted: bool
    items_changed: bool


def revise(entry: Entry, meta: Metadata, today: date, columns: Sequence[str] | None = None) -> Revision:
    """Change an entry's metadata.

    Before publication the entry changes in place; if its items no longer match the dataset it is mounted on
    (the columns given now, or those recorded when it was mounted) it goes back to registered. After
    publication every change is a new version, published at once, so it must pass the publication checks and
    still match its dataset. `columns` are the mounted dataset's current columns, from the dataset store.
    """
    if entry.status is Status.RETIRED:
        raise Conflict("已下架的资源不能修改。", field="status")
    same_columns = columns is None or (entry.mount is not None and tuple(c.strip() for c in columns)
                                       == entry.mount.columns)
    if meta == entry.metadata and same_columns:
        return Revision(entry, False, False, False)  # nothing changes, so no new version either
    items_changed = meta.items != entry.metadata.items
    target = entry.mount
    if columns is not None and (target is None or target.kind is not MountKind.DATASET):
        raise InvalidInput("只有挂接数据集的资源才需提供列。", field="columns")
    if target is not None and target.kind is MountKind.DATASET and columns is not None:
        target = replace(target, columns=tuple(c.strip() for c in columns))
    fits = target is None or target.kind is not MountKind.DATASET or _matches(meta.items, target.columns)
    if entry.status is Status.PUBLISHED:
        if not fits and target is not None:
            check_columns(meta.items, target.columns)  # raises, naming the missing and extra columns
        check_publishable(meta)
        updated = replace(entry, metadata=meta, mount=target, version=entry.version + 1, published_on=today)
        return Revision(updated, True, False, items_changed)
    if fits:
        return Revision(replace(entry, metadata=meta, mount=target), False, False, items_changed)
    updated = replace(entry, metadata=meta, mount=None, status=Status.REGISTERED)
    return Revision(updated, False, True, items_changed)


def _matches(items: Sequence[Item], columns: Sequence[str]) -> bool:
    return bool(items) and {i.name for i in items} == set(columns)


def snapshot(entry: Entry) -> dict[str, Any]:
    """An entry as plain JSON values, kept for each published version (版本历史)."""
    meta = entry.metadata
    return {
        "code": entry.code, "version": entry.version, "status": entry.status.value,
        "classification": {"directory": entry.classification.directory.value, "section": entry.classification.section,
                           "heading": entry.classification.heading, "subheading": entry.classification.subheading},
        "provider_code": entry.provider_code, "provider_name": entry.provider_name,
        "provider_credit_code": meta.provider_credit_code, "name": meta.name, "abstract": meta.abstract,
        "format": {"type": meta.format.type.value, "detail": meta.format.detail} if meta.format else None,
        "items": [{"name": i.name, "data_type": i.data_type.value, "length": i.length, "level": i.level.value,
                   "personal_info": i.personal_info.value, "is_key": i.is_key} for i in meta.items],
        "sharing": None if meta.sharing is None else {
            "type": meta.sharing.type.value, "condition": meta.sharing.condition,
            "legal_basis": meta.sharing.legal_basis, "mode": meta.sharing.mode.value if meta.sharing.mode else None},
        "opening": None if meta.opening is None else {"type": meta.opening.type.value,
                                                      "condition": meta.opening.condition},
        "update_cycle": meta.update_cycle.value if meta.update_cycle else None,
        "update_cycle_note": meta.update_cycle_note, "related_codes": list(meta.related_codes),
        "owner": meta.owner, "contact": meta.contact,
        "published_on": entry.published_on.isoformat() if entry.published_on else None,
        "mount": None if entry.mount is None else {"kind": entry.mount.kind.value,
                                                   "reference": entry.mount.reference,
                                                   "columns": list(entry.mount.columns)},
    }
