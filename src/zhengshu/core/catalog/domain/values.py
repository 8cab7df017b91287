"""Value domains of the catalogue (值域): each an English code kept in storage and the API, with its Chinese
label. They follow 《政务信息资源目录编制指南（试行）》(发改高技〔2017〕1272号), GB/T 43697-2024 and PIPL art. 28;
where the standards are silent the choice made here is said beside it (and in docs/modules/catalog.md).
"""

from __future__ import annotations

import re

from zhengshu.kernel.terms import Term


class Directory(Term):
    """资源属性分类; the first digit of the code (类) follows the 指南's order: 1 基础, 2 主题, 3 部门."""

    BASE = "base", "基础信息资源目录"
    THEME = "theme", "主题信息资源目录"
    DEPARTMENT = "department", "部门信息资源目录"

    @property
    def digit(self) -> str:
        return {"base": "1", "theme": "2", "department": "3"}[self.value]


# 项 titles, numbered in the order the 指南 lists them (shown when known; codes outside are allowed).
SECTIONS = {
    Directory.BASE: ("人口", "法人单位", "自然资源和空间地理", "社会信用", "电子证照"),
    Directory.THEME: ("公共服务", "健康保障", "社会保障", "食品药品安全", "安全生产", "价格监管", "能源安全",
                      "信用体系", "城乡建设", "社区治理", "生态环保", "应急维稳"),
    Directory.DEPARTMENT: ("党中央", "全国人大常委会", "国务院", "全国政协", "最高人民法院", "最高人民检察院",
                           "省(自治区、直辖市)及其下各级政务部门", "计划单列市及其下各级政务部门"),
}


def section_title(directory: Directory, section: str) -> str:
    titles = SECTIONS[directory]
    index = int(section) - 1 if section.isdigit() else -1
    return titles[index] if 0 <= index < len(titles) else ""


SECTION_KEY = re.compile(r"^[1-3]\d{2}$")  # 类 + 项: the first three digits of a 分类码, e.g. 101


def section_label(key: str) -> str:
    """The label of a 类 + 项 key, e.g. `101` → "基础 · 01 人口" (the browse page's classification facet)."""
    directory = next(d for d in Directory if d.digit == key[0])
    title = section_title(directory, key[1:3])
    return f"{directory.label.removesuffix('信息资源目录')} · {key[1:3]}{' ' + title if title else ''}"


class FormatType(Term):
    """信息资源格式的类型."""

    DOCUMENT = "document", "电子文件"
    SPREADSHEET = "spreadsheet", "电子表格"
    DATABASE = "database", "数据库"
    API = "api", "接口"
    IMAGE = "image", "图形图像"
    MEDIA = "media", "流媒体"
    SELF_DESCRIBING = "self_describing", "自描述格式"
    OTHER = "other", "其他"


class DataType(Term):
    """信息项数据类型 (指南's single-letter codes)."""

    C = "C", "字符型"
    N = "N", "数值型"
    Y = "Y", "货币型"
    D = "D", "日期型"
    T = "T", "日期时间型"
    L = "L", "逻辑型"
    M = "M", "备注型"
    G = "G", "通用型"
    B = "B", "双精度型"
    I = "I", "整型"  # noqa: E741 — the standard's own letter
    F = "F", "浮点型"


class Level(Term):
    """数据分级 (GB/T 43697-2024). An entry's level is its highest item's (就高从严)."""

    CORE = "core", "核心数据"
    IMPORTANT = "important", "重要数据"
    GENERAL = "general", "一般数据"

    @property
    def rank(self) -> int:
        return {"core": 3, "important": 2, "general": 1}[self.value]


class PersonalInfo(Term):
    """个人信息敏感程度 (PIPL art. 28, GB/T 35273)."""

    SENSITIVE = "sensitive", "敏感个人信息"
    GENERAL = "general", "一般个人信息"
    NONE = "none", "非个人信息"


class SharingType(Term):
    UNCONDITIONAL = "unconditional", "无条件共享"
    CONDITIONAL = "conditional", "有条件共享"
    NONE = "none", "不予共享"


class SharingMode(Term):
    API = "api", "接口"
    TABLE = "table", "库表"
    FILE = "file", "文件"


# Which sharing modes a format allows: files go only as files, databases as tables or an API (指南; Inspur's
# filling guide). Spreadsheets and self-describing files are structured data the platform ingests into its
# dataset store, so they may also go by API (and spreadsheets as tables) — a choice made here.
MODES_FOR_FORMAT = {
    FormatType.DOCUMENT: {SharingMode.FILE},
    FormatType.IMAGE: {SharingMode.FILE},
    FormatType.MEDIA: {SharingMode.FILE},
    FormatType.OTHER: {SharingMode.FILE},
    FormatType.SPREADSHEET: {SharingMode.FILE, SharingMode.TABLE, SharingMode.API},
    FormatType.SELF_DESCRIBING: {SharingMode.FILE, SharingMode.API},
    FormatType.DATABASE: {SharingMode.TABLE, SharingMode.API},
    FormatType.API: {SharingMode.API},
}


class OpeningType(Term):
    NONE = "none", "不予开放"
    CONDITIONAL = "conditional", "有条件开放"
    UNCONDITIONAL = "unconditional", "无条件开放"


class UpdateCycle(Term):
    REALTIME = "realtime", "实时"
    DAILY = "daily", "每日"
    WEEKLY = "weekly", "每周"
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"
    HALF_YEARLY = "half_yearly", "每半年"
    YEARLY = "yearly", "每年"
    OTHER = "other", "其他"


class Status(Term):
    REGISTERED = "registered", "已注册"
    MOUNTED = "mounted", "已挂接"
    PUBLISHED = "published", "已发布"
    RETIRED = "retired", "已下架"


VISIBLE_TO_ALL = (Status.PUBLISHED, Status.RETIRED)  # every staff member may see these


class MountKind(Term):
    DATASET = "dataset", "数据集"
    REGISTRY = "registry", "基础库"
    LIVE_API = "live_api", "部门接口"


class Step(Term):
    """What a line of an entry's history records."""

    REGISTERED = "registered", "注册"
    UPDATED = "updated", "修改"
    REVISED = "revised", "发布新版本"
    MOUNTED = "mounted", "挂接"
    PUBLISHED = "published", "发布"
    RETIRED = "retired", "下架"
