"""Data-quality use cases. Each takes the unit of work and the acting actor first and checks permissions through
`identity.access`, naming the department that provides the resource (from the catalogue), before it reads or
writes anything.

Other modules (the ingest pipeline) call `standardise` and `evaluate` on a load's frame, then
`record_load_result` with their own load id; `rule_set_in_force` says which rules apply (the saved rule set, or
the suggestion from the catalogue entry while none is saved).
"""

from zhengshu.core.quality.service.loads import (
    SAMPLES_PER_RULE,
    VALUE_LIMIT,
    evaluate,
    get_load_result,
    list_load_results,
    record_load_result,
    standardise,
)
from zhengshu.core.quality.service.reports import (
    LOWEST,
    department_report,
    home_cards,
    load_report_workbook,
    quality_overview,
    resource_report,
)
from zhengshu.core.quality.service.rule_sets import (
    get_rule_set,
    rule_set_document,
    rule_set_in_force,
    save_rule_set,
    save_rule_set_text,
    suggest_rules,
)

__all__ = ["LOWEST", "SAMPLES_PER_RULE", "VALUE_LIMIT", "department_report", "evaluate", "get_load_result",
           "get_rule_set", "home_cards", "list_load_results", "load_report_workbook", "quality_overview",
           "record_load_result", "resource_report", "rule_set_document", "rule_set_in_force", "save_rule_set",
           "save_rule_set_text", "standardise", "suggest_rules"]
