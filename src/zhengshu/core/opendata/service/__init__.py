"""Open-data use cases (each `f(uow, actor, ...)`): the opening workflow and the privacy gate in `workflow`,
the public portal and open API in `portal`, developers, applications and usage statistics in `developers`;
all importable from here."""

from zhengshu.core.opendata.service.developers import (
    Caller,
    apply,
    caller_for_key,
    list_applications,
    review,
    sign_up,
    usage_statistics,
)
from zhengshu.core.opendata.service.portal import (
    charts,
    dataset,
    dcat_catalog,
    dcat_dataset,
    download,
    home,
    records,
    search,
    sitemap,
)
from zhengshu.core.opendata.service.workflow import (
    Context,
    decide,
    get_opening,
    home_cards,
    list_openings,
    propose,
    refresh_all,
    withdraw,
)

__all__ = [
    "Caller",
    "Context",
    "apply",
    "caller_for_key",
    "charts",
    "dataset",
    "dcat_catalog",
    "dcat_dataset",
    "decide",
    "download",
    "get_opening",
    "home",
    "home_cards",
    "list_applications",
    "list_openings",
    "propose",
    "records",
    "refresh_all",
    "review",
    "search",
    "sign_up",
    "sitemap",
    "usage_statistics",
    "withdraw",
]
