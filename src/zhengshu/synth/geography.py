"""Where the city's people live: its seven county-level divisions, their streets and roads, and the real
area codes of places elsewhere that some of them were born in.

Population shares follow the seventh national census (2020) of Qinhuangdao, rounded; streets (街道/镇) are
real names of each division; road names are common in the city. Addresses are synthetic.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class District:
    code: str  # GB/T 2260
    name: str
    share: float  # of the city's population
    streets: tuple[str, ...]  # 街道 and 镇
    urban: bool


DISTRICTS = (
    District("130302", "海港区", 0.330, ("文化路街道", "海滨路街道", "北环路街道", "建设大街街道", "河东街道",
                                        "西港路街道", "燕山大街街道", "港城大街街道", "东环路街道", "白塔岭街道",
                                        "海港镇", "石门寨镇"), True),
    District("130303", "山海关区", 0.058, ("南关街道", "古城街道", "西关街道", "路南街道", "船厂路街道",
                                          "第一关镇", "孟姜镇"), True),
    District("130304", "北戴河区", 0.028, ("西山街道", "东山街道", "海滨镇", "戴河镇", "牛头崖镇"), True),
    District("130306", "抚宁区", 0.166, ("骊城街道", "抚宁镇", "留守营镇", "榆关镇", "台营镇", "大新寨镇",
                                        "坟坨镇", "茶棚乡"), False),
    District("130321", "青龙满族自治县", 0.136, ("青龙镇", "祖山镇", "木头凳镇", "双山子镇", "马圈子镇",
                                                "肖营子镇", "大巫岚镇"), False),
    District("130322", "昌黎县", 0.160, ("昌黎镇", "靖安镇", "安山镇", "龙家店镇", "泥井镇", "大蒲河镇",
                                        "新集镇", "刘台庄镇"), False),
    District("130324", "卢龙县", 0.122, ("卢龙镇", "潘庄镇", "燕河营镇", "双望镇", "刘田各庄镇", "石门镇",
                                        "木井镇"), False),
)
CITY_CODE = "130300"
CITY_NAME = "秦皇岛市"
PROVINCE_NAME = "河北省"

ROADS = ("文化路", "建设大街", "河北大街", "海阳路", "迎宾路", "民族路", "红旗路", "燕山大街", "秦皇东大街",
         "秦皇西大街", "友谊路", "和平大街", "北环路", "港城大街", "西港路", "白塔岭路", "太阳城路", "东港路",
         "文体路", "人民路", "新华路", "光明路", "长城路", "学府路", "站前路")
VILLAGE_SUFFIXES = ("村", "庄", "营", "屯", "寨")
VILLAGE_STEMS = ("东", "西", "南", "北", "前", "后", "大", "小", "张", "王", "李", "刘", "杨", "赵", "高",
                 "石", "柳", "杏", "桃", "马", "牛", "河", "山", "沙", "新")

# Real area codes of places outside the city where people who moved here were born (GB/T 2260, current).
ELSEWHERE = (
    ("130102", "石家庄市长安区"), ("130104", "石家庄市桥西区"), ("130202", "唐山市路南区"),
    ("130203", "唐山市路北区"), ("130602", "保定市竞秀区"), ("130702", "张家口市桥东区"),
    ("130802", "承德市双桥区"), ("130902", "沧州市新华区"), ("131002", "廊坊市安次区"),
    ("131102", "衡水市桃城区"), ("110101", "北京市东城区"), ("110105", "北京市朝阳区"),
    ("110108", "北京市海淀区"), ("120101", "天津市和平区"), ("120103", "天津市河西区"),
    ("210102", "沈阳市和平区"), ("210202", "大连市中山区"), ("211402", "葫芦岛市连山区"),
    ("370102", "济南市历下区"), ("410102", "郑州市中原区"), ("140105", "太原市小店区"),
    ("150102", "呼和浩特市新城区"),
)
BORN_ELSEWHERE = 0.14  # share of residents born outside the city
