"""Who is calling: a bearer token (a department's system) or a web session (a staff member, or a citizen
signed in as themselves).

`authenticate(platform, request)` is what the identity module offers the platform for every request.
"""

from __future__ import annotations

from fastapi import Request

from zhengshu.core.identity import service
from zhengshu.core.identity.credentials import TokenSigner
from zhengshu.core.identity.domain import citizen_actor
from zhengshu.kernel.actor import Actor, ActorKind
from zhengshu.modules import Platform

SESSION_USER = "uid"
SESSION_EPOCH = "epoch"
SESSION_CITIZEN = "citizen"  # {"subject": the subject hash, "name": how pages greet them}


def token_signer(platform: Platform) -> TokenSigner:
    return TokenSigner(platform.secret_key, platform.settings.token_ttl_seconds)


def authenticate(platform: Platform, request: Request) -> Actor | None:
    address = request.client.host if request.client else None
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token:
        return service.actor_for_token(platform.uow(), token.strip(), token_signer(platform)).at(address)
    if "session" not in request.scope:
        return None
    citizen = request.session.get(SESSION_CITIZEN)
    if isinstance(citizen, dict) and isinstance(citizen.get("subject"), str):
        return citizen_actor(citizen["subject"], str(citizen.get("name", "")), client_address=address)
    user_id, epoch = request.session.get(SESSION_USER), request.session.get(SESSION_EPOCH)
    if not isinstance(user_id, int) or not isinstance(epoch, int):
        return None
    actor = service.actor_for_session(platform.uow(), user_id, epoch)
    return actor.at(address) if actor else None


def remember(request: Request, signed: service.SignedIn) -> None:
    """Start a fresh session for a signed-in user (a new CSRF token too: no session fixation)."""
    request.session.clear()
    request.session[SESSION_USER] = signed.user_id
    request.session[SESSION_EPOCH] = signed.epoch


def remember_citizen(request: Request, citizen: Actor) -> None:
    """Start a fresh session for a citizen signed in as themselves."""
    if citizen.kind is not ActorKind.CITIZEN:
        raise ValueError("not a citizen")
    request.session.clear()
    request.session[SESSION_CITIZEN] = {"subject": citizen.id, "name": citizen.name}


def forget(request: Request) -> None:
    request.session.clear()
