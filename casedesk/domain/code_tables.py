"""Default code tables shipped with CaseDesk (law.md §8.1).

These are the seed values; the database keeps an editable copy that an administrator maintains
(a court code that changed, a type code the SPC added). Confidence marks follow law.md:
H = checked against the text, M = secondary source, L = practice or uncertain.
"""

from __future__ import annotations

from dataclasses import dataclass

#: 高级人民法院代字 (province abbreviations), plus 军 (military) and 兵 (兵团分院).
PROVINCE_COURT_CODES = frozenset(
    "京津冀晋内辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新军兵"
)
SUPREME_COURT_CODE = "最高法"
#: 专门审判代字 (2018 amendment): 知 for the SPC's intellectual-property court.
SPECIALISED_TRIAL_CODES = frozenset({"知"})


@dataclass(frozen=True)
class TypeCode:
    code: str
    family: str
    name: str
    confidence: str


@dataclass(frozen=True)
class CourtCode:
    code: str
    name: str
    confidence: str


def _types(family: str, confidence: str, *pairs: tuple[str, str]) -> list[TypeCode]:
    return [TypeCode(code, family, name, confidence) for code, name in pairs]


DEFAULT_TYPE_CODES: tuple[TypeCode, ...] = tuple(
    _types("刑事", "H", ("刑初", "刑事一审"), ("刑终", "刑事二审"), ("刑再", "刑事再审"),
           ("刑申", "刑事申诉审查"), ("刑更", "减刑假释"))
    + _types("刑事", "M", ("刑监", "刑事审判监督"), ("刑核", "刑事核准/复核"),
             ("刑医", "强制医疗"), ("刑没", "违法所得没收"))
    + _types("民事", "H", ("民初", "民事一审"), ("民终", "民事二审"), ("民申", "民事申请再审审查"),
             ("民再", "民事再审"), ("民特", "民事特别程序"), ("民督", "督促程序"),
             ("民催", "公示催告"))
    + _types("民事", "M", ("民监", "民事审判监督"), ("民抗", "民事抗诉再审"),
             ("民辖", "管辖"), ("民辖终", "管辖上诉"), ("民撤", "第三人撤销之诉"),
             ("民诉前调", "诉前调解"), ("民他", "民事其他"))
    + _types("行政", "H", ("行初", "行政一审"), ("行终", "行政二审"), ("行申", "行政申请再审审查"),
             ("行再", "行政再审"))
    + _types("行政", "M", ("行监", "行政审判监督"), ("行审", "非诉行政执行审查"),
             ("行审复", "非诉行政执行审查复议"), ("行赔初", "行政赔偿一审"),
             ("行赔终", "行政赔偿二审"))
    + _types("非诉保全", "M", ("财保", "财产保全"), ("行保", "行为保全"), ("证保", "证据保全"))
    + _types("执行", "H", ("执", "首次执行"), ("执恢", "恢复执行"), ("执保", "财产保全执行"),
             ("执异", "执行异议"), ("执复", "执行复议"))
    + _types("执行", "M", ("执监", "执行监督"), ("执协", "执行协调"), ("执他", "执行其他"))
    + _types("破产", "M", ("破申", "破产申请审查"), ("破", "破产"), ("破终", "破产上诉"),
             ("破监", "破产监督"), ("破他", "破产其他"), ("强清申", "强制清算申请审查"),
             ("强清", "强制清算"))
    + _types("国家赔偿", "M", ("法赔", "法院作为赔偿义务机关"), ("委赔", "赔偿委员会审理"))
    + _types("司法救助", "M", ("司救", "司法救助"))
    + _types("司法制裁", "M", ("司惩", "司法制裁"), ("司惩复", "司法制裁复议"))
)  # fmt: skip

DEFAULT_COURT_CODES: tuple[CourtCode, ...] = (
    CourtCode("最高法", "最高人民法院", "H"),
    CourtCode("新", "新疆维吾尔自治区高级人民法院", "H"),
    CourtCode("兵", "新疆维吾尔自治区高级人民法院生产建设兵团分院", "H"),
    CourtCode("新01", "乌鲁木齐市中级人民法院", "H"),
    CourtCode("新0102", "乌鲁木齐市天山区人民法院", "M"),
    CourtCode("新0103", "乌鲁木齐市沙依巴克区人民法院", "M"),
    CourtCode("新0104", "乌鲁木齐市新市区人民法院", "M"),
    CourtCode("新0105", "乌鲁木齐市水磨沟区人民法院", "M"),
    CourtCode("新0106", "乌鲁木齐市头屯河区人民法院", "M"),
    CourtCode("新0107", "乌鲁木齐市达坂城区人民法院", "M"),
    CourtCode("新0109", "乌鲁木齐市米东区人民法院", "M"),
    CourtCode("新0121", "乌鲁木齐县人民法院", "M"),
    CourtCode("新02", "克拉玛依市中级人民法院", "M"),
    CourtCode("新0202", "克拉玛依市独山子区人民法院", "M"),
    CourtCode("新0203", "克拉玛依市克拉玛依区人民法院", "M"),
    CourtCode("新0204", "克拉玛依市白碱滩区人民法院", "M"),
    CourtCode("新0205", "克拉玛依市乌尔禾区人民法院", "M"),
    CourtCode("新21", "吐鲁番市中级人民法院（代字待核：新21或新04）", "L"),
    CourtCode("新22", "哈密市中级人民法院（代字待核：新22或新05）", "L"),
    CourtCode("新23", "昌吉回族自治州中级人民法院", "M"),
    CourtCode("新2301", "昌吉市人民法院", "M"),
    CourtCode("新27", "博尔塔拉蒙古自治州中级人民法院", "M"),
    CourtCode("新28", "巴音郭楞蒙古自治州中级人民法院", "M"),
    CourtCode("新2801", "库尔勒市人民法院", "M"),
    CourtCode("新29", "阿克苏地区中级人民法院", "M"),
    CourtCode("新2901", "阿克苏市人民法院", "M"),
    CourtCode("新30", "克孜勒苏柯尔克孜自治州中级人民法院", "M"),
    CourtCode("新31", "喀什地区中级人民法院", "M"),
    CourtCode("新3101", "喀什市人民法院", "M"),
    CourtCode("新32", "和田地区中级人民法院", "M"),
    CourtCode("新3201", "和田市人民法院", "M"),
    CourtCode("新40", "新疆维吾尔自治区高级人民法院伊犁哈萨克自治州分院", "M"),
    CourtCode("新4002", "伊宁市人民法院", "M"),
    CourtCode("新4003", "奎屯市人民法院", "M"),
    CourtCode("新42", "塔城地区中级人民法院", "M"),
    CourtCode("新43", "阿勒泰地区中级人民法院", "M"),
    CourtCode("新71", "乌鲁木齐铁路运输中级法院", "M"),
    CourtCode("新7101", "乌鲁木齐铁路运输法院", "M"),
)


def default_type_code_map() -> dict[str, TypeCode]:
    """Type codes keyed by code."""
    return {t.code: t for t in DEFAULT_TYPE_CODES}
