"""Requests (共享申请): submit, compliance review, provider review, dispute, coordination, and the views."""

from __future__ import annotations

from zhengshu.core.identity import access
from zhengshu.core.sharing import permissions as perms
from zhengshu.core.sharing import queries, repository
from zhengshu.core.sharing.domain import grants as grant_rules
from zhengshu.core.sharing.domain import requests as rules
from zhengshu.core.sharing.domain.values import Action, Outcome, SharingKind, Status, Step
from zhengshu.core.sharing.events import (
    ComplianceApproved,
    ComplianceRefused,
    DisputeCoordinated,
    GrantIssued,
    ProviderApproved,
    ProviderRefused,
    RequestDisputed,
    RequestSubmitted,
)
from zhengshu.core.sharing.schemas import (
    Coded,
    ComplianceReview,
    CoordinationInput,
    Digest,
    DisputeInput,
    GrantTermsInput,
    ProviderReview,
    RequestCreate,
    RequestDetail,
    RequestForm,
    RequestView,
    SharingSummary,
)
from zhengshu.core.sharing.service._common import (
    city_today,
    clients_of,
    day_text,
    deadline_after,
    deadlines,
    department_name,
    department_of,
    entry_or_none,
    live_resource,
    oversees,
    requestable,
    resource_of,
    sees,
    with_actions,
)
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.errors import Conflict, InvalidInput
from zhengshu.kernel.unit_of_work import UnitOfWork
from zhengshu.settings import Settings

SCOPES = {"mine": "本部门的申请", "provided": "申请本部门数据的", "review": "待我审核", "overdue": "超期",
          "all": "全部"}


def request_form(uow: UnitOfWork, actor: Actor, resource_code: str) -> RequestForm:
    """What a data officer may ask for of an entry: its items, its sharing type, their department's systems."""
    access.require(actor, perms.REQUEST)
    department = department_of(actor)
    entry = requestable(uow, actor, resource_code.strip())
    sharing = SharingKind(entry.sharing.type.value) if entry.sharing else None
    return RequestForm(resource_code=entry.code, resource_name=entry.name, provider_name=entry.provider_name,
                       sharing_type=Coded.of(sharing) if sharing else None, items=[i.name for i in entry.items],
                       published=entry.status.value == "published", clients=clients_of(uow, department))


def submit_request(uow: UnitOfWork, actor: Actor, data: RequestCreate, settings: Settings) -> RequestDetail:
    """申请: a consuming department's data officer asks for fields of a resource, for a purpose, on a legal
    basis, for rows and a period, for one of the department's systems. 不予共享: only as a dispute. The
    first stage's deadline comes from `settings` (ZHENGSHU_SHARING_*_DAYS)."""
    access.require(actor, perms.REQUEST)
    consumer, today = department_of(actor), city_today()
    entry = requestable(uow, actor, data.resource_code.strip())
    resource = resource_of(entry)
    status = rules.initial_status(resource, consumer, data.dispute_reason)
    starts_on = data.starts_on or today
    rules.check_period(starts_on, data.ends_on, today)
    request = rules.SharingRequest(
        id=0, resource_code=resource.code, provider_code=resource.provider_code, consumer_code=consumer,
        client_key=data.client_key.strip(), sharing=resource.sharing or SharingKind.NONE,
        fields=rules.check_fields(data.fields, resource.items),
        row_filters=rules.make_conditions([(f.column, f.op, f.value) for f in data.row_filters], resource.items),
        starts_on=starts_on, ends_on=data.ends_on, status=status,
        due_on=deadline_after(uow, today, deadlines(settings).for_stage(status, resource.published)),
        dispute_reason=rules.check_text(data.dispute_reason, field="dispute_reason", title="异议理由",
                                        required=False))
    texts = {"purpose": rules.check_text(data.purpose, field="purpose", title="用途"),
             "legal_basis": rules.check_text(data.legal_basis, field="legal_basis", title="申请依据"),
             "row_scope": rules.check_text(data.row_scope, field="row_scope", title="数据范围说明", required=False)}
    if request.client_key not in {c.client_key for c in clients_of(uow, consumer)}:
        raise InvalidInput("接入系统须为本部门的有效接入系统。", field="client_key")
    consumer_name = department_name(uow, consumer)
    with uow:
        if repository.open_request_exists(uow.session, request.client_key, resource.code):
            raise Conflict(repository.OPEN_REQUEST_EXISTS, field="resource_code")
        if repository.live_grant_exists(uow.session, request.client_key, resource.code, today):
            raise Conflict("该接入系统已有此资源的有效授权；需要延长请由提供部门续期。", field="resource_code")
        now = clock.now()
        request_id = repository.add_request(
            uow.session, request, resource_name=resource.name, provider_name=entry.provider_name,
            consumer_name=consumer_name, published=resource.published, actor=actor, now=now, **texts)
        target = f"sharing_request:{request_id}"
        repository.add_event(uow.session, request_id, Step.SUBMITTED, actor, now)
        uow.emit(RequestSubmitted(actor=actor, target=target, request_id=request_id, resource_code=resource.code,
                                  provider_code=resource.provider_code, consumer_code=consumer,
                                  fields=request.fields, due_on=day_text(request.due_on)))
        if status is Status.DISPUTED:
            repository.add_event(uow.session, request_id, Step.DISPUTED, actor, now, request.dispute_reason)
            uow.emit(RequestDisputed(actor=actor, target=target, request_id=request_id,
                                     reason=request.dispute_reason, due_on=day_text(request.due_on)))
        uow.commit()
    return get_request(uow, actor, request_id)


