"""Rule sets (质量规则集): read, suggest, save as versions."""

from __future__ import annotations

from typing import Any

from zhengshu.core.identity import access
from zhengshu.core.quality import permissions as perms
from zhengshu.core.quality import queries, repository
from zhengshu.core.quality.domain.rules import RuleSet, parse_rule_set, rule_set_data
from zhengshu.core.quality.domain.suggestion import ItemSpec, suggest_rule_set
from zhengshu.core.quality.events import RuleSetSaved
from zhengshu.core.quality.schemas import (
    RuleSetInForce,
    RuleSetView,
)
from zhengshu.core.quality.service._common import audit_target, checked_entry
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.errors import InvalidInput
from zhengshu.kernel.unit_of_work import UnitOfWork


def get_rule_set(uow: UnitOfWork, actor: Actor, resource_code: str) -> RuleSetView | None:
    """The resource's saved rule set (its newest version), or None when none was saved yet."""
    entry = checked_entry(uow, actor, resource_code, perms.VIEW)
    with uow.reading() as session:
        row = queries.latest_rule_set(session, entry.code)
    if row is None:
        return None
    return RuleSetView(resource_code=entry.code, version=row["version"], rule_set=RuleSet.model_validate(
        row["document"]), created_at=clock.as_utc(row["created_at"]), created_by=row["created_by"])


def suggest_rules(uow: UnitOfWork, actor: Actor, resource_code: str) -> RuleSet:
    """A default rule set from the catalogue entry's items and update cycle, to edit before saving."""
    entry = checked_entry(uow, actor, resource_code, perms.VIEW)
    items = [ItemSpec(i.name, i.data_type.value, i.length, i.is_key) for i in entry.items]
    return suggest_rule_set(entry.code, items, entry.update_cycle.value if entry.update_cycle else "")


def rule_set_in_force(uow: UnitOfWork, actor: Actor, resource_code: str) -> tuple[RuleSet, int | None]:
    """The saved rule set and its version, or the suggested one and None while none is saved."""
    saved = get_rule_set(uow, actor, resource_code)
    if saved is not None:
        return saved.rule_set, saved.version
    return suggest_rules(uow, actor, resource_code), None


def save_rule_set(uow: UnitOfWork, actor: Actor, resource_code: str, rule_set: RuleSet | dict[str, Any]
                  ) -> RuleSetView:
    """Save a new version of the resource's rule set (the same document as the newest makes no new version).

    Every field a rule or a standardiser names must be an item of the catalogue entry."""
    entry = checked_entry(uow, actor, resource_code, perms.MANAGE)
    if isinstance(rule_set, dict):
        rule_set = parse_rule_set({"resource_code": entry.code, **rule_set})
    if rule_set.resource_code != entry.code:
        raise InvalidInput(f"规则集属于资源 {rule_set.resource_code}，不能保存到 {entry.code}", field="resource_code")
    _check_items(rule_set, {i.name for i in entry.items})
    document = rule_set.dump()
    with uow:
        current = queries.latest_rule_set(uow.session, entry.code)
        if current is not None and current["document"] == document:
            return get_rule_set(uow, actor, entry.code)  # type: ignore[return-value]
        version, now = repository.next_rule_set_version(uow.session, entry.code), clock.now()
        repository.add_rule_set(uow.session, resource_code=entry.code, version=version, document=document,
                                created_at=now, created_by=actor.label)
        uow.emit(RuleSetSaved(actor=actor, target=audit_target(entry.code), resource_code=entry.code, version=version,
                              rules=len(rule_set.rules)))
        uow.commit()
    return get_rule_set(uow, actor, entry.code)  # type: ignore[return-value]


def save_rule_set_text(uow: UnitOfWork, actor: Actor, resource_code: str, text: str, suffix: str = ".json"
                       ) -> RuleSetView:
    """Save a rule set written as a JSON (or, with PyYAML installed, YAML) file's text; its `resource_code`
    may be left out (it is the resource's)."""
    return save_rule_set(uow, actor, resource_code, rule_set_data(text, suffix))


def _check_items(rule_set: RuleSet, items: set[str]) -> None:
    if not items:
        return
    for name in rule_set.standardisers:
        if name not in items:
            raise InvalidInput(f"标准化器配置：资源没有信息项“{name}”", field=name)
    for index, rule in enumerate(rule_set.rules, start=1):
        for name in rule.fields:
            if name not in items:
                raise InvalidInput(f"规则 {rule.id}（第 {index} 条）：资源没有信息项“{name}”", field=name)


def rule_set_document(uow: UnitOfWork, actor: Actor, resource_code: str) -> RuleSetInForce:
    """The rule set in force for the resource (saved, or suggested while none is saved)."""
    entry = checked_entry(uow, actor, resource_code, perms.VIEW)
    rule_set, version = rule_set_in_force(uow, actor, entry.code)
    return RuleSetInForce(resource_code=entry.code, resource_name=entry.name, version=version, rule_set=rule_set,
                          can_manage=access.can(actor, perms.MANAGE, department=entry.provider_code))
