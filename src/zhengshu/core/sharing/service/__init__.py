"""Sharing use cases. Each takes the unit of work and the acting actor first and checks permissions through
`identity.access` before it reads or writes anything; a refusal reads as "not found".

Who sees what: a request or a grant is seen by its requesting and providing departments and by those who
oversee sharing (platform admins, the platform itself); the needs board is seen by every staff member.
Deadlines come from the working-day calendar, asked as the platform itself; so are the catalogue and the
identity reads a decision needs beyond what the actor may browse (the consumer's systems, an entry's items).

The use cases live in `requests`, `grants`, `needs` and `dashboard` (the home-page cards; `_common` holds
what they share); they are all importable from here,
`from zhengshu.core.sharing import service; service.active_grant(...)`.
"""

from zhengshu.core.sharing.service.dashboard import home_cards
from zhengshu.core.sharing.service.grants import (
    active_grant,
    get_grant,
    list_grants,
    renew_grant,
    revoke_grant,
)
from zhengshu.core.sharing.service.needs import answer_need, close_need, get_need, list_needs, post_need
from zhengshu.core.sharing.service.requests import (
    coordinate,
    daily_digest,
    dispute,
    get_request,
    list_requests,
    request_form,
    review_as_provider,
    review_compliance,
    submit_request,
    summary,
)

__all__ = [
    "active_grant", "answer_need", "close_need", "coordinate", "daily_digest", "dispute", "get_grant", "get_need",
    "get_request", "home_cards", "list_grants", "list_needs", "list_requests", "post_need", "renew_grant",
    "request_form", "review_as_provider", "review_compliance", "revoke_grant", "submit_request", "summary",
]
