"""Ingestion use cases (each `f(uow, actor, ...)`, permissions checked through `identity.access`): reading,
saving and loading sources in `loads`, correction tasks sent back to providers in `corrections`; all
importable from here, `from zhengshu.core.ingest import service; service.load_source(...)`.
"""

from zhengshu.core.ingest.service.corrections import (
    close_correction,
    home_cards,
    list_corrections,
    report_error,
    track_fusion,
)
from zhengshu.core.ingest.service.loads import (
    LOAD_JOB,
    RELOAD_JOB,
    apply_classification,
    get_load,
    list_loads,
    load_source,
    load_upload,
    preview_source,
    queue_upload,
    rejected_rows_csv,
    reload_due,
    run_queued_load,
    save_source,
    saved_source,
    sensitive_kinds,
)

__all__ = [
    "LOAD_JOB", "RELOAD_JOB", "apply_classification", "close_correction", "get_load", "home_cards",
    "list_corrections", "list_loads", "load_source", "load_upload", "preview_source", "queue_upload",
    "rejected_rows_csv", "reload_due", "report_error", "run_queued_load", "save_source", "saved_source",
    "sensitive_kinds",
    "track_fusion",
]
