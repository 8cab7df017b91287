"""The real seed plan (秦皇岛市加强数字政府建设实施方案, 2023) imported on SQLite and PostgreSQL: all 42 tasks of
二、主要任务 with their section, title, lead and responsible departments, matched to the department tree.

The expected table was written by reading the plan, not by running the parser. In it, COUNTIES stands for
各县区政府 (the seven counties and districts and the two functional zones: the plan says 含秦皇岛开发区、北戴河新区
管委会，下同), ALL for 市政府各部门 (every city department of the tree), 相关 for 市政府相关部门 (kept as written, for a
supervisor to assign). A department named as both lead and responsible is lead only.
"""

from __future__ import annotations

import pytest

from zhengshu.apps.supervision import service
from zhengshu.apps.supervision.schemas import PlanImportResult
from zhengshu.apps.supervision.tests.conftest import SUPERVISOR
from zhengshu.core.identity import service as identity
from zhengshu.kernel.actor import system_actor
from zhengshu.modules import Platform

COUNTIES = ("海港区", "山海关区", "北戴河区", "抚宁区", "青龙满族自治县", "昌黎县", "卢龙县", "秦皇岛经济技术开发区",
            "北戴河新区")
ALL = "ALL"
RELATED = "市政府相关部门"
OFFICE = "市政府办公室"

SECTIONS = {
    1: "建设集约高效的数字政府底座",
    2: "汇聚开放共享的数字资源体系",
    3: "提升经济运行的监测调节能力",
    4: "提升统一市场的智慧监管能力",
    5: "构建精细精准的数字化治理体系",
    6: "搭建均等普惠的数字服务体系",
    7: "强化动态感知的生态保护能力",
    8: "构建科学高效的政务运行体系",
    9: "提升精准便捷的政务公开水平",
    10: "构建严密可靠的网络和数字安全保障体系",
}

CLOUD_NETWORK = ("市工信局", "市发改委", "市行政审批局", "市委网信办", *COUNTIES)
SHARING = (*COUNTIES,)  # 责任单位:市政府相关部门,各县区政府

