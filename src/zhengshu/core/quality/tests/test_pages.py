"""The quality pages through the real application: the overview with the ranking, a resource's report with its
trend chart data, the XLSX download, the rule-set editor (a bad rule set shown back with its message and nothing
saved), the navigation item and the home-page card. Pages are Chinese, never a traceback."""

from __future__ import annotations

import io
import json
import re
from urllib.parse import quote

from conftest import csrf, page
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from zhengshu.core.quality import service
from zhengshu.core.quality.tests.conftest import ADMIN, ANALYST, MARKET_OFFICER, POLICE_OFFICER, City
from zhengshu.kernel.actor import Actor

Web = tuple[TestClient, dict[str, Actor | None]]


def test_the_overview_ranks_departments_and_lists_the_reader_s_resources(city: City, signed_in: Web) -> None:
    web, who = signed_in
    who["actor"] = ADMIN
    html = page(web.get("/quality"))
    assert '<a href="/quality" class="active">数据质量</a>' in html
    ranking = html[html.index('data-testid="ranking"'):html.index('data-testid="lowest"')]
    assert ranking.index("市公安局") < ranking.index("市市场监管局")
    assert "户籍人口基本信息" in html and "市场主体登记信息" in html
    assert '<a href="/quality/departments/130300004">市市场监管局</a>' in ranking
    who["actor"] = MARKET_OFFICER
    html = page(web.get("/quality"))
    lowest = html[html.index('data-testid="lowest"'):]
    assert "市场主体登记信息" in lowest and "户籍人口基本信息" not in lowest and "本部门" in html
    assert '<a href="/quality/departments/130300003">' not in html
    html = page(web.get("/quality/departments/130300004"))
    assert "全市 2 个部门中排第 <strong>2</strong> 名" in html and f'data-testid="resource-{city.firms}"' in html
    assert "未找到" in page(web.get("/quality/departments/130300003"), 404)


def test_a_resource_s_report_page(city: City, signed_in: Web) -> None:
    web, _ = signed_in
    html = page(web.get(f"/quality/resources/{city.people}"))
    latest = service.get_load_result(city.platform.uow(), POLICE_OFFICER, city.people, "p-2")
    assert 'data-testid="latest-load">p-2<' in html
    assert f'data-testid="score-规范性">{latest.scores["规范性"]:.1f}<' in html
    chart = json.loads(re.search(r'id="quality-trend-data" type="application/json">(.*?)</script>', html).group(1))
    assert chart["loads"] == ["p-1", "p-2"]
    assert [s["name"] for s in chart["series"]] == ["规范性", "完整性", "准确性", "一致性", "时效性"]
    assert chart["series"][4]["data"] == [None, 100.0]
    worst = html[html.index('data-testid="worst-rules"'):html.index('data-testid="samples"')]
    assert "i01-valid" in worst and "33.33%" in worst
    samples = html[html.index('data-testid="samples"'):]
    assert "130302199003071235" in samples and "（建议规则，尚未保存）" in html
    assert f'href="/quality/resources/{city.people}/loads/p-2.xlsx"' in html and 'data-testid="edit-rules"' in html
    assert 'data-testid="no-loads"' in page(web.get(f"/quality/resources/{city.empty}"))


def test_other_departments_get_not_found_and_analysts_masked_values(city: City, signed_in: Web) -> None:
    web, who = signed_in
    who["actor"] = MARKET_OFFICER
    for path in (f"/quality/resources/{city.people}", f"/quality/resources/{city.people}/rules",
                 f"/quality/resources/{city.people}/loads/p-2.xlsx"):
        assert "未找到" in page(web.get(path), 404)
    who["actor"] = ANALYST
    html = page(web.get(f"/quality/resources/{city.people}"))
    assert "130302199003071235" not in html and "1****************5" in html and "样例值已脱敏" in html
    assert 'data-testid="edit-rules"' not in html


def test_the_xlsx_download(city: City, signed_in: Web) -> None:
    web, _ = signed_in
    response = web.get(f"/quality/resources/{city.people}/loads/p-2.xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    name = f"质量报告-{city.people}-p-2.xlsx"
    assert response.headers["content-disposition"] == (
        f"attachment; filename=\"quality-{city.people}-p-2.xlsx\"; filename*=UTF-8''{quote(name, safe='')}")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    summary = {r[0]: r[1] for r in book["概要"].iter_rows(values_only=True) if r[0]}
    assert (summary["资源代码"], summary["加载编号"], summary["拒收行数"]) == (city.people, "p-2", 2)
    assert any(r[3] == "i01-valid" for r in book["问题样例"].iter_rows(min_row=2, values_only=True))


def test_editing_the_rule_set(city: City, signed_in: Web) -> None:
    web, _ = signed_in
    path = f"/quality/resources/{city.people}/rules"
    html = page(web.get(path))
    assert '&#34;i01-valid&#34;' in html and 'data-testid="suggest"' in html
    bad = json.dumps({"rules": [{"id": "r1", "kind": "validity", "field": "姓名", "check": "id", "message": "m"}]},
                     ensure_ascii=False)
    refused = page(web.post(path, data={"csrf_token": csrf(html), "text": bad}), 400)
    assert "规则 r1（第 1 条）字段 check：取值须为" in refused and "&#34;check&#34;: &#34;id&#34;" in refused
    unknown = json.dumps({"rules": [{"id": "r2", "kind": "completeness", "field": "电话", "message": "m"}]})
    assert "规则 r2（第 1 条）：资源没有信息项“电话”" in page(
        web.post(path, data={"csrf_token": csrf(html), "text": unknown}), 400)
    assert "第 1 行" in page(web.post(path, data={"csrf_token": csrf(html), "text": "{oops"}), 400)
    assert "表单已过期或来源不明" in page(web.post(path, data={"text": bad}), 400)
    assert service.get_rule_set(city.platform.uow(), POLICE_OFFICER, city.people) is None  # nothing saved
    good = json.dumps({"rules": [{"id": "name-required", "kind": "completeness", "field": "姓名",
                                  "message": "姓名不能为空"}]}, ensure_ascii=False)
    saved = web.post(path, data={"csrf_token": csrf(html), "text": good})
    assert saved.status_code == 303 and saved.headers["location"] == f"/quality/resources/{city.people}?done=rules"
    html = page(web.get(saved.headers["location"]))
    assert "规则集已保存" in html and "现行规则集（第 1 版）" in html and "name-required" in html
    assert service.get_rule_set(city.platform.uow(), POLICE_OFFICER, city.people).version == 1
    suggested = page(web.get(path, params={"suggest": "1"}))
    assert "已填入建议规则集" in suggested and '&#34;i01-valid&#34;' in suggested
    assert '&#34;i01-valid&#34;' not in page(web.get(path))  # the saved set is shown again


def test_nav_and_home_card(city: City, signed_in: Web) -> None:
    web, who = signed_in
    who["actor"] = MARKET_OFFICER
    html = page(web.get("/"))
    assert '<a href="/quality" class="">数据质量</a>' in html
    assert "本部门质量得分低于 80 分的资源" in html and "最低：市场主体登记信息" in html