def _load(uow: UnitOfWork, request_id: int) -> tuple[rules.SharingRequest, dict]:
    found = repository.load_request(uow.session, request_id)
    if found is None:
        raise access.hidden()
    return found


def _issue(uow: UnitOfWork, actor: Actor, request: rules.SharingRequest, row: dict,
           terms: grant_rules.GrantTerms, how: str) -> None:
    """Make the grant a decision allows; a client holds at most one live grant per resource."""
    if repository.live_grant_exists(uow.session, terms.client_key, request.resource_code, city_today()):
        raise Conflict("该接入系统已有此资源的有效授权。", field="client_key")
    grant_id = repository.add_grant(uow.session, request, row, terms, actor, clock.now())
    uow.emit(GrantIssued(actor=actor, target=f"sharing_grant:{grant_id}", grant_id=grant_id, request_id=request.id,
                         resource_code=request.resource_code, provider_code=request.provider_code,
                         consumer_code=request.consumer_code, client_key=terms.client_key, fields=terms.fields,
                         starts_on=terms.starts_on.isoformat(), expires_on=terms.expires_on.isoformat(), how=how,
                         clear_fields=terms.clear_fields, verify_only=terms.verify_only))


def _terms(uow: UnitOfWork, request: rules.SharingRequest, data: GrantTermsInput) -> grant_rules.GrantTerms:
    """The grant a provider or coordinator sets, checked against the entry as it is now."""
    resource = live_resource(uow, request.resource_code)
    filters = ([(f.column, f.op, f.value) for f in data.row_filters] if data.row_filters is not None
               else [(c.column, c.op.value, list(c.value) if isinstance(c.value, tuple) else c.value)
                     for c in request.row_filters])
    return grant_rules.check_terms(
        request, items=resource.items, consumer_clients={c.client_key for c in clients_of(uow, request.consumer_code)},
        client_key=data.client_key, fields=data.fields, pseudonymous_fields=data.pseudonymous_fields,
        row_filters=filters, expires_on=data.expires_on, daily_quota=data.daily_quota, today=city_today(),
        clear_fields=data.clear_fields, core_items=resource.core_items, verify_only=data.verify_only)


def review_compliance(uow: UnitOfWork, actor: Actor, request_id: int, data: ComplianceReview,
                      settings: Settings) -> RequestDetail:
    """符合性审查 by the data authority: pass it on to the provider (无条件共享: grant at once), or refuse. The
    provider's deadline comes from `settings` (published or not yet published data)."""
    access.require(actor, perms.REVIEW_COMPLIANCE)
    today = city_today()
    with uow:
        request, row = _load(uow, request_id)
        now, target = clock.now(), f"sharing_request:{request_id}"
        if not data.approve:
            refused = rules.refuse(request, Action.REVIEW_COMPLIANCE, actor.department_code, data.reason)
            repository.save_request(uow.session, refused, now)
            repository.add_event(uow.session, request_id, Step.COMPLIANCE_REFUSED, actor, now, refused.refusal_reason)
            uow.emit(ComplianceRefused(actor=actor, target=target, request_id=request_id,
                                       reason=refused.refusal_reason))
        else:
            rules.approve_compliance(request, actor.department_code, None)  # state and four eyes first
            resource = live_resource(uow, request.resource_code)
            stage = deadlines(settings).for_stage(Status.PROVIDER_REVIEW, resource.published)
            due = deadline_after(uow, today, stage)
            approved = rules.approve_compliance(request, actor.department_code, due)
            repository.save_request(uow.session, approved, now, published=resource.published)
            repository.add_event(uow.session, request_id, Step.COMPLIANCE_APPROVED, actor, now)
            uow.emit(ComplianceApproved(actor=actor, target=target, request_id=request_id,
                                        due_on=day_text(approved.due_on)))
            if approved.status is Status.GRANTED:
                kept = tuple(f for f in request.fields if f in resource.items)
                if not kept:
                    raise Conflict("申请的信息项已不在该资源中，请重新申请。")
                _issue(uow, actor, approved, row, grant_rules.terms_at_once(approved, today, kept), "at_once")
                repository.add_event(uow.session, request_id, Step.GRANTED_AT_ONCE, actor, now)
        uow.commit()
    return get_request(uow, actor, request_id)


