"""市市场监管局 企业登记: the market regulator's register of market entities (companies, individual businesses,
farmers' cooperatives; open and closed), an XLSX with a title row as its registration system exports it.

Also the helpers the regulator's other tables share (licences and penalties in `market_licences`, special
equipment in `special_equipment`): who the legal representative is, which authority acts for an entity,
and the running numbers of its documents.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from zhengshu.synth.geography import DISTRICTS
from zhengshu.synth.sources import Output, TrueCity
from zhengshu.synth.writers import FileFormat

DEPARTMENT = "市市场监管局"
DISTRICT_NAME = {d.code: d.name for d in DISTRICTS}
SHORT = dict(zip([d.code for d in DISTRICTS], "海山北抚青昌卢", strict=True))  # 文号: 秦海市监罚〔2025〕12号
MARKET_KINDS = ("91", "92", "93")  # registered by the market regulator
COMPANY_TYPES = ("有限责任公司（自然人投资或控股）", "有限责任公司（自然人独资）", "其他有限责任公司",
                 "有限责任公司（非自然人投资或控股的法人独资）")
COMPANY_TYPE_SHARES = (0.55, 0.35, 0.06, 0.04)
GENERAL = "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"
SCOPES = {  # 经营范围 by GB/T 4754 section, in the wording of the 经营范围规范表述目录
    "A": "一般项目：谷物种植；蔬菜种植；水果种植；农产品的生产、销售、加工、运输、贮藏及其他相关服务。",
    "C": "一般项目：通用设备制造（不含特种设备制造）；金属制品销售；机械零件、零部件加工。",
    "E": "许可项目：建设工程施工。一般项目：园林绿化工程施工；土石方工程施工。",
    "F": "一般项目：日用百货销售；五金产品零售；服装服饰零售；食品销售（仅销售预包装食品）。",
    "G": "许可项目：道路货物运输（不含危险货物）。一般项目：普通货物仓储服务；国内货物运输代理。",
    "H": "许可项目：餐饮服务；住宿服务。一般项目：食品销售（仅销售预包装食品）。",
    "I": "一般项目：技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；软件开发；信息系统集成服务。",
    "K": "许可项目：房地产开发经营。一般项目：物业管理；住房租赁。",
    "L": "一般项目：企业管理咨询；信息咨询服务（不含许可类信息咨询服务）；会议及展览服务。",
    "M": "一般项目：工程和技术研究和试验发展；技术服务、技术开发、技术咨询。",
    "O": "一般项目：家政服务；洗染服务；家用电器修理；机动车修理和维护。",
    "R": "一般项目：组织文化艺术交流活动；台球活动；图书零售。",
}


def people_of(city: TrueCity, person_ids: np.ndarray) -> pl.DataFrame:
    """The name and id_number of each person in `person_ids`, in the same order."""
    wanted = pl.DataFrame({"person_id": pl.Series(person_ids, dtype=pl.String)})
    return wanted.join(city.people.select("person_id", "name", "id_number"), on="person_id", how="left",
                       maintain_order="left")


def market_authority(entities: pl.DataFrame) -> np.ndarray:
    """The market regulator acting for each entity: its registration authority, or its district's."""
    district = entities["district_code"].replace_strict(DISTRICT_NAME).to_numpy().astype(object)
    own = entities["registration_authority"].to_numpy()
    return np.where(entities["kind_code"].is_in(MARKET_KINDS).to_numpy(), own, "秦皇岛市" + district + "市场监督管理局")


def document_prefix(authority: np.ndarray, district_code: np.ndarray) -> np.ndarray:
    """The first characters of an authority's document numbers: 秦 for the city, 秦海 for 海港区 and so on."""
    short = np.vectorize(SHORT.get, otypes=[object])(district_code)
    city_level = np.char.startswith(authority.astype(str), "秦皇岛市市")  # 秦皇岛市市场监督管理局
    return np.where(city_level, "秦", "秦" + short)


def running_numbers(group: dict[str, np.ndarray], order: np.ndarray) -> np.ndarray:
    """1, 2, 3… within each group, in the order of `order` (ties in row order): numbers of documents."""
    frame = pl.DataFrame({**{k: pl.Series(v, dtype=pl.String) for k, v in group.items()}, "order": order})
    return frame.select(pl.col("order").rank("ordinal").over(list(group))).to_series().to_numpy()


def add_years(days: np.ndarray, years: np.ndarray | int) -> np.ndarray:
    """The same day `years` later by the calendar (29 February falls on 1 March)."""
    month = days.astype("datetime64[M]")
    later = month + (np.asarray(years) * 12).astype("timedelta64[M]")
    return later.astype("datetime64[D]") + (days - month.astype("datetime64[D]"))



def money(values: np.ndarray, decimals: int = 2) -> np.ndarray:
    return np.char.mod(f"%.{decimals}f", np.asarray(values, dtype=float)).astype(object)


def build(city: TrueCity) -> Output:
    e = city.entities.filter(pl.col("kind_code").is_in(MARKET_KINDS))
    rng = city.streams.get(f"cover:{DEPARTMENT}:企业登记")
    kind = e["kind_code"].to_numpy()
    company = np.asarray(COMPANY_TYPES, dtype=object)[rng.choice(len(COMPANY_TYPES), len(e), p=COMPANY_TYPE_SHARES)]
    kind_name = np.where(kind == "92", "个体工商户", np.where(kind == "93", "农民专业合作社", company))
    scope = e["industry_code"].replace_strict(SCOPES, default="一般项目：").to_numpy().astype(object) + GENERAL
    person = people_of(city, e["legal_representative_id"].to_numpy())
    table = (
        city.builder(DEPARTMENT, "企业登记", "entity", e["entity_id"].to_numpy())
        .column("统一社会信用代码", e["credit_code"].to_numpy())
        .column("企业名称", e["name"].to_numpy())
        .column("类型", kind_name)
        .column("法定代表人", person["name"].to_numpy())
        .column("法定代表人证件号码", person["id_number"].to_numpy())
        .column("注册资本（万元）", money(e["registered_capital"].to_numpy()))
        .dates("成立日期", e["founded_on"].to_numpy(), "chinese")
        .column("登记机关", e["registration_authority"].to_numpy())
        .column("住所", e["address"].to_numpy())
        .column("经营范围", scope)
        .column("登记状态", e["status"].to_numpy())
    )
    table.full_width("统一社会信用代码").stray_space("企业名称").typo("法定代表人").id_number("法定代表人证件号码")
    table.address("住所").missing("法定代表人证件号码", "经营范围")
    return [(table.build(), FileFormat("xlsx", title="秦皇岛市市场主体登记信息"))]
