"""The fusion pages on the real app: the report shows runs, links per source and the review queue; a person
splits a doubtful cluster through the form; a form from before a re-fusion is refused as a stale cluster;
staff without the permission get "not found"."""

from __future__ import annotations

from conftest import csrf, make_actor, page, web_as

from zhengshu.core.fusion import service
from zhengshu.core.fusion.tests import toy
from zhengshu.core.fusion.tests.conftest import SYSTEM
from zhengshu.kernel.permissions import Role

ADMIN = make_actor(Role.PLATFORM_ADMIN, department="130300002", name="数据主管部门管理员")


def test_the_report_and_a_split_through_the_review_form(fused, declared) -> None:
    platform, store, _ = fused
    service.run_fusion(platform.uow(), SYSTEM, store, toy.spec())
    with web_as(platform, ADMIN) as (client, who):
        html = page(client.get("/fusion/toy"))
        assert "融合报告" in html and "市人社局/社保参保" in html and "待复核的簇（1）" in html
        doubtful = service.fusion_report(platform.uow(), SYSTEM, store, "toy").review[0]
        form_page = page(client.get(f"/fusion/toy/clusters/{doubtful.id}"))
        assert "张5" in form_page and "权威来源" in form_page
        record = service.registry_record(platform.uow(), SYSTEM, store, "toy", doubtful.id)
        loose = next(m for m in record.members if m.link == "概率匹配")
        answer = client.post(f"/fusion/toy/clusters/{doubtful.id}", data={
            "csrf_token": csrf(form_page), "fingerprint": record.fingerprint, "decision": "split",
            "rows": f"{loose.source}|{loose.hash}|{loose.dup}"})
        assert answer.status_code == 303, answer.text[:500]
        service.run_fusion(platform.uow(), SYSTEM, store, toy.spec())
        stale = client.post(f"/fusion/toy/clusters/{doubtful.id}", data={
            "csrf_token": csrf(form_page), "fingerprint": record.fingerprint, "decision": "confirm"})
        assert "stale cluster" in page(stale, 409)
        assert "待复核的簇（0）" in page(client.get("/fusion/toy"))
        who["actor"] = make_actor(Role.ANALYST, department="130300002")  # reads the report, decides nothing
        assert "融合报告" in page(client.get("/fusion/toy"))
        who["actor"] = make_actor(Role.DATA_OFFICER, department=toy.POLICE)
        page(client.get("/fusion/toy"), 404)


def test_the_api_gives_a_record_with_lineage_and_refuses_a_stale_decision(fused, declared) -> None:
    platform, store, _ = fused
    service.run_fusion(platform.uow(), SYSTEM, store, toy.spec())
    doubtful = service.fusion_report(platform.uow(), SYSTEM, store, "toy").review[0]
    with web_as(platform, ADMIN) as (client, _):
        record = client.get(f"/api/v1/fusion/toy/records/{doubtful.id}").json()
        name = next(v for v in record["values"] if v["field"] == "name")
        assert (name["value"], name["source"], name["version"], name["basis"]) == ("张5", toy.HUJI, 1, "权威来源")
        assert len(record["members"]) == 2
        stale = client.post("/api/v1/fusion/toy/decisions", json={
            "record_id": doubtful.id, "fingerprint": "0" * 16, "decision": "confirm"})
        assert stale.status_code == 409 and "stale cluster" in stale.text
        done = client.post("/api/v1/fusion/toy/decisions", json={
            "record_id": doubtful.id, "fingerprint": doubtful.fingerprint, "decision": "confirm"})
        assert done.status_code == 201, done.text
        assert client.get("/api/v1/fusion/toy/report").json()["review"] == []
