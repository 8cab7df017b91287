"""Two identical requests (same system, same resource) submitted at the same moment: the service's check
cannot see a request another transaction has not committed yet, so the open-request index decides, and the
loser gets the same Conflict as a late duplicate, never a database error."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from zhengshu.core.sharing import repository, service
from zhengshu.core.sharing.domain.requests import SharingRequest
from zhengshu.core.sharing.domain.values import SharingKind, Status
from zhengshu.core.sharing.schemas import ComplianceReview
from zhengshu.core.sharing.tests.conftest import ADMIN, MARKET, MARKET_OFFICER, POLICE, City, request_body
from zhengshu.kernel import clock
from zhengshu.kernel.errors import Conflict


def _asked(city: City, code: str) -> SharingRequest:
    return SharingRequest(id=0, resource_code=code, provider_code=POLICE, consumer_code=MARKET,
                          client_key=city.client_key, sharing=SharingKind.CONDITIONAL, fields=("姓名",),
                          row_filters=(), starts_on=date(2026, 9, 30), ends_on=date(2027, 9, 29),
                          status=Status.SUBMITTED, due_on=None)


def _insert(session: Session, request: SharingRequest) -> int:
    return repository.add_request(session, request, resource_name="户籍人口基本信息", provider_name="市公安局",
                                  consumer_name="市市场监管局", published=True, row_scope="", purpose="核验",
                                  legal_basis="条例", actor=MARKET_OFFICER, now=clock.now())


def _open_requests(city: City, code: str) -> int:
    with city.platform.database.reading() as session:
        return session.execute(text("SELECT count(*) FROM sharing_requests WHERE resource_code = :c "
                                    "AND status IN ('submitted', 'provider_review', 'disputed')"), {"c": code}).scalar()


def test_the_database_refuses_a_second_open_request_that_skipped_the_check(city: City) -> None:
    """Two units of work: the first commits a request; the second inserts as if its check had run before that
    commit. The index refuses it with the service's Conflict; a closed request does not count."""
    code = city.entry()
    first = city.platform.uow()
    with first:
        _insert(first.session, _asked(city, code))
        first.commit()
    second = city.platform.uow()
    with second, pytest.raises(Conflict, match="已有办理中的申请") as caught:
        _insert(second.session, _asked(city, code))
    assert caught.value.field == "resource_code"
    assert _open_requests(city, code) == 1

    request_id = service.list_requests(city.platform.uow(), MARKET_OFFICER, "mine")[0].id
    service.review_compliance(city.platform.uow(), ADMIN, request_id,
                              ComplianceReview(approve=False, reason="用途不明确"), city.platform.settings)
    again = city.platform.uow()
    with again:  # refused: no longer open, so a new request may be made
        _insert(again.session, _asked(city, code))
        again.commit()
    assert _open_requests(city, code) == 1


def _waiting_on_a_lock(city: City) -> bool:
    with city.platform.database.reading() as session:
        return bool(session.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query LIKE 'INSERT INTO sharing_requests%'")).scalar())


def test_two_submissions_at_the_same_moment_make_one_request(city: City) -> None:
    """The first unit of work has inserted but not committed when the second submits through the service: on
    PostgreSQL the second passes the check (it cannot see the first), waits on the index, then loses; on
    SQLite it waits for the write lock and the check refuses it. Either way: one request, one Conflict."""
    code = city.entry()
    outcome: dict[str, object] = {}

    def submit() -> None:
        try:
            outcome["detail"] = service.submit_request(city.platform.uow(), MARKET_OFFICER,
                                                       request_body(code, city.client_key), city.platform.settings)
        except Exception as error:  # the test looks at what it was
            outcome["error"] = error

    first = city.platform.uow()
    with first:
        _insert(first.session, _asked(city, code))
        racer = threading.Thread(target=submit)
        racer.start()
        if city.platform.database.backend == "postgresql":
            deadline = time.monotonic() + 10
            while not _waiting_on_a_lock(city):  # the second got past the check and waits on the index
                assert time.monotonic() < deadline, "the second submission never reached the insert"
                time.sleep(0.02)
        else:
            time.sleep(0.3)
        first.commit()
    racer.join(30)
    assert "detail" not in outcome
    assert isinstance(outcome["error"], Conflict) and "已有办理中的申请" in outcome["error"].message
    assert _open_requests(city, code) == 1
