"""OpenAPI descriptions of the error responses every JSON route may give (one stable shape)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None
    details: dict[str, Any] = {}


class ErrorResponse(BaseModel):
    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "输入有误"},
    401: {"model": ErrorResponse, "description": "未登录或令牌无效"},
    404: {"model": ErrorResponse, "description": "不存在或无权访问"},
    409: {"model": ErrorResponse, "description": "与当前状态冲突"},
    422: {"model": ErrorResponse, "description": "请求参数有误"},
}
