"""The words of the case register: families, procedures, stages, party roles, enterprise kinds.

Values are the Chinese terms users see and the database stores; code names are English.
"""

from __future__ import annotations

#: 案件类别. 商事 shares the 民 type codes but is counted apart by many courts.
CASE_FAMILIES: tuple[str, ...] = (
    "刑事", "民事", "商事", "行政", "执行", "破产", "国家赔偿", "检察监督", "其他",
)  # fmt: skip

PROCEDURES: dict[str, tuple[str, ...]] = {
    "刑事": ("侦查", "审查逮捕", "审查起诉", "一审普通程序", "一审简易程序", "速裁程序",
             "二审", "再审", "死刑复核", "减刑假释"),
    "民事": ("诉前调解", "一审普通程序", "一审简易程序", "小额诉讼程序", "二审", "再审审查",
             "再审", "特别程序", "督促程序", "公示催告", "财产保全"),
    "商事": ("诉前调解", "一审普通程序", "一审简易程序", "小额诉讼程序", "二审", "再审审查",
             "再审", "财产保全"),
    "行政": ("一审普通程序", "一审简易程序", "二审", "再审审查", "再审", "非诉行政执行审查"),
    "执行": ("首次执行", "恢复执行", "执行异议", "执行复议", "执行监督", "保全执行"),
    "破产": ("破产申请审查", "破产清算", "重整", "和解", "强制清算"),
    "国家赔偿": ("司法赔偿", "赔偿委员会审理"),
    "检察监督": ("刑事立案监督", "侦查活动监督", "审判活动监督", "民事诉讼监督",
                 "行政诉讼监督", "执行活动监督", "公益诉讼"),
    "其他": ("其他",),
}  # fmt: skip

STAGES: dict[str, tuple[str, ...]] = {
    "刑事": ("立案侦查", "审查逮捕", "审查起诉", "退回补充侦查", "提起公诉", "审理中",
             "已判决", "不起诉", "撤案", "已结案"),
    "民事": ("立案审查", "已立案", "审理中", "中止审理", "已裁判", "上诉中", "已结案"),
    "商事": ("立案审查", "已立案", "审理中", "中止审理", "已裁判", "上诉中", "已结案"),
    "行政": ("立案审查", "已立案", "审理中", "中止审理", "已裁判", "上诉中", "已结案"),
    "执行": ("已立案", "执行中", "终结本次执行", "恢复执行", "执行完毕", "终结执行", "已结案"),
    "破产": ("申请审查", "已受理", "债权申报", "重整", "和解", "破产清算", "程序终结", "已结案"),
    "国家赔偿": ("已立案", "审理中", "已决定", "已结案"),
    "检察监督": ("已受理", "审查中", "提出监督意见", "跟进监督", "已结案"),
    "其他": ("已立案", "办理中", "已结案"),
}  # fmt: skip

#: Stages after which a case counts as closed (结案). 终结本次执行 is a way of closing an
#: enforcement case (《关于严格规范终结本次执行程序的规定（试行）》, 法〔2016〕373号); 恢复执行
#: recorded later reopens it.
CLOSED_STAGES = frozenset(
    {"已结案", "不起诉", "撤案", "执行完毕", "终结本次执行", "终结执行", "程序终结"}
)

PARTY_ROLES: tuple[str, ...] = (
    "原告", "被告", "第三人", "上诉人", "被上诉人", "申请人", "被申请人", "申请执行人",
    "被执行人", "案外人", "犯罪嫌疑单位", "犯罪嫌疑人", "被告单位", "被告人", "被害单位",
    "被害人", "附带民事诉讼原告人", "债权人", "债务人", "管理人", "赔偿请求人",
    "赔偿义务机关", "申诉人", "其他",
)  # fmt: skip

OWNERSHIPS: tuple[str, ...] = ("国有", "民营", "外资", "个体")
SIZES: tuple[str, ...] = ("大", "中", "小", "微")

#: Seed tags; the database keeps the editable list.
DEFAULT_TAGS: tuple[str, ...] = (
    "涉企", "知识产权", "拖欠中小微企业账款", "涉外", "破产", "虚假诉讼风险", "典型案例候选",
)  # fmt: skip

#: Which register family a 案号 type family suggests.
TYPE_FAMILY_TO_CASE_FAMILY: dict[str, str] = {
    "刑事": "刑事",
    "民事": "民事",
    "行政": "行政",
    "非诉保全": "民事",
    "执行": "执行",
    "破产": "破产",
    "国家赔偿": "国家赔偿",
}


def stages_for(family: str) -> tuple[str, ...]:
    """The stages a case of ``family`` moves through (the 其他 list for unknown families)."""
    return STAGES.get(family, STAGES["其他"])


def procedures_for(family: str) -> tuple[str, ...]:
    """The procedures offered for ``family``."""
    return PROCEDURES.get(family, PROCEDURES["其他"])
