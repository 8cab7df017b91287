"""A synthetic implementation plan (实施方案) for the demo's electronic supervision: the same shape as the city's
real plans — a notice, 一、总体要求, 二、主要任务 with sections （一）… and numbered tasks 1. … each closing with
(牵头单位:…;责任单位:…;完成时限:…), then 三、保障措施 — naming the synthetic city's departments. The same seed
always writes the same plan; some deadlines fall before the city's observation day, some after.
"""

from __future__ import annotations

import random
from pathlib import Path

from zhengshu.synth.config import AS_OF

TITLE = "秦皇岛市公共数据授权运营实施方案（合成演示）"

# the departments of the synthetic city's sources, and a few that lead plans
DEPARTMENTS = ("市公安局", "市市场监管局", "市人社局", "市卫健委", "市民政局", "市教育局", "市住建局", "市公积金中心",
               "市交通运输局", "市旅游文广局", "市税务局", "市统计局")
SECTIONS = (
    ("夯实公共数据资源基础", ("开展公共数据资源普查", "完善公共数据资源目录", "推进人口数据一数一源",
                             "推进法人数据一数一源")),
    ("规范公共数据授权运营", ("制定授权运营管理办法", "建设授权运营服务平台", "建立数据产品登记制度")),
    ("拓展公共数据应用场景", ("推进普惠金融数据应用", "推进就业服务数据应用", "推进文旅消费数据应用")),
    ("强化公共数据安全保障", ("开展数据安全风险评估", "落实数据分类分级保护")),
)
DEADLINES = ("2026年6月底前", "2026年12月底前", "2027年3月底前", "2027年6月底前", "2027年12月底前")
NUMERALS = "一二三四五六七八九十"


def _task(rng: random.Random, number: int, title: str, section: int) -> str:
    lead = "市政府办" if section == 1 and number == 1 else rng.choice(DEPARTMENTS)
    named = "、".join(d for d in rng.sample(DEPARTMENTS, 3) if d != lead) + "等部门"
    if section == 1 and number == 1:
        named += ",各县区政府"
    if section == 4 and number == 2:
        named += ",市政府相关部门"
    deadline = DEADLINES[(section + number) % len(DEADLINES)]
    body = (f"{title}。围绕{title[2:]}，明确工作目标和责任分工，建立工作台账，按月调度推进，"
            f"确保{deadline[:-1]}取得阶段性成果。")
    return f"{number}.{body}(牵头单位:{lead};责任单位:{named};完成时限:{deadline})"


def plan_text(seed: int = 2026) -> str:
    rng = random.Random(seed)
    lines = [
        f"秦皇岛市人民政府办公室关于印发《{TITLE}》的通知",
        "各县、区人民政府,秦皇岛开发区、北戴河新区管委会,市政府各部门:",
        f"《{TITLE}》已经市政府同意,现印发给你们,请认真组织实施。",
        f"秦皇岛市人民政府办公室 {AS_OF.year - 1}年12月20日",
        TITLE,
        "一、总体要求",
        "(一)主要目标。到2027年,公共数据授权运营机制基本建立,数据要素价值充分释放。",
        "二、主要任务",
    ]
    for s, (section, titles) in enumerate(SECTIONS, start=1):
        lines.append(f"({NUMERALS[s - 1]}){section}。")
        lines.extend(_task(rng, n, title, s) for n, title in enumerate(titles, start=1))
    lines += ["三、保障措施", "(一)强化组织领导。各责任单位要按月报送任务进展。"]
    return "\n".join(lines) + "\n"


def write_plan(out: Path, seed: int = 2026) -> Path:
    """Write the plan as UTF-8 text to `out` (a file path); returns it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(plan_text(seed), encoding="utf-8")
    return out
