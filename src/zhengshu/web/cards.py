"""Cards of the signed-in home page (工作台), gathered from every module through the Module contract
(`Module.cards`, collected by the composition root into `app.state.card_providers`). The shell imports no
module: it calls what was registered. A module whose cards fail is left out and logged; one broken card
never breaks the home page."""

from __future__ import annotations

import logging

from fastapi import Request

from zhengshu.kernel.actor import Actor
from zhengshu.modules import Card

log = logging.getLogger(__name__)


def dashboard_cards(request: Request, actor: Actor) -> list[Card]:
    """Every module's cards for `actor`, in module order, each module with a fresh unit of work."""
    platform = request.app.state.platform
    found: list[Card] = []
    for name, provider in request.app.state.card_providers:
        try:
            found.extend(provider(platform.uow(), actor))
        except Exception:  # a card is a convenience; the page must still show
            log.exception("home-page cards of module %s failed; left out", name)
    return found
