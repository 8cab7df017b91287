"""The departments' tables about legal entities, and the statistics by district."""

from zhengshu.synth.sources import Source, disease, market, market_licences, special_equipment, statistics, tax

ENTITY_SOURCES: tuple[Source, ...] = (
    market.build,  # 市市场监管局 企业登记
    market_licences.build,  # 市市场监管局 行政许可, 行政处罚
    special_equipment.build,  # 市市场监管局 特种设备
    tax.build,  # 市税务局 纳税信息
    statistics.build,  # 市统计局 主要经济指标
    disease.build,  # 市卫健委 法定传染病日报
)
