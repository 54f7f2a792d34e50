"""A sample of each kind of suggestion document, filled with demo text, for checking the layout
without a database (``casedesk export-document --sample KIND``) and for tests and the benchmark.

The structures follow law.md §7.3; names, numbers and facts are invented. The 司法建议书 is the
long one (more than two pages).
"""

from __future__ import annotations

from datetime import date

from casedesk.domain.documents import (
    HEADING,
    ITEM,
    JUDICIAL,
    NOTICE,
    OPINION,
    PARAGRAPH,
    PROCURATORIAL,
    SUBHEADING,
    Block,
    Document,
)
from casedesk.domain.errors import FieldErrors

#: short names accepted on the command line, besides the kinds' Chinese names
ALIASES = {
    "judicial": JUDICIAL,
    "procuratorial": PROCURATORIAL,
    "opinion": OPINION,
    "notice": NOTICE,
    "司法建议": JUDICIAL,
    "检察建议": PROCURATORIAL,
    "检察意见": OPINION,
    "补正告知": NOTICE,
}

COURT = "乌鲁木齐市天山区人民法院"
PROCURATORATE = "乌鲁木齐市天山区人民检察院"


def kind_of(name: str) -> str:
    """司法建议书 / judicial / 司法建议 → 司法建议书; anything else is refused."""
    key = name.strip()
    kind = ALIASES.get(key.lower(), key)
    if kind not in SAMPLES:
        accepted = "、".join([*SAMPLES, *(a for a in ALIASES if a.isascii())])
        raise FieldErrors({"sample": f"没有“{name}”这种文书样例，可选：{accepted}"})
    return kind


def sample(kind: str) -> Document:
    """The sample document of ``kind`` (a Chinese kind name or an alias)."""
    return SAMPLES[kind_of(kind)]()


def _blocks(*items: tuple[str, str]) -> tuple[Block, ...]:
    return tuple(Block(kind, text) for kind, text in items)


def judicial() -> Document:
    """综合治理类司法建议书 (2023 规定 附件2): importance, problems found, suggestions, reply."""
    return Document(
        kind=JUDICIAL,
        subtype="综合治理类",
        issuer=COURT,
        subject="加强建设工程领域农民工工资支付监管",
        recipient="乌鲁木齐市天山区人力资源和社会保障局",
        number="新0102法建〔2026〕3号",
        blocks=_blocks(
            (
                PARAGRAPH,
                "保障农民工工资按时足额支付，事关广大农民工切身利益，事关社会公平正义和"
                "社会和谐稳定。近年来，你局认真贯彻《保障农民工工资支付条例》，推行农民工工资专用"
                "账户、工资保证金和总包代发等制度，开展欠薪问题专项整治，取得了明显成效。",
            ),
            (
                PARAGRAPH,
                "2025年1月至2026年9月，我院共受理建设工程领域追索劳动报酬纠纷案件"
                "412件，涉及农民工1,836人、标的额共计3,274.6万元，其中以劳务分包、挂靠等方式承揽"
                "工程引发的案件占61.2%。我院在审理和执行上述案件中发现，建设工程领域农民工工资"
                "支付仍存在以下问题：",
            ),
            (HEADING, "存在的问题"),
            (SUBHEADING, "工资专用账户制度落实不到位"),
            (
                PARAGRAPH,
                "部分施工总承包单位虽开设了农民工工资专用账户，但建设单位未按合同约定将"
                "人工费用及时足额拨付至专用账户，专用账户“有户无款”；个别项目仍以现金或者由班组长"
                "代领的方式发放工资，资金流向难以核实。在（2025）新0102民初4127号等案件中，"
                "班组长收取工资款后未向农民工发放，引发群体性纠纷。",
            ),
            (SUBHEADING, "实名制管理和用工记录不完整"),
            (
                PARAGRAPH,
                "部分项目未按规定建立用工管理台账，考勤记录、工资支付表由班组长手工"
                "制作，缺少农民工本人签字确认，诉讼中劳动关系、出勤天数和工资标准难以查明。"
                "农民工举证困难，案件审理周期普遍延长，平均审理天数达97天。",
            ),
            (SUBHEADING, "违法分包和挂靠问题较为突出"),
            (
                PARAGRAPH,
                "部分施工单位将工程违法分包或者转包给不具备用工主体资格的组织和个人，"
                "实际施工人无力支付工资时，施工总承包单位以“与农民工无劳动关系”为由推诿，"
                "导致清偿责任难以落实。执行中发现，部分实际施工人名下无可供执行的财产，"
                "案件终结本次执行程序的比例较高。",
            ),
            (SUBHEADING, "工资保证金和应急周转金作用发挥不充分"),
            (
                PARAGRAPH,
                "工资保证金的存储、使用和返还缺少与法院执行工作的衔接。部分案件判决生效"
                "后，申请执行人不了解可以申请动用工资保证金，个别项目工资保证金已被提前返还，"
                "农民工权益难以及时实现。",
            ),
            (HEADING, "司法建议"),
            (
                PARAGRAPH,
                "为进一步规范建设工程领域农民工工资支付，从源头预防和化解欠薪纠纷，"
                "根据《最高人民法院关于综合治理类司法建议工作若干问题的规定》第二条、第八条，"
                "特提出以下建议：",
            ),
            (
                ITEM,
                "督促建设单位按照合同约定的人工费用拨付周期，将人工费用及时足额拨付至"
                "农民工工资专用账户；对专用账户长期无资金进出的项目开展专项检查，"
                "严禁以现金或者由班组长代领方式发放工资。",
            ),
            (
                ITEM,
                "推动施工总承包单位全面落实实名制管理，规范考勤记录和工资支付表，"
                "由农民工本人签字确认并保存三年以上，便于发生纠纷时查明事实。",
            ),
            (
                ITEM,
                "会同住房和城乡建设部门加大对违法分包、转包和挂靠行为的查处力度，"
                "依法落实施工总承包单位先行清偿责任，对拒不支付劳动报酬的单位和个人"
                "依法纳入拖欠农民工工资失信联合惩戒对象名单。",
            ),
            (
                ITEM,
                "建立工资保证金动用与法院执行工作的衔接机制，对生效裁判确认的欠薪，"
                "依申请及时动用工资保证金或者应急周转金先行垫付；工资保证金返还前，"
                "应当查询该项目是否存在未结的欠薪诉讼或者执行案件。",
            ),
            (
                ITEM,
                "加强普法宣传，在施工现场维权信息告示牌上公示劳动保障监察投诉电话、"
                "法律援助和诉讼服务渠道，引导农民工通过12333、诉前调解等途径依法维权。",
            ),
            (
                PARAGRAPH,
                "请你局在收到本建议书后及时研究，采取切实措施加以改进，并在两个月内"
                "将采纳情况和整改措施书面反馈我院。我院将把本建议书的落实情况纳入与你局的"
                "府院联动工作机制，共同推进欠薪问题源头治理。",
            ),
        ),
        attachments=(
            "建设工程领域追索劳动报酬纠纷案件情况统计表（2025年1月—2026年9月）",
            "典型案例三则",
        ),
        signed_on=date(2026, 11, 26),
        contact="李娜，电话：0991-5812346",
        copy_to=(
            "乌鲁木齐市天山区人民政府",
            "乌鲁木齐市天山区住房和城乡建设局",
            "乌鲁木齐市中级人民法院",
        ),
    )


