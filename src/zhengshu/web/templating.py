"""Templates: one Jinja environment over the shell's templates and every module's `templates/` folder.

Pages call `render(request, "module/page.html", {...})`; the shell adds what every page needs: the actor,
the navigation they may see, the CSRF token for forms, and the display-time filter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

from zhengshu.kernel import clock
from zhengshu.web.csrf import csrf_token


def make_environment(template_packages: Iterable[str]) -> Environment:
    loaders = [PackageLoader("zhengshu.web", "templates")]
    loaders += [PackageLoader(package, "templates") for package in template_packages]
    environment = Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(["html"]))
    environment.filters["display_time"] = clock.for_display
    return environment


def make_templates(template_packages: Iterable[str]) -> Jinja2Templates:
    return Jinja2Templates(env=make_environment(template_packages))


def render(
    request: Request, name: str, context: Mapping[str, Any] | None = None, *, status_code: int = 200
) -> HTMLResponse:
    """Render a page with the shell's context; `context` holds plain values, never ORM rows."""
    state = request.app.state
    actor = getattr(request.state, "actor", None)
    full = {
        "actor": actor,
        "nav": state.nav_for(actor) if actor is not None else [],
        "csrf_token": csrf_token(request),
        **(context or {}),
    }
    return state.templates.TemplateResponse(request, name, full, status_code=status_code)
