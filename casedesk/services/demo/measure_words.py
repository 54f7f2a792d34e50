"""Word lists of the demo compulsory measures (see :mod:`casedesk.services.demo.measures`):
the organs that decide them, their document numbers, the property seized, and the reasons
given when a measure ends. Invented for demonstration, in the forms Xinjiang organs use.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from casedesk.domain.code_tables import DEFAULT_COURT_CODES
from casedesk.services.demo.names import Pick, weighted

_COURT_NAMES = {c.code: c.name.split("（")[0] for c in DEFAULT_COURT_CODES}
#: Vehicle plate letters by prefecture key (新A 乌鲁木齐 …).
PLATES = {
    "01": "A", "02": "J", "21": "K", "22": "L", "23": "B", "27": "E", "28": "M", "29": "N",
    "30": "P", "31": "Q", "32": "R", "40": "F", "42": "G", "43": "H",
}  # fmt: skip
BANKS = weighted(
    "中国工商银行:5 中国农业银行:5 中国银行:3 中国建设银行:5 中国邮政储蓄银行:2 "
    "新疆银行:2 乌鲁木齐银行:2 昆仑银行:1 新疆农村信用社:2 交通银行:1 招商银行:1"
)
VEHICLES = (
    ("小型普通客车", 60_000, 350_000), ("小型轿车", 50_000, 300_000),
    ("重型半挂牵引车", 150_000, 500_000), ("轻型厢式货车", 40_000, 150_000),
    ("重型自卸货车", 120_000, 450_000), ("轮式挖掘机", 200_000, 900_000),
)  # fmt: skip
EQUIPMENT = (
    "生产线设备一套", "数控机床3台", "轧花设备一批", "混凝土搅拌设备一套", "冷库制冷设备一套",
    "纺纱设备一批", "装载机2台", "发电机组1套", "酿酒设备一批", "库存棉花一批",
)  # fmt: skip
REALTY = (("住宅", 300_000, 1_500_000), ("商铺", 400_000, 3_000_000),
          ("厂房及土地使用权", 1_500_000, 20_000_000), ("办公楼层", 800_000, 6_000_000),
          ("仓库", 500_000, 4_000_000))  # fmt: skip
#: Items seized in criminal cases: description, value range in yuan (0: value not assessed).
SEIZED_ITEMS = (
    ("手机{n}部、笔记本电脑{m}台", 3_000, 30_000), ("账册、会计凭证一批（共{n}册）", 0, 0),
    ("公章、财务专用章各1枚", 0, 0), ("现金人民币{cash}元", 0, 0),
    ("涉案货物一批（共{n}件）", 10_000, 800_000), ("服务器{m}台及存储设备", 20_000, 150_000),
)  # fmt: skip
COUNTERFEIT = "假冒注册商标的商品一批（共{n}件）"

#: Why a measure ended, by the way the case ended.
CIVIL_RELEASES = {
    "执行完毕": ("执行完毕，解除{kind}", "被执行人已履行完毕，解除{kind}"),
    "调解": ("双方达成调解协议并已履行，申请人申请解除{kind}",),
    "撤诉": ("原告撤诉，解除{kind}",),
    "判决": ("判决已履行完毕，解除{kind}", "当事人达成执行和解并已履行，解除{kind}"),
    "担保": ("被申请人提供足额担保，解除{kind}", "申请人申请解除{kind}"),
}
PARTIAL_RELEASES = (
    "超出标的额部分依申请予以解除", "被执行人提供部分担保，解除相应部分",
    "扣划部分存款后解除剩余部分冻结的一部分", "经审查部分财产明显超出标的额，依职权解除",
)  # fmt: skip
CRIMINAL_PARTIAL = (
    "经审查部分财产与案件无关，予以部分解除",
    "涉案企业提供担保，部分解除以保障生产经营",
)
UNRELATED_REASON = "经查明确实与案件无关，依法解除并退还（刑诉法第145条）"
CRIMINAL_RELEASES = {
    "判决": "判决生效，依法处理涉案财物后解除",
    "不起诉": "作出不起诉决定，同时解除查封、扣押、冻结（刑诉法第177条第3款）",
    "撤案": "撤销案件，解除查封、扣押、冻结",
    "担保": "涉案企业提供担保，为保障正常生产经营予以解除",
}
LIVE_USE = {
    "不动产": "允许企业继续使用厂房维持生产经营，不得转让、出租、抵押",
    "动产": "允许被执行人继续使用设备生产经营，不得转让、抵押或者损毁",
    "存款": "允许企业使用账户正常收付经营款项，冻结限额内资金不得支取",
}
REVIEW_NOTES = ("已复查，仍需继续查封、扣押", "已复查，涉案财物仍需扣押")
SUPERVISION_INSTRUCTIONS = (
    "全面梳理案件证据，对不构成犯罪的依法撤销案件，对符合起诉条件的及时移送审查起诉，每月报告进展",
    "限期两个月内依法作出处理决定，解除对涉案企业不必要的强制措施",
    "逐案分析久侦不结的原因，依法清理，按期报送清理结果",
)  # fmt: skip
REPLIES = {
    True: ("已采纳建议，变更强制措施为取保候审", "已采纳建议，依法释放犯罪嫌疑人"),
    False: ("经研究认为仍有羁押必要，继续羁押，并说明理由",),
}
APPLICANTS = ("犯罪嫌疑人的辩护律师", "犯罪嫌疑人的近亲属", "犯罪嫌疑人本人")
GUARANTOR_RELATIONS = ("（犯罪嫌疑人之兄）", "（犯罪嫌疑人之妻）", "（犯罪嫌疑人之父）",
                       "（犯罪嫌疑人之友）")  # fmt: skip
DEPOSITS = Pick(weighted("10000:3 20000:4 30000:3 50000:4 100000:3 200000:2 300000:1 500000:1"))


@dataclass(frozen=True)
class Organs:
    """The organs of a court's area and the short name in their document numbers."""

    court: str
    police: str
    procuratorate: str
    upper_procuratorate: str
    abbr: str