def review_as_provider(uow: UnitOfWork, actor: Actor, request_id: int, data: ProviderReview) -> RequestDetail:
    """提供方审核 by the providing department's approver: grant (possibly narrower), or refuse with a reason."""
    access.require(actor, perms.REVIEW_PROVIDER)
    with uow:
        request, row = _load(uow, request_id)
        access.require(actor, perms.REVIEW_PROVIDER, department=request.provider_code)
        now, target = clock.now(), f"sharing_request:{request_id}"
        if data.approve:
            approved = rules.approve_as_provider(request, actor.department_code)
            terms = _terms(uow, request, data.grant)
            repository.save_request(uow.session, approved, now)
            repository.add_event(uow.session, request_id, Step.PROVIDER_APPROVED, actor, now)
            uow.emit(ProviderApproved(actor=actor, target=target, request_id=request_id))
            _issue(uow, actor, approved, row, terms, "provider")
        else:
            refused = rules.refuse(request, Action.REVIEW_PROVIDER, actor.department_code, data.reason)
            repository.save_request(uow.session, refused, now)
            repository.add_event(uow.session, request_id, Step.PROVIDER_REFUSED, actor, now, refused.refusal_reason)
            uow.emit(ProviderRefused(actor=actor, target=target, request_id=request_id, reason=refused.refusal_reason))
        uow.commit()
    return get_request(uow, actor, request_id)


def dispute(uow: UnitOfWork, actor: Actor, request_id: int, data: DisputeInput) -> RequestDetail:
    """异议: the requesting department contests a refusal; the data authority then coordinates."""
    access.require(actor, perms.REQUEST)
    with uow:
        request, _row = _load(uow, request_id)
        access.require(actor, perms.REQUEST, department=request.consumer_code)
        disputed = rules.dispute(request, data.reason, deadline_after(uow, city_today(),
                                                                  rules.DEFAULT_DEADLINES.coordination))
        now = clock.now()
        repository.save_request(uow.session, disputed, now)
        repository.add_event(uow.session, request_id, Step.DISPUTED, actor, now, disputed.dispute_reason)
        uow.emit(RequestDisputed(actor=actor, target=f"sharing_request:{request_id}", request_id=request_id,
                                 reason=disputed.dispute_reason, due_on=day_text(disputed.due_on)))
        uow.commit()
    return get_request(uow, actor, request_id)


def coordinate(uow: UnitOfWork, actor: Actor, request_id: int, data: CoordinationInput) -> RequestDetail:
    """协调 by the data authority: share (with the grant's terms) or uphold the refusal, saying why."""
    access.require(actor, perms.COORDINATE)
    outcome = Outcome.parse(data.outcome, field="outcome", title="协调结果")
    with uow:
        request, row = _load(uow, request_id)
        decided, note = rules.coordinate(request, actor.department_code, outcome, data.note)
        terms = _terms(uow, request, data.grant) if outcome is Outcome.SHARE else None
        now = clock.now()
        repository.save_request(uow.session, decided, now, outcome_note=note)
        repository.add_event(uow.session, request_id, Step.COORDINATED, actor, now, f"{outcome.label}：{note}")
        uow.emit(DisputeCoordinated(actor=actor, target=f"sharing_request:{request_id}", request_id=request_id,
                                    outcome=outcome.value, note=note))
        if terms is not None:
            _issue(uow, actor, decided, row, terms, "coordination")
        uow.commit()
    return get_request(uow, actor, request_id)