# code: (title, lead, responsible, unspecified)
TASKS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "1.1": ("构建全市政务“一朵云”", (OFFICE,), CLOUD_NETWORK, ()),
    "1.2": ("打造全市电子政务“一张网”", (OFFICE,), CLOUD_NETWORK, ()),
    "1.3": ("完善全市政务数据“一体系”", (OFFICE, "市行政审批局"), (ALL, *COUNTIES), ()),
    "1.4": ("建设信用信息基础数据“一座库”", (), ("市行政审批局",), ()),
    "2.1": ("建立健全政务数据共享协调机制", (OFFICE, "市行政审批局"), SHARING, (RELATED,)),
    "2.2": ("开展政务数据确权", (OFFICE, "市行政审批局"), SHARING, (RELATED,)),
    "2.3": ("汇聚治理公共数据", (OFFICE,),
            ("市公安局", "市住建局", "市公积金中心", "市资源规划局", "市卫健委", "市旅游文广局", "市外事商务局",
             "市市场监管局", "市国资委", "市城管执法局", "市交通运输局", "秦皇岛旅控集团"), ()),
    "2.4": ("开放共享政务数据", (OFFICE, "市行政审批局"), SHARING, (RELATED,)),
    "2.5": ("开发利用公共数据", (OFFICE,),  # 牵头单位:市政府办
            ("市工信局", "市教育局", "市民政局", "市人社局", "市交通运输局", "市卫健委", "市生态环境局", "市国资委",
             "市市场监管局", "市医保局", "市金融监管局", "国家金融监督管理总局秦皇岛监管分局", "人行秦皇岛市中心支行",
             "市行政审批局"), ()),
    "3.1": ("建立全市宏观经济发展基础数据库", (OFFICE, "市发改委"), ("市统计局", *COUNTIES), ()),
    "3.2": ("加快构建经济运行主题数据库", (),
            ("市发改委", "市农业农村局", "市旅游文广局", "市工信局", "市科技局", "市外事商务局", "秦皇岛海关",
             "北戴河海关", "市国资委", *COUNTIES), ()),
    "3.3": ("加快建设和应用一批行业专题数据库", (),
            ("市发改委", "市财政局", "市税务局", "市人社局", "市交通运输局", "市外事商务局", "秦皇岛海关",
             "北戴河海关"), ()),
    "3.4": ("强化全市宏观经济运行监测分析", (), (), (RELATED,)),
    "4.1": ("完善法人基础数据库", ("市市场监管局",), ("市人社局", "市医保局", "市行政审批局"), ()),
    "4.2": ("强化食品数字化监管", (), ("市市场监管局", "市教育局"), ()),
    "4.3": ("强化药品数字化监管", (), ("市市场监管局",), ()),
    "4.4": ("强化特种设备数字化监管", (), ("市市场监管局",), ()),
    "4.5": ("创新数字化监管方式", (), ("市行政审批局",), ("具有监管职能的相关部门",)),
    "5.1": ("完善人口基础数据库", ("市公安局",), ("市卫健委", "市人社局", "市教育局", "市民政局"), ()),
    "5.2": ("推进社会治安防控体系智能化", (), ("市委政法委", "市公安局", *COUNTIES), ()),
    "5.3": ("推进应急管理数字化", ("市应急管理局",), ("市资源规划局", "市水务局", "市外事商务局", "市工信局"), ()),
    "5.4": ("推进传染病监测预警和应急处置精准化", (), ("市卫健委",), ()),
    "5.5": ("创新数字应用新场景", (),
            ("市发改委", "市城管执法局", "市交通运输局", "市卫健委", "市旅游文广局", "市工信局", "市委网信办",
             "市农业农村局", "秦皇岛旅控集团", *COUNTIES), ()),
    "5.6": ("推进基层治理数字化", ("市民政局",), COUNTIES, ()),
    "5.7": ("畅通数字化矛盾化解渠道", (OFFICE, "市信访局", "市司法局"), (), ()),
    "6.1": ("完善电子证照基础数据库", ("市行政审批局",), ("市税务局", "市财政局", "市人社局", "市公积金中心"), ()),
    "6.2": ("打造泛在可及政务服务", (OFFICE,), ("市行政审批局",), ()),
    "6.3": ("推行智慧便捷政务服务", ("市行政审批局",), ("市市场监管局",), ()),
    "6.4": ("提供优质便利的涉企服务", ("市行政审批局",), COUNTIES, ()),
    "6.5": ("拓展公平普惠的民生服务", ("市行政审批局", "市人社局"), COUNTIES, ()),
    "7.1": ("提升生态环境数字治理能力", ("市生态环境局",), (), ()),
    "7.2": ("建立国土空间与自然资源基础数据库", ("市资源规划局",), ("市海洋渔业局", "市林业局"), ()),
    "7.3": ("打造智慧水利体系", (), ("市水务局",), ()),
    "8.1": ("提升政务云视频“一张网”应用水平", (), (OFFICE,), ()),
    "8.2": ("提升全市公文“一张网”运转水平", (OFFICE, "市委保密机要局"), COUNTIES, ()),
    "8.3": ("提升行政数字化监督水平", (), (OFFICE,), ()),
    "8.4": ("提升政策辅助决策能力", (), (OFFICE,), ()),
    "9.1": ("强化政策解读发布", (OFFICE,), COUNTIES, ()),
    "9.2": ("发挥政务新媒体传播优势", (OFFICE, "市委网信办"), COUNTIES, ()),
    "9.3": ("畅通群众互动交流渠道", (OFFICE, "市行政审批局"), COUNTIES, ()),
    "10.1": ("完善安全管理机制", (), (ALL, *COUNTIES), ()),
    "10.2": ("加强安全保障水平", (), COUNTIES, (RELATED,)),
}