def _place(name: str) -> str:
    if "分院" in name:
        return "伊犁哈萨克自治州"
    for suffix in ("高级人民法院", "中级人民法院", "中级法院", "人民法院", "法院"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _abbr(place: str) -> str:
    if "铁路" in place:
        return "乌铁"
    if place.endswith("区") and "市" in place:
        return place[0] + place[place.index("市") + 1]
    if place.endswith("州"):
        return place[0] + "州"
    if place.endswith("地区"):
        return place[0] + "地"
    return place[0] + ("县" if place.endswith("县") else "")


def organs_of(court: str) -> Organs:
    """The police, procuratorate and upper procuratorate of a court's area."""
    name = _COURT_NAMES.get(court, "乌鲁木齐市天山区人民法院")
    place = _place(name)
    region = "新疆维吾尔自治区"
    upper = _place(_COURT_NAMES.get(court[:3], "")) if len(court) > 3 else region
    if place == region:
        police, procuratorate = f"{region}公安厅", f"{region}人民检察院"
    elif "铁路" in place:
        police, procuratorate = "乌鲁木齐铁路公安局", "乌鲁木齐铁路运输检察院"
    else:
        police, procuratorate = f"{place}公安局", f"{place}人民检察院"
    upper_procuratorate = f"{upper}人民检察院" if upper and "铁路" not in upper else (
        f"{region}人民检察院"
    )  # fmt: skip
    return Organs(name, police, procuratorate, upper_procuratorate, _abbr(place))


def account_number(rng: random.Random) -> str:
    digits = 19 if rng.random() < 0.6 else 16
    return "".join(str(int(rng.random() * 10)) for _ in range(digits))


def plate(rng: random.Random, prefecture: str) -> str:
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    tail = "".join(rng.choice(letters) if i == 1 and rng.random() < 0.5 else str(rng.randrange(10))
                   for i in range(5))  # fmt: skip
    return f"新{PLATES.get(prefecture, 'A')}·{tail}"
