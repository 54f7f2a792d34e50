"""The time limits CaseDesk computes, as data: each rule cites its legal source and carries
law.md's confidence mark. Rules marked M or L (and local service commitments) are editable by an
administrator; the database keeps those edits (see casedesk.services.deadline_rules)."""

from __future__ import annotations

from dataclasses import dataclass

from casedesk.domain.periods import Period

#: Trigger events: what happened on a case that starts a period.
TRIGGERS: dict[str, str] = {
    "complaint_received": "收到起诉状",
    "mediation_assigned": "委派调解（调解员签收材料）",
    "accepted": "立案受理（收案日期）",
    "summoned": "拘传到案",
    "detained": "刑事拘留",
    "arrest_requested": "收到提请批准逮捕书",
    "arrested": "执行逮捕",
    "prosecution_received": "受理移送审查起诉",
    "returned_for_investigation": "退回补充侦查",
    "bail_decided": "决定取保候审",
    "surveillance_decided": "决定监视居住",
    "custody_review_served": "羁押必要性审查建议送达",
    "property_found_unrelated": "查明财产与案件无关",
    "deposit_frozen_civil": "冻结银行存款（民事）",
    "movable_sealed_civil": "查封、扣押动产（民事）",
    "realty_sealed_civil": "查封不动产、冻结其他财产权（民事）",
    "deposit_frozen_police": "冻结存款、汇款（公安机关）",
    "securities_frozen_police": "冻结债券、股票、基金份额等（公安机关）",
    "property_sealed_criminal": "查封、扣押（刑事）",
    "performed": "被执行人履行完毕",
    "listed_dishonest": "纳入失信被执行人名单",
    "enforcement_terminated": "终结本次执行程序",
    "grace_granted": "给予信用宽限期",
    "dishonest_deletion_ground": "出现删除失信信息的情形",
    "suggestion_served": "建议书送达",
    "complaint_filed": "受理投诉举报",
    "case_filed_criminal": "刑事立案",
    "measure_ended": "强制措施解除或期满",
    "compliance_exam_started": "合规考察期开始",
    "compliance_report_due": "合规定期报告起算",
    "opinion_served": "检察意见书送达主管机关",
}

#: Triggers recorded through a measure (强制措施 tab), not as a bare event on the timeline:
#: their periods belong to one measure of one person or object.
MEASURE_TRIGGERS = frozenset({
    "summoned", "detained", "arrest_requested", "arrested", "bail_decided",
    "surveillance_decided", "custody_review_served", "property_found_unrelated",
    "deposit_frozen_civil", "movable_sealed_civil", "realty_sealed_civil",
    "deposit_frozen_police", "securities_frozen_police", "property_sealed_criminal",
    "measure_ended",
})  # fmt: skip
#: Triggers recorded through another page of the case, never as a bare timeline event: the
#: periods they start belong to a measure, a compliance case, an enforcement record or a credit
#: listing, and the page that records them keeps those links. Trigger → the page.
PAGE_TRIGGERS: dict[str, str] = {
    **dict.fromkeys(MEASURE_TRIGGERS, "强制措施"),
    **dict.fromkeys(("compliance_exam_started", "compliance_report_due", "opinion_served"),
                    "合规考察"),
    **dict.fromkeys(("performed", "listed_dishonest", "enforcement_terminated", "grace_granted",
                     "dishonest_deletion_ground"), "执行"),
    "suggestion_served": "建议书",
}  # fmt: skip

#: Triggers that may come before the case's acceptance date (they lead up to it).
BEFORE_ACCEPTANCE = frozenset({"complaint_received", "mediation_assigned"})

CIVIL_FAMILIES = ("民事", "商事")


@dataclass(frozen=True)
class Extension:
    period: Period
    approver: str  # who approves it (院长, 上一级人民检察院 …)
    source: str = ""
    confidence: str = "H"  # M/L where the statute gives no length (the rule becomes editable)


@dataclass(frozen=True)
class DeadlineRule:
    id: str
    name: str
    trigger: str  # a key of TRIGGERS
    period: Period
    source: str  # law and article
    confidence: str  # H, M or L (law.md)
    families: tuple[str, ...] = ()  # empty: any family
    procedures: tuple[str, ...] = ()  # empty: any procedure
    custody: bool = False  # a custody period: never moved off a holiday (刑诉法 第105条第4款)
    criminal: bool = False  # months counted by 刑诉法解释 第202条
    roll_forward: bool = True  # False: a term that lapses by itself on its last day
    extensions: tuple[Extension, ...] = ()
    max_rounds: int = 0  # e.g. 退回补充侦查 at most twice (0: no limit)
    reminders: tuple[int, ...] = (7, 3, 1)  # days before the last day
    note: str = ""
    local: bool = False  # a local service commitment rather than national law

    @property
    def editable(self) -> bool:
        """What law.md marks M or L (the rule or one of its extension lengths), and local
        commitments, an administrator may adjust."""
        return (
            self.local
            or self.confidence != "H"
            or any(e.confidence != "H" for e in self.extensions)
        )

    def applies_to(self, family: str, procedure: str = "") -> bool:
        return (not self.families or family in self.families) and (
            not self.procedures or procedure in self.procedures
        )


