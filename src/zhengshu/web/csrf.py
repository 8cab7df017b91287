"""CSRF protection for forms: a per-session random token, sent back in a hidden field or the X-CSRF-Token
header (htmx), compared in constant time. Written here because the shell keeps its session in Starlette's
signed cookie and needs only these few lines on top of it.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request

from zhengshu.kernel.errors import InvalidInput

FIELD = "csrf_token"
HEADER = "x-csrf-token"


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    if "session" not in request.scope:
        return ""
    token = request.session.get(FIELD)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[FIELD] = token
    return token


async def require_csrf(request: Request) -> None:
    """Dependency for every state-changing form route: refuse a missing or wrong token."""
    expected = request.session.get(FIELD, "")
    sent = request.headers.get(HEADER, "")
    if not sent:
        form = await request.form()
        value = form.get(FIELD, "")
        sent = value if isinstance(value, str) else ""
    if not expected or not hmac.compare_digest(expected, sent):
        raise InvalidInput("表单已过期或来源不明，请刷新页面后重试。", field=FIELD)