def _as_rules(view: RequestView) -> rules.SharingRequest:
    return rules.SharingRequest(
        id=view.id, resource_code=view.resource_code, provider_code=view.provider_code,
        consumer_code=view.consumer_code, client_key=view.client_key, sharing=SharingKind(view.sharing_type.value),
        fields=tuple(view.fields), row_filters=(), starts_on=view.starts_on, ends_on=view.ends_on,
        status=Status(view.status.value), due_on=view.due_on)


def _actions(actor: Actor, request: rules.SharingRequest) -> list[str]:
    """What the viewer may do now: the role in the right department, the right state, four eyes."""
    holds = {
        Action.REVIEW_COMPLIANCE: access.can(actor, perms.REVIEW_COMPLIANCE),
        Action.REVIEW_PROVIDER: access.can(actor, perms.REVIEW_PROVIDER, department=request.provider_code),
        Action.DISPUTE: access.can(actor, perms.REQUEST, department=request.consumer_code),
        Action.COORDINATE: access.can(actor, perms.COORDINATE),
    }
    return [a.value for a, held in holds.items() if held and rules.open_to(request, a, actor.department_code)]


def get_request(uow: UnitOfWork, actor: Actor, request_id: int) -> RequestDetail:
    """A request with its history, its grant, and what the viewer may do with it."""
    access.require(actor, perms.VIEW)
    today = city_today()
    with uow.reading() as session:
        view = queries.request_view(session, request_id, today)
        if view is None or not sees(actor, view.consumer_code, view.provider_code):
            raise access.hidden()
        history = queries.request_history(session, request_id)
        grant = queries.grant_view(session, today, request_id=request_id)
    actions = _actions(actor, _as_rules(view))
    deciding = {Action.REVIEW_PROVIDER.value, Action.COORDINATE.value} & set(actions)
    entry = entry_or_none(uow, view.resource_code) if deciding else None
    return RequestDetail(
        request=view, history=history, grant=with_actions(actor, grant) if grant else None, actions=actions,
        available_fields=[f for f in view.fields if entry and f in {i.name for i in entry.items}],
        releasable_fields=[f for f in view.fields if entry and f in {i.name for i in entry.items
                                                                     if i.level.value != "core"}],
        consumer_clients=clients_of(uow, view.consumer_code) if deciding else [])


def list_requests(uow: UnitOfWork, actor: Actor, scope: str = "mine") -> list[RequestView]:
    """mine: my department's requests; provided: requests for my department's data; review: waiting on me;
    overdue: past their deadline (every department's for those who oversee); all: everything I may see."""
    access.require(actor, perms.VIEW)
    if scope not in SCOPES:
        raise InvalidInput(f"范围须为以下之一：{'、'.join(SCOPES)}", field="scope")
    department, today, everything = actor.department_code, city_today(), oversees(actor)
    with uow.reading() as session:
        if scope == "review":
            return queries.review_queue(
                session, today, compliance=access.can(actor, perms.REVIEW_COMPLIANCE),
                coordination=access.can(actor, perms.COORDINATE), not_of=department,
                provider_of=department if access.can(actor, perms.REVIEW_PROVIDER) else None)
        if scope in ("mine", "provided"):
            side = "consumer" if scope == "mine" else "provider"
            return queries.list_requests(session, today, **{side: department}) if department else []
        return queries.list_requests(session, today, involving=None if everything else department,
                                     everything=everything, overdue=scope == "overdue")


def summary(uow: UnitOfWork, actor: Actor) -> SharingSummary:
    """Counts for a dashboard card: waiting on me, open and overdue requests, grants due for 复核."""
    access.require(actor, perms.VIEW)
    involving, today = None if oversees(actor) else actor.department_code, city_today()
    if involving is None and not oversees(actor):
        return SharingSummary(to_review=0, open_requests=0, overdue=0, recertification_due=0)
    with uow.reading() as session:
        open_count = queries.request_count(session, today, involving=involving, overdue=False)
        overdue = queries.request_count(session, today, involving=involving, overdue=True)
        due = queries.list_grants(session, today, involving=involving, everything=involving is None,
                                  recertification=True)
    return SharingSummary(to_review=len(list_requests(uow, actor, "review")), open_requests=open_count,
                          overdue=overdue, recertification_due=len(due))


def daily_digest(uow: UnitOfWork, actor: Actor) -> Digest:
    """督办日报: every overdue request and every grant within its re-certification window, city-wide."""
    access.require(actor, perms.OVERSEE)
    today = city_today()
    with uow.reading() as session:
        overdue = queries.list_requests(session, today, everything=True, overdue=True)
        due = queries.list_grants(session, today, everything=True, recertification=True)
    return Digest(on=today, overdue=overdue, recertification=due)
