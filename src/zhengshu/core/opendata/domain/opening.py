"""Openings (开放事项): a published catalogue entry, whole or as a derived aggregated view, proposed by its
department's data officer and approved by the data authority; their states, codes, themes and licences."""

from __future__ import annotations

import re
from enum import StrEnum

from zhengshu.kernel.errors import Conflict, InvalidInput

CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,57}$")


class Status(StrEnum):
    PROPOSED = "proposed"  # 待审批
    REFUSED = "refused"  # 未通过隐私闸门 (the proposal stays, with the gate's reasons; fix and propose again)
    REJECTED = "rejected"  # 已驳回 (by the data authority)
    OPEN = "open"  # 已开放
    WITHDRAWN = "withdrawn"  # 已撤回 (a new version failed the gate, the entry was retired, or by hand)

    @property
    def title(self) -> str:
        return {"proposed": "待审批", "refused": "未通过隐私检查", "rejected": "已驳回", "open": "已开放",
                "withdrawn": "已撤回"}[self.value]


class Kind(StrEnum):
    WHOLE = "whole"  # 整体开放 (the chosen fields, every row)
    VIEW = "view"  # 派生汇总视图

    @property
    def title(self) -> str:
        return "整表开放" if self is Kind.WHOLE else "派生汇总视图"


THEMES = {  # 开放主题: the plan's priority fields first
    "environment": "生态环境", "tourism": "文化旅游", "public_service": "公共服务", "economy": "经济发展",
    "market": "市场监管", "transport": "交通出行", "health": "医疗卫生", "education": "教育科技",
    "social": "社会民生", "urban": "城建住房", "safety": "安全生产", "other": "其他",
}
LICENCES = {  # 开放许可: the portal's open licences (each dataset names one)
    "CC-BY-4.0": ("知识共享署名 4.0 国际", "https://creativecommons.org/licenses/by/4.0/"),
    "CC0-1.0": ("知识共享 CC0 1.0 公共领域贡献", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODC-BY-1.0": ("开放数据共享署名许可 1.0", "https://opendatacommons.org/licenses/by/1-0/"),
}
OPEN_TYPES = ("unconditional", "conditional")


def check_code(value: str) -> str:
    code = value.strip()
    if not CODE.fullmatch(code):
        raise InvalidInput("开放数据集代码须为 2–58 位小写字母、数字或 -，以字母或数字开头，如 air-quality-daily。",
                           field="code")
    return code


def check_theme(value: str) -> str:
    if value not in THEMES:
        raise InvalidInput(f"开放主题无效：{value}；可选：" + "、".join(f"{k} {v}" for k, v in THEMES.items()),
                           field="theme")
    return value


def check_licence(value: str) -> str:
    if value not in LICENCES:
        raise InvalidInput(f"开放许可无效：{value}；可选：" + "、".join(LICENCES), field="licence")
    return value


def check_open_type(opening_type: str | None) -> str:
    """The catalogue's 开放类型 decides: 不予开放 entries cannot be proposed."""
    if opening_type not in OPEN_TYPES:
        raise Conflict("该资源在目录中为“不予开放”（或未填开放属性），不能提出开放。", field="opening")
    return opening_type


def can_decide(status: Status) -> None:
    if status is not Status.PROPOSED:
        raise Conflict(f"该开放申请当前为“{status.title}”，不能再审批。", field="status")


def can_withdraw(status: Status) -> None:
    if status is not Status.OPEN:
        raise Conflict(f"该数据集当前为“{status.title}”，不能撤回。", field="status")


def can_propose_again(status: Status | None) -> None:
    """A code is taken for ever once open (stable URLs); a refused or rejected proposal may be proposed again."""
    if status in (Status.PROPOSED, Status.OPEN, Status.WITHDRAWN):
        raise Conflict(f"开放数据集代码已被使用（{status.title}）。", field="code")