def procuratorial() -> Document:
    """社会治理检察建议书 in the five sections of the 2019 规定 (law.md §7.3)."""
    return Document(
        kind=PROCURATORIAL,
        subtype="社会治理检察建议",
        issuer=PROCURATORATE,
        subject="加强涉企财产查封扣押管理",
        recipient="乌鲁木齐市公安局天山区分局",
        number="天检一部建〔2026〕12号",
        blocks=_blocks(
            (HEADING, "问题来源"),
            (
                PARAGRAPH,
                "本院在办理新疆丝路建材贸易有限公司涉嫌合同诈骗案、乌鲁木齐恒达物流"
                "有限责任公司涉嫌虚开增值税专用发票案等涉企刑事案件中，以及在开展涉民营企业"
                "刑事诉讼“挂案”专项清理工作中发现，你局在涉案财物查封、扣押、冻结工作中存在"
                "不规范情形。",
            ),
            (HEADING, "查明的事实及证据"),
            (
                PARAGRAPH,
                "经调阅案卷、询问办案人员和涉案企业负责人、实地查看涉案财物保管场所，"
                "查明：2024年以来，你局办理的涉企刑事案件中，有7件案件查封、扣押的财物价值"
                "明显超出涉案金额，其中1件案件冻结企业基本存款账户资金1,260万元，涉案金额仅为"
                "186万元；有3件案件在犯罪嫌疑人取保候审期满后逾一年，既未移送审查起诉，也未"
                "解除对企业财产的查封。上述事实有查封决定书、协助冻结财产通知书、涉案财物清单"
                "及企业情况说明等证据证实。",
            ),
            (HEADING, "存在的问题"),
            (
                PARAGRAPH,
                "上述做法不符合《中华人民共和国刑事诉讼法》第一百四十一条、"
                "第一百四十五条关于查封、扣押、冻结范围和及时解除的规定，影响了企业正常"
                "生产经营，也不利于营造法治化营商环境。",
            ),
            (HEADING, "建议内容及依据"),
            (
                PARAGRAPH,
                "根据《中华人民共和国人民检察院组织法》第二十一条、《人民检察院检察建议"
                "工作规定》等规定，建议：",
            ),
            (
                ITEM,
                "对本建议书所列10件案件的查封、扣押、冻结措施逐案复查，对与案件无关的"
                "财物以及超出涉案金额部分依法及时解除。",
            ),
            (
                ITEM,
                "建立涉企财物查封、扣押、冻结事前评估和定期清理制度，能够采取查封措施的"
                "不采取扣押措施，能够“活封”的不“死封”，尽量减少对企业正常经营的影响。",
            ),
            (ITEM, "加强对办案人员的教育培训和执法监督，将规范处置涉案财物纳入执法质量考评。"),
            (HEADING, "异议期限与回复期限"),
            (
                PARAGRAPH,
                "如对本检察建议书有异议，请于收到之日起七日内书面提出。请于收到本检察"
                "建议书之日起两个月内，将整改落实情况书面回复本院。",
            ),
        ),
        signed_on=date(2026, 11, 20),
        contact="王建华，电话：0991-2856734",
        copy_to=("乌鲁木齐市人民检察院", "乌鲁木齐市公安局"),
    )


