"""The one place where errors become HTTP responses.

API paths (`/api/...`) get JSON of one stable shape: `{"error": {"code", "message", "field", "details"}}`.
Pages get a Chinese error page (or, when not signed in, a redirect to the sign-in page). Nobody ever sees a
traceback: unexpected errors are logged and answered with a plain 500.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from zhengshu.kernel import errors

log = logging.getLogger("zhengshu.web")

STATUS = {
    errors.InvalidInput: 400,
    errors.NotAuthenticated: 401,
    errors.AccountLocked: 423,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.QuotaExceeded: 429,
    errors.IntegrityError: 500,
    errors.UpstreamFailed: 502,
    errors.UpstreamTimeout: 504,
    errors.ConfigurationError: 503,
}
HTTP_MESSAGES = {
    400: "请求有误。",
    401: "请先登录。",
    403: "没有权限。",
    404: "您访问的页面或数据不存在。",
    405: "不支持该请求方法。",
    409: "操作与当前状态冲突。",
    422: "请求参数有误。",
    423: "账户已锁定。",
    429: "请求过于频繁，请稍后再试。",
    500: "服务器内部错误，请稍后再试。",
    502: "上游服务返回了错误。",
    503: "服务暂不可用。",
    504: "上游服务响应超时。",
}


def status_for(error: errors.ZhengshuError) -> int:
    for kind in type(error).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 400


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def error_body(code: str, message: str, field: str | None = None, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field, "details": details or {}}}


def _page(request: Request, status: int, message: str) -> Response:
    from zhengshu.web.templating import render

    return render(request, "errors/error.html", {"status": status, "message": message}, status_code=status)


def respond(request: Request, status: int, code: str, message: str, field: str | None = None,
            details: Any = None) -> Response:
    if wants_json(request):
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(error_body(code, message, field, details), status_code=status, headers=headers)
    if status == 401 and request.method == "GET":
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    return _page(request, status, message)


def install(app: FastAPI) -> None:
    @app.exception_handler(errors.ZhengshuError)
    async def _domain(request: Request, exc: errors.ZhengshuError) -> Response:
        status = status_for(exc)
        if status >= 500:
            log.error("%s: %s", type(exc).__name__, exc.message)
        return respond(request, status, exc.code, exc.message, exc.field, exc.details)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {"field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"), "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        first = problems[0]["field"] if problems else None
        message = "请求参数有误：" + "；".join(f"{p['field']}: {p['message']}" for p in problems[:5])
        return respond(request, 422, "invalid_request", message, first, {"problems": problems})

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = HTTP_MESSAGES.get(exc.status_code, "请求无法处理。")
        code = "not_found" if exc.status_code == 404 else f"http_{exc.status_code}"
        return respond(request, exc.status_code, code, message)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return respond(request, 500, "internal_error", HTTP_MESSAGES[500])
