"""The composition root: `create_app(platform)` builds the web application from the loaded modules."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from zhengshu import __version__
from zhengshu.core.datasets.service import DatasetStore
from zhengshu.core.identity import access
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.errors import ConfigurationError
from zhengshu.migrations import current_revision
from zhengshu.modules import Module, NavItem, Platform, load_modules
from zhengshu.settings import Environment
from zhengshu.web import errors
from zhengshu.web.templating import make_templates, render

STATIC = Path(__file__).parent / "web" / "static"


def create_app(platform: Platform) -> FastAPI:
    modules = load_modules()
    app = FastAPI(
        title="政数 Zhengshu API",
        description="秦皇岛市一体化政务大数据平台接口",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.platform = platform
    DatasetStore.set_memory_budget(platform.settings.dataset_cache_mb)
    app.state.templates = make_templates(m.templates_package for m in modules if m.templates_package)
    app.state.authenticate = _authenticator(platform, modules)
    app.state.nav_for = _navigation(modules)
    app.state.card_providers = [(m.name, m.cards) for m in modules if m.cards is not None]
    app.add_middleware(
        SessionMiddleware,
        secret_key=platform.secret_key,
        session_cookie="zhengshu_session",
        max_age=platform.settings.session_max_age_seconds,
        same_site="lax",
        https_only=platform.settings.environment is Environment.PRODUCTION,
    )
    errors.install(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in modules:
        for router in (module.api, module.pages):
            if router is not None:
                app.include_router(router)
    _shell_routes(app)
    return app


def app_from_environment() -> FastAPI:
    """Factory for `uvicorn --factory` workers: each builds its app from the ZHENGSHU_* environment."""
    return create_app(Platform.from_environment())


def _authenticator(platform: Platform, modules: list[Module]) -> Callable[[Request], Actor | None]:
    providers = [m.authenticate for m in modules if m.authenticate is not None]

    def authenticate(request: Request) -> Actor | None:
        for provider in providers:
            actor = provider(platform, request)
            if actor is not None:
                return actor
        return None

    return authenticate


def _navigation(modules: list[Module]) -> Callable[[Actor], list[NavItem]]:
    items = [item for module in modules for item in module.nav]

    def nav_for(actor: Actor) -> list[NavItem]:
        return [i for i in items if i.permission is None or access.can(actor, i.permission)]

    return nav_for


def _health(platform: Platform) -> dict:
    try:
        platform.database.check_reachable()
        revision = current_revision(platform.database.engine)
        database = "正常"
    except ConfigurationError as exc:
        revision, database = None, exc.message
    return {
        "ok": revision is not None,
        "database": database,
        "backend": platform.database.backend,
        "schema_revision": revision,
        "version": __version__,
    }


def _shell_routes(app: FastAPI) -> None:
    @app.get("/api/v1/health", tags=["platform"], summary="运行状态")
    def health_json(request: Request) -> JSONResponse:
        health = _health(request.app.state.platform)
        return JSONResponse(health, status_code=200 if health["ok"] else 503)

    @app.get("/health", include_in_schema=False)
    def health_page(request: Request) -> HTMLResponse:
        health = _health(request.app.state.platform)
        return render(request, "health.html", {"health": health}, status_code=200 if health["ok"] else 503)

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/api/openapi.json",
            title="政数 Zhengshu API 文档",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )
