"""A grant (共享授权): the terms a decision sets, validity by date, revocation, renewal and re-certification."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from zhengshu.core.sharing.domain.requests import SharingRequest, check_fields, check_text, make_conditions
from zhengshu.core.sharing.domain.values import (
    MAX_PERIOD_DAYS,
    MAX_QUOTA,
    RECERTIFICATION_DAYS,
    GrantState,
    RowCondition,
)
from zhengshu.kernel.errors import Conflict, InvalidInput


@dataclass(frozen=True)
class GrantTerms:
    """授权条件: what a consumer's system may read, which rows, how long and how much."""

    client_key: str
    fields: tuple[str, ...]
    pseudonymous_fields: tuple[str, ...]
    row_filters: tuple[RowCondition, ...]
    starts_on: date
    expires_on: date
    daily_quota: int | None
    clear_fields: tuple[str, ...] = ()  # released in clear although 重要 or personal (never 核心)
    verify_only: bool = False  # 仅核验: the system may verify claims (核验), never read records


def terms_at_once(request: SharingRequest, today: date, fields: tuple[str, ...] | None = None) -> GrantTerms:
    """无条件共享: the grant is what was asked for (`fields`: those of them still in the entry)."""
    return GrantTerms(request.client_key, fields or request.fields, (), request.row_filters,
                      max(request.starts_on, today), request.ends_on, None)


def check_clear_fields(clear_fields: Sequence[str], granted: Sequence[str], pseudonymous: Sequence[str],
                       core_items: Collection[str], verify_only: bool) -> tuple[str, ...]:
    """明文提供: the provider may release granted 重要 or personal fields in clear, never a 核心 one (核心数据
    leaves the exchange hidden, whatever the grant says), never one it also pseudonymises, and not on a
    verify-only grant (nothing is read there)."""
    names = tuple(dict.fromkeys(f.strip() for f in clear_fields if f.strip()))
    if not names:
        return ()
    if verify_only:
        raise InvalidInput("仅核验的授权不返回数据，不能指定明文提供的信息项。", field="clear_fields")
    core = [f for f in names if f in core_items]
    if core:
        raise InvalidInput(f"核心数据项不能明文提供：{'、'.join(core)}", field="clear_fields")
    outside = [f for f in names if f not in granted]
    if outside:
        raise InvalidInput(f"明文提供的信息项须在授权的信息项中：{'、'.join(outside)}", field="clear_fields")
    both = [f for f in names if f in pseudonymous]
    if both:
        raise InvalidInput(f"信息项不能既假名化又明文提供：{'、'.join(both)}", field="clear_fields")
    return names


def check_terms(request: SharingRequest, *, items: Collection[str], consumer_clients: Collection[str],
                client_key: str, fields: Sequence[str], pseudonymous_fields: Sequence[str],
                row_filters: Sequence[tuple[str, str, str | Sequence[str]]], expires_on: date | None,
                daily_quota: int | None, today: date, clear_fields: Sequence[str] = (),
                core_items: Collection[str] = (), verify_only: bool = False) -> GrantTerms:
    """A grant may narrow a request, never widen it: fields among those asked (and still in the entry),
    pseudonymous fields among those granted, any row filters over the entry's items, an expiry no later than
    asked, and a daily quota of at least one record when there is one. Clear fields: `check_clear_fields`."""
    client = client_key.strip() or request.client_key
    if client not in consumer_clients:
        raise InvalidInput("接入系统须为申请部门的有效接入系统。", field="client_key")
    current = [f for f in request.fields if f in items]
    granted = check_fields(fields or current, current, within="申请的信息项")
    pseudonymous = tuple(f.strip() for f in pseudonymous_fields if f.strip())
    outside = [f for f in pseudonymous if f not in granted]
    if outside:
        raise InvalidInput(f"假名化字段须在授权的信息项中：{'、'.join(outside)}", field="pseudonymous_fields")
    starts_on = max(request.starts_on, today)
    expires = expires_on or request.ends_on
    if expires < starts_on:
        raise InvalidInput("授权到期日不能早于生效日。", field="expires_on")
    if expires > request.ends_on:
        raise InvalidInput(f"授权到期日不能晚于申请的截止日 {request.ends_on.isoformat()}。", field="expires_on")
    if daily_quota is not None and not 1 <= daily_quota <= MAX_QUOTA:
        raise InvalidInput(f"每日限额须在 1–{MAX_QUOTA} 条之间（不限额请留空）。", field="daily_quota")
    conditions = make_conditions(row_filters, items)
    clear = check_clear_fields(clear_fields, granted, pseudonymous, core_items, verify_only)
    return GrantTerms(client, granted, tuple(dict.fromkeys(pseudonymous)), conditions, starts_on, expires,
                      daily_quota, clear, verify_only)


def grant_state(starts_on: date, expires_on: date, revoked: bool, today: date) -> GrantState:
    """A grant is valid (active) from its first to its last day, both included, unless revoked."""
    if revoked:
        return GrantState.REVOKED
    if today > expires_on:
        return GrantState.EXPIRED
    if today < starts_on:
        return GrantState.PENDING
    return GrantState.ACTIVE


def recertification_due(expires_on: date, revoked: bool, today: date, window: int = RECERTIFICATION_DAYS) -> bool:
    """到期复核提醒: a live grant within `window` days of its expiry should be renewed or let lapse."""
    return not revoked and 0 <= (expires_on - today).days <= window


def revoke(revoked: bool, reason: str) -> str:
    if revoked:
        raise Conflict("该授权已撤销。")
    return check_text(reason, field="reason", title="撤销理由")


def renew(starts_on: date, expires_on: date, revoked: bool, new_expires_on: date, today: date) -> date:
    """续期: a grant not revoked gets a later expiry, at most about three years from today."""
    if revoked:
        raise Conflict("已撤销的授权不能续期，请重新申请。")
    if new_expires_on <= expires_on:
        raise InvalidInput(f"新的到期日须晚于当前到期日 {expires_on.isoformat()}。", field="expires_on")
    if new_expires_on < today:
        raise InvalidInput("新的到期日不能早于今天。", field="expires_on")
    if new_expires_on > max(today, starts_on) + timedelta(days=MAX_PERIOD_DAYS):
        raise InvalidInput("续期后最长三年。", field="expires_on")
    return new_expires_on