#: Where the statute says "may be extended" without a length, the length comes from these rules
#: (from memory, not checked against the text: confidence M, so an administrator can correct it).
_SLXZ_2000 = "《最高人民法院关于严格执行案件审理期限制度的若干规定》（法释〔2000〕29号）第2条"
_ZXQX_2006 = "《最高人民法院关于人民法院办理执行案件若干期限的规定》（法发〔2006〕35号）第1条"


def _p(spec: str) -> Period:
    return Period.parse(spec)


def _criminal(**kw: object) -> dict:
    return {"families": ("刑事",), "criminal": True, **kw}


DEFAULT_RULES: tuple[DeadlineRule, ...] = (
    # -- filing and mediation (law.md §3.1) --------------------------------------------------
    DeadlineRule("filing.review", "立案审查", "complaint_received", _p("7d"),
                 "《民事诉讼法》第126条", "H", families=(*CIVIL_FAMILIES, "行政"),
                 note="符合起诉条件的，七日内立案；不符合的，七日内裁定不予受理"),
    DeadlineRule("mediation.pre_filing", "诉前委派调解", "mediation_assigned", _p("30d"),
                 "《最高人民法院关于人民法院特邀调解的规定》第27条", "H",
                 families=CIVIL_FAMILIES, note="双方同意延长的，不受此限"),
    # -- civil and administrative trial (§3.2, §3.3) -----------------------------------------
    DeadlineRule("civil.first.ordinary", "民事一审普通程序审限", "accepted", _p("6m"),
                 "《民事诉讼法》第152条", "H", families=CIVIL_FAMILIES,
                 procedures=("一审普通程序",),
                 extensions=(Extension(_p("6m"), "本院院长", "《民事诉讼法》第152条"),
                             Extension(_p("3m"), "上级人民法院", _SLXZ_2000, "M"))),
    DeadlineRule("civil.first.simple", "民事简易程序审限", "accepted", _p("3m"),
                 "《民事诉讼法》第164条", "H", families=CIVIL_FAMILIES,
                 procedures=("一审简易程序",),
                 extensions=(Extension(_p("1m"), "本院院长"),), note="延长后累计不超过四个月"),
    DeadlineRule("civil.small_claims", "小额诉讼审限", "accepted", _p("2m"),
                 "《民事诉讼法》第168条", "H", families=CIVIL_FAMILIES,
                 procedures=("小额诉讼程序",), extensions=(Extension(_p("1m"), "本院院长"),)),
    DeadlineRule("civil.second.judgment", "民事二审（判决）审限", "accepted", _p("3m"),
                 "《民事诉讼法》第183条", "H", families=CIVIL_FAMILIES, procedures=("二审",),
                 extensions=(Extension(_p("3m"), "本院院长"),)),
    DeadlineRule("admin.first", "行政一审审限", "accepted", _p("6m"),
                 "《行政诉讼法》第81条", "H", families=("行政",), procedures=("一审普通程序",),
                 extensions=(Extension(_p("3m"), "高级人民法院", _SLXZ_2000, "M"),)),
    # -- enforcement and credit (§3.4, §6.1) --------------------------------------------------
    DeadlineRule("enforcement.term", "执行期限", "accepted", _p("6m"),
                 "《最高人民法院关于人民法院办理执行案件若干期限的规定》第1条", "H",
                 families=("执行",),
                 extensions=(Extension(_p("3m"), "院长或副院长", _ZXQX_2006, "M"),),
                 note="有财产可供执行的案件；延长须在期限届满前五日内申请"),
    DeadlineRule("dishonest.delete_after_performance", "失信信息删除", "performed", _p("3wd"),
                 "《最高人民法院关于公布失信被执行人名单信息的若干规定》第10条", "M",
                 families=("执行",), reminders=(1,), note="履行完毕等情形，三个工作日内删除"),
    DeadlineRule("dishonest.term", "失信名单纳入期限", "listed_dishonest", _p("2y"),
                 "《最高人民法院关于公布失信被执行人名单信息的若干规定》第2条", "M",
                 families=("执行",), roll_forward=False,
                 extensions=(Extension(_p("1y"), "本院"),),
                 note="情节严重的可延长一至三年；有履行能力而拒不履行的不设期限"),
    DeadlineRule("dishonest.grace", "信用宽限期", "grace_granted", _p("1m"),
                 "《最高人民法院关于在执行工作中进一步强化善意文明执行理念的意见》"
                 "（法发〔2019〕35号，政策意见，条号待核）", "H", families=("执行",), local=True,
                 reminders=(7, 1),
                 note="宽限期一至三个月，期内暂不发布失信、限制消费信息；期满仍未履行的方可纳入"),
    DeadlineRule("enforcement.followup_search", "终本后定期查控", "enforcement_terminated",
                 _p("6m"), "《最高人民法院关于严格规范终结本次执行程序的规定（试行）》"
                 "（法〔2016〕373号）（条号待核）", "M", families=("执行",), local=True,
                 reminders=(14, 7),
                 note="终结本次执行程序后五年内，至少每六个月通过网络执行查控系统查询一次"
                      "被执行人的财产"),
    # -- criminal custody and procedure (§1.2–1.5) -------------------------------------------
    DeadlineRule("summon.max", "拘传持续时间", "summoned", _p("12h"), "《刑事诉讼法》第119条", "H",
                 **_criminal(custody=True, reminders=(1,), extensions=(
                     Extension(_p("12h"),
                               "办案机关负责人（案情特别重大、复杂，需要采取拘留、逮捕措施的）",
                               "《刑事诉讼法》第119条第2款"),)),
                 note="不得以连续拘传的形式变相拘禁；应当保证饮食和必要的休息时间"),
    DeadlineRule("criminal.detention.request_arrest", "拘留后提请批准逮捕", "detained", _p("3d"),
                 "《刑事诉讼法》第91条第1、2款", "H",
                 **_criminal(custody=True,
                             extensions=(Extension(_p("4d"), "县级以上公安机关负责人"),)),
                 note="流窜作案、多次作案、结伙作案的重大嫌疑分子，可延长至三十日"),
    DeadlineRule("criminal.arrest.review", "审查批准逮捕（在押）", "arrest_requested", _p("7d"),
                 "《刑事诉讼法》第91条第3款", "H", **_criminal(custody=True)),
    DeadlineRule("criminal.custody.investigation", "逮捕后侦查羁押期限", "arrested", _p("2m"),
                 "《刑事诉讼法》第156条", "H",
                 **_criminal(custody=True, extensions=(
                     Extension(_p("1m"), "上一级人民检察院", "《刑事诉讼法》第156条"),
                     Extension(_p("2m"), "省级人民检察院", "《刑事诉讼法》第158条"),
                     Extension(_p("2m"), "省级人民检察院", "《刑事诉讼法》第159条")))),
    DeadlineRule("criminal.prosecution.review", "审查起诉期限", "prosecution_received", _p("1m"),
                 "《刑事诉讼法》第172条第1款", "H",
                 **_criminal(extensions=(Extension(_p("15d"), "检察长"),)),
                 note="重大、复杂的案件可延长十五日；改变管辖的，自收到案件之日起计算"),
    DeadlineRule("criminal.supplementary_investigation", "退回补充侦查",
                 "returned_for_investigation", _p("1m"), "《刑事诉讼法》第175条第3款", "H",
                 **_criminal(max_rounds=2),
                 note="以二次为限；补充侦查完毕移送后，审查起诉期限重新计算"),
    DeadlineRule("criminal.trial.first", "刑事一审审限（公诉）", "accepted", _p("2m"),
                 "《刑事诉讼法》第208条", "H",
                 **_criminal(procedures=("一审普通程序",), extensions=(
                     Extension(_p("1m"), "本院（至迟三个月）"),
                     Extension(_p("3m"), "上一级人民法院")))),
    DeadlineRule("bail.max", "取保候审最长期限", "bail_decided", _p("12m"),
                 "《刑事诉讼法》第79条", "H", **_criminal(reminders=(30, 7))),
    DeadlineRule("surveillance.max", "监视居住最长期限", "surveillance_decided", _p("6m"),
                 "《刑事诉讼法》第79条", "H", **_criminal(reminders=(30, 7))),
    DeadlineRule("custody_review.reply", "羁押必要性审查建议回复", "custody_review_served",
                 _p("10d"), "《刑事诉讼法》第95条", "H", families=("刑事", "检察监督"),
                 criminal=True),
    # -- property measures (§2) -----------------------------------------------------------------
    DeadlineRule("property.release_unrelated", "与案件无关财产的解除", "property_found_unrelated",
                 _p("3d"), "《刑事诉讼法》第145条", "H", criminal=True, reminders=(1,),
                 note="经查明确实与案件无关的，三日以内解除查封、扣押、冻结并予以退还"),
    DeadlineRule("property.civil.freeze_deposit", "冻结银行存款期限（民事）",
                 "deposit_frozen_civil", _p("1y"), "《民事诉讼法解释》第485条", "H",
                 roll_forward=False, reminders=(30, 15, 7),
                 note="期限届满前可申请续行；未续行的，冻结自动失效"),
    DeadlineRule("property.civil.seal_movable", "查封、扣押动产期限（民事）",
                 "movable_sealed_civil", _p("2y"), "《民事诉讼法解释》第485条", "H",
                 roll_forward=False, reminders=(30, 15, 7)),
    DeadlineRule("property.civil.seal_realty", "查封不动产、冻结其他财产权期限（民事）",
                 "realty_sealed_civil", _p("3y"), "《民事诉讼法解释》第485条", "H",
                 roll_forward=False, reminders=(30, 15, 7)),
    DeadlineRule("property.police.freeze_deposit", "公安机关冻结存款、汇款期限",
                 "deposit_frozen_police", _p("6m"), "《公安机关办理刑事案件程序规定》第243条",
                 "H", criminal=True, roll_forward=False, reminders=(30, 15, 7),
                 note="重大、复杂案件经设区的市一级以上公安机关负责人批准可为一年；未续冻的视为自动解冻"),
    DeadlineRule("property.police.freeze_other", "公安机关冻结债券、股票、基金份额等期限",
                 "securities_frozen_police", _p("2y"),
                 "《公安机关办理刑事案件程序规定》（2012年版第236条，现行条号待核）", "M",
                 criminal=True,
                 roll_forward=False, reminders=(30, 15, 7),
                 note="每次续冻不超过二年；未续冻的视为自动解冻"),
    DeadlineRule("property.criminal.review", "查封、扣押定期复查（刑事）",
                 "property_sealed_criminal", _p("6m"),
                 "《刑事诉讼法》第141、145条（法律未规定查封、扣押期限；复查周期为本院规定）",
                 "L", criminal=True, local=True, reminders=(14, 7),
                 note="复查查封、扣押是否仍有必要，与案件无关的应在三日以内解除"),
    # -- compliance reform (§5.2): no national values — each case sets its own ----------------
    DeadlineRule("compliance.exam", "合规考察期", "compliance_exam_started", _p("6m"),
                 "《关于建立涉案企业合规第三方监督评估机制的指导意见（试行）》（考察期由第三方组织"
                 "根据案件情况和企业承诺确定，无全国统一期限）", "L", local=True,
                 families=("刑事", "检察监督"), reminders=(30, 14, 7),
                 note="考察期届满，第三方组织应出具合规考察书面报告；考察期不中止审查起诉或羁押期限"),
    DeadlineRule("compliance.report", "合规定期书面报告", "compliance_report_due", _p("1m"),
                 "《涉案企业合规建设、评估和审查办法（试行）》（报告周期由第三方组织确定）", "L",
                 local=True, families=("刑事", "检察监督"), reminders=(7, 3)),
    DeadlineRule("procuratorial_opinion.reply", "检察意见回复", "opinion_served", _p("2m"),
                 "《刑事诉讼法》第177条第3款（主管机关应当将处理结果及时通知人民检察院；"
                 "回复期限为本院规定）", "L", local=True, families=("刑事", "检察监督"),
                 reminders=(14, 7)),
    # -- suggestions, complaints, stalled cases (§7, §9) ------------------------------------------
    DeadlineRule("suggestion.reply", "建议书回复期限", "suggestion_served", _p("2m"),
                 "《最高人民法院关于综合治理类司法建议工作若干问题的规定》第8条；"
                 "《人民检察院检察建议工作规定》", "H", reminders=(14, 7)),
    DeadlineRule("complaint.procedural_reply", "信访投诉程序性回复", "complaint_filed", _p("7d"),
                 "最高人民检察院“群众来信件件有回复”工作制度（7日内程序性回复）", "M", local=True),
    DeadlineRule("complaint.result_reply", "信访投诉办理结果答复", "complaint_filed", _p("3m"),
                 "最高人民检察院“群众来信件件有回复”工作制度（3个月内答复办理过程或结果）", "M",
                 local=True, reminders=(14, 7)),
    DeadlineRule("stalled.no_measure", "未采取强制措施的挂案", "case_filed_criminal", _p("2y"),
                 "《最高人民检察院、公安部关于公安机关办理经济犯罪案件的若干规定》第25条", "H",
                 **_criminal(roll_forward=False, reminders=(60, 30)),
                 note="立案后二年未移送审查起诉、作出不起诉决定或撤销案件的，列入挂案清理"),
    DeadlineRule("stalled.after_measure", "强制措施解除后的挂案", "measure_ended", _p("12m"),
                 "《最高人民检察院、公安部关于公安机关办理经济犯罪案件的若干规定》第25条", "H",
                 **_criminal(roll_forward=False, reminders=(60, 30)),
                 note="解除强制措施后十二个月仍未移送审查起诉或作其他处理的，列入挂案清理"),
)  # fmt: skip


def default_rule_map() -> dict[str, DeadlineRule]:
    return {r.id: r for r in DEFAULT_RULES}