def test_the_table_above_is_the_plan_s_42_tasks() -> None:
    per_section = [sum(code.split(".")[0] == str(s) for code in TASKS) for s in SECTIONS]
    assert per_section == [4, 5, 4, 5, 7, 5, 3, 4, 3, 2] and len(TASKS) == 42


def _expected(names: tuple[str, ...], city_departments: list[str], lead: tuple[str, ...]) -> list[str]:
    expanded = [d for n in names for d in (city_departments if n == ALL else [n])]
    return [n for n in expanded if n not in lead]


def test_every_task_of_the_seed_plan(seeded: Platform, imported: PlanImportResult) -> None:
    assert (imported.tasks, imported.sections) == (42, 10)
    assert imported.title == "秦皇岛市加强数字政府建设实施方案"
    assert imported.problems == []  # every department name is in the tree or the alias data
    tree = identity.list_organisations(seeded.uow(), system_actor("测试"))
    city_departments = [o.name for o in tree if o.kind == "department" and o.parent_code == "130300"]
    assert len(city_departments) == 40

    tasks = service.list_tasks(seeded.uow(), SUPERVISOR, imported.plan_id)
    assert [t.code for t in tasks] == list(TASKS)
    for task in tasks:
        title, lead, responsible, unspecified = TASKS[task.code]
        section = int(task.code.split(".")[0])
        found = (task.section, task.section_title, task.title, [u.name for u in task.lead],
                 [u.name for u in task.responsible], task.unspecified, task.unknown)
        assert found == (section, SECTIONS[section], title, list(lead),
                         _expected(responsible, city_departments, lead), list(unspecified), []), task.code
    assert imported.assignments == sum(len(t.lead) + len(t.responsible) for t in tasks)


def test_task_text_and_labels(seeded: Platform, imported: PlanImportResult) -> None:
    tasks = {t.code: t for t in service.list_tasks(seeded.uow(), SUPERVISOR, imported.plan_id)}
    detail = service.task_detail(seeded.uow(), SUPERVISOR, tasks["8.3"].id)
    assert detail.task.label == "（八）3"
    assert detail.text.startswith("提升行政数字化监督水平。建设市政府电子督查系统")
    assert detail.text.endswith("提升督查效能。")  # the closing brackets are not part of the text
    assert "责任单位" not in detail.text
    assert [a.organisation.code for a in detail.assignments] == ["130300001"]
    counties = service.task_detail(seeded.uow(), SUPERVISOR, tasks["5.6"].id)
    assert [a.role for a in counties.assignments] == ["lead"] + ["responsible"] * 9
    assert counties.assignments[1].organisation.code == "130302"  # 海港区: the county-level government itself


@pytest.mark.parametrize("suffix", [".docx", ".html"])
def test_the_same_plan_as_docx_and_html(seeded: Platform, seed_plan: bytes, suffix: str, tmp_path) -> None:
    text = seed_plan.decode("utf-8")
    if suffix == ".docx":
        import docx

        document = docx.Document()
        for line in text.splitlines():
            document.add_paragraph(line)
        path = tmp_path / "plan.docx"
        document.save(path)
        content = path.read_bytes()
    else:
        body = "".join(f"<p>{line}</p>" for line in text.splitlines())
        content = (f"<html><head><title>通知</title><style>p{{}}</style></head><body><script>var a='1.x'"
                   f"</script>{body}</body></html>").encode("gb18030")
    result = service.import_plan(seeded.uow(), SUPERVISOR, f"方案{suffix}", content)
    assert (result.tasks, result.title, result.problems) == (42, "秦皇岛市加强数字政府建设实施方案", [])
    tasks = service.list_tasks(seeded.uow(), SUPERVISOR, result.plan_id)
    assert [t.code for t in tasks] == list(TASKS)
    assert [u.name for u in tasks[4].lead] == [OFFICE, "市行政审批局"]
