"""Fusion use cases (each `f(uow, actor, ...)`, permissions checked through `identity.access`): running a
registry's fusion in `runs`; the report, the review queue and one record with its lineage in `review`. All
importable from here: `from zhengshu.core.fusion import service; service.run_fusion(...)`.

`declare_registry(code, build)` (pure, from `domain`) is how a registry's module makes itself known to the
fusion pages; `RegistrySpec` is what `build` returns.
"""

from zhengshu.core.fusion.domain import RegistrySpec, declare_registry, declared_registries
from zhengshu.core.fusion.golden import AuthorityTable, load_authority
from zhengshu.core.fusion.service.review import (
    decide_cluster,
    fusion_report,
    home_cards,
    list_registries,
    list_runs,
    registry_record,
    registry_spec,
)
from zhengshu.core.fusion.service.runs import Progress, run_fusion

__all__ = [
    "AuthorityTable", "Progress", "RegistrySpec", "decide_cluster", "declare_registry", "declared_registries",
    "fusion_report", "home_cards", "list_registries", "list_runs", "load_authority", "registry_record", "registry_spec",
    "run_fusion",
]
