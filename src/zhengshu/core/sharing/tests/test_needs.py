"""The supply-demand board (数据需求) on the real databases: post, answer with a catalogue entry, close."""

from __future__ import annotations

import pytest

from zhengshu.core.sharing import service
from zhengshu.core.sharing.schemas import AnswerCreate, NeedCreate
from zhengshu.core.sharing.tests.conftest import (
    ANALYST,
    HEALTH_OFFICER,
    MARKET_APPROVER,
    MARKET_OFFICER,
    POLICE_OFFICER,
    City,
)
from zhengshu.kernel.errors import Conflict, InvalidInput, NotFound

NEED = NeedCreate(title="企业法定代表人身份核验", description="需要核验法定代表人的姓名与公民身份号码",
                  purpose="企业开办")


def test_a_need_is_posted_answered_and_closed(city: City, audit_actions) -> None:
    uow = city.platform.uow
    need = service.post_need(uow(), MARKET_OFFICER, NEED)
    assert need.status.value == "open" and need.department_name == "市市场监管局" and need.can_close
    assert [n.id for n in service.list_needs(uow(), ANALYST)] == [need.id]  # every staff member sees the board
    assert not service.get_need(uow(), POLICE_OFFICER, need.id).can_close
    code = city.entry()
    answered = service.answer_need(uow(), POLICE_OFFICER, need.id, AnswerCreate(resource_code=code, note="可核验"))
    [answer] = answered.answers
    assert (answer.resource_code, answer.provider_name, answer.note) == (code, "市公安局", "可核验")
    with pytest.raises(Conflict, match="已用资源"):
        service.answer_need(uow(), POLICE_OFFICER, need.id, AnswerCreate(resource_code=code))
    with pytest.raises(NotFound):
        service.close_need(uow(), HEALTH_OFFICER, need.id)
    closed = service.close_need(uow(), MARKET_OFFICER, need.id)
    assert closed.status.value == "closed" and closed.closed_at is not None and not closed.can_close
    assert service.list_needs(uow(), ANALYST) == []
    assert [n.id for n in service.list_needs(uow(), ANALYST, "closed")] == [need.id]
    with pytest.raises(Conflict, match="已关闭"):
        service.answer_need(uow(), POLICE_OFFICER, need.id, AnswerCreate(resource_code=city.entry()))
    target = f"sharing_need:{need.id}"
    assert audit_actions() == [("sharing.need_posted", target), ("sharing.need_answered", target),
                               ("sharing.need_closed", target)]


def test_only_a_provider_answers_with_its_own_entries(city: City) -> None:
    uow = city.platform.uow
    need = service.post_need(uow(), MARKET_OFFICER, NEED)
    code = city.entry()
    with pytest.raises(NotFound):  # the entry is not theirs
        service.answer_need(uow(), HEALTH_OFFICER, need.id, AnswerCreate(resource_code=code))
    with pytest.raises(NotFound):  # approvers do not answer
        service.answer_need(uow(), MARKET_APPROVER, need.id, AnswerCreate(resource_code=code))
    own = service.post_need(uow(), POLICE_OFFICER, NEED)
    with pytest.raises(InvalidInput, match="不能以本部门的资源响应本部门的需求"):
        service.answer_need(uow(), POLICE_OFFICER, own.id, AnswerCreate(resource_code=code))
    with pytest.raises(NotFound):
        service.answer_need(uow(), POLICE_OFFICER, 9999, AnswerCreate(resource_code=code))


def test_a_need_names_what_is_needed(city: City) -> None:
    with pytest.raises(InvalidInput, match="需求名称不能为空"):
        service.post_need(city.platform.uow(), MARKET_OFFICER, NeedCreate(title=" ", description="x"))
    with pytest.raises(NotFound):
        service.post_need(city.platform.uow(), ANALYST, NEED)
    with pytest.raises(InvalidInput):
        service.list_needs(city.platform.uow(), ANALYST, "pending")