def opinion() -> Document:
    """检察意见书 after a 不起诉: an administrative penalty by the authority in charge
    (刑诉法 第177条第3款)."""
    return Document(
        kind=OPINION,
        subtype="",
        issuer=PROCURATORATE,
        subject="对被不起诉单位给予行政处罚",
        recipient="乌鲁木齐市天山区市场监督管理局",
        number="天检一部意〔2026〕5号",
        blocks=_blocks(
            (
                PARAGRAPH,
                "新疆天山纺织有限公司涉嫌生产、销售伪劣产品一案，由乌鲁木齐市公安局"
                "天山区分局于2026年6月12日移送本院审查起诉。本院经审查认为，该公司生产、销售"
                "不合格产品的行为，销售金额未达到追诉标准，犯罪情节轻微，且已退回全部违法所得、"
                "开展合规整改并通过第三方监督评估，依照《中华人民共和国刑事诉讼法》第一百七十七条"
                "第二款的规定，已于2026年10月30日对其作出不起诉决定。",
            ),
            (
                PARAGRAPH,
                "该公司的上述行为违反了《中华人民共和国产品质量法》的有关规定，需要给予"
                "行政处罚。根据《中华人民共和国刑事诉讼法》第一百七十七条第三款的规定，本院提出"
                "如下检察意见：",
            ),
            (ITEM, "依法对新疆天山纺织有限公司生产、销售不合格产品的行为给予行政处罚；"),
            (ITEM, "依法处理本院随案移送的扣押物品（不合格床上用品1,240件，详见附件）。"),
            (PARAGRAPH, "请你局在收到本检察意见书后依法处理，并将处理结果在两个月内书面告知本院。"),
        ),
        attachments=("扣押物品清单",),
        signed_on=date(2026, 11, 18),
        contact="阿依古丽·买买提，电话：0991-2856751",
    )


def notice() -> Document:
    """补正材料一次性告知书 (measure 12): everything missing, told once, in writing
    (《最高人民法院关于人民法院登记立案若干问题的规定》第七条)."""
    return Document(
        kind=NOTICE,
        subtype="",
        issuer=COURT,
        subject="",
        recipient="新疆丝路建材贸易有限公司",
        number="天法补告〔2026〕27号",
        blocks=_blocks(
            (
                PARAGRAPH,
                "你公司于2026年11月20日向本院提交的诉新疆某某房地产开发有限公司买卖合同"
                "纠纷一案的起诉材料已收到。经审查，起诉材料尚不完备。根据《中华人民共和国民事诉讼法》"
                "第一百二十四条和《最高人民法院关于人民法院登记立案若干问题的规定》第七条的规定，"
                "现一次性告知你公司补正以下材料：",
            ),
            (ITEM, "营业执照副本复印件（加盖公章）及法定代表人身份证明书；"),
            (ITEM, "被告的住所地、统一社会信用代码等明确的被告信息；"),
            (ITEM, "诉讼请求中“货款及逾期付款损失”的具体计算方法和计算依据；"),
            (ITEM, "证据目录及证据复印件一式两份，并注明证据来源和证明目的。"),
            (
                PARAGRAPH,
                "请你公司于收到本告知书之日起十五日内，到本院诉讼服务中心或者通过"
                "人民法院在线服务平台提交上述材料。逾期未补正的，视为撤回起诉，本院将退回起诉材料。"
                "补正后符合起诉条件的，本院将当场登记立案。",
            ),
        ),
        signed_on=date(2026, 11, 23),
        contact="诉讼服务中心 周敏，电话：0991-5812300",
    )


SAMPLES = {JUDICIAL: judicial, PROCURATORIAL: procuratorial, OPINION: opinion, NOTICE: notice}
