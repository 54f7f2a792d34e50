"""Who may do what: the one permission table of CaseDesk (issue 7, point 2).

Each action a service performs has one rule in ``PERMISSIONS``: which roles may do it and in
which scope — ``OWN`` (cases the user handles: the case's handler is the user), ``UNIT`` (cases
of the user's 庭/部门) or ``ALL`` (the whole 院). ``decide(user, action, target)`` answers with a
``Decision`` whose ``reason`` says in Chinese why a refusal was made and who may do it instead.
A user may hold several roles (a 庭长 who also handles cases is ``{"head", "handler"}``); an
action is allowed when any of them allows it.

How the roles were cut, and on what:

* **承办人 (handler: 法官/检察官)** does the case work on the cases they handle: "让审理者裁判、由
  裁判者负责" — 最高人民法院《关于完善人民法院司法责任制的若干意见》(法发〔2015〕13号) 第1条;
  for procuratorates 最高人民检察院《关于完善人民检察院司法责任制的若干意见》(高检发〔2015〕10号)
  on the 检察官's 办案 responsibility [M]. They read the whole unit's cases: a 合议庭 is formed from
  the judges of the 庭, who sit on each other's cases.
* **书记员 (clerk)** assists the handlers of their unit: a 审判团队 is one judge with 法官助理 and
  书记员 (法发〔2015〕13号 第4条 [M]); the clerk's duties are 事务性 — 庭前准备, 记录, 整理装订归档
  案卷, "完成法官交办的其他事务性工作" (《人民法院书记员管理办法（试行）》第2条 [M, several copies
  agree]) and, in CaseDesk's brief (DESIGN.md), entering data from paper, drafting, printing and
  serving documents, keeping ledgers. So: register and record within the unit, draft and serve;
  never decide (release a measure, finalise, approve) and never delete.
* **部门负责人 (head: 庭长/部门负责人)** supervises the unit without deciding the cases of others:
  院庭长 no longer sign judgments of cases they did not try (法发〔2015〕13号 第6条 [M]) but watch
  the unit's cases and the "四类案件" (同上 第24条 [M]). In CaseDesk: read the unit, assign
  handlers, 挂牌督办 and 销号 (law.md §9: the supervisor confirms 销号), approve 审限扣除,
  finalise a 建议书, delete and restore. A head who tries cases also holds the handler role
  (同上 第7条: 入额的院庭长应当办理案件 [M]).
* **院领导 (leader: 院长/副院长/检察长)** has the head's supervision over the whole 院, and alone
  approves extensions: 审限延长 "经本院院长批准" (law.md §3.2: 民诉法 第152、164、168、183条;
  执行期限 §3.4: 法发〔2006〕35号 第1条, 院长/副院长); where the approval comes from the higher
  court or procuratorate (§1.4 刑诉法 第208条; §1.2 第156、158、159条) the 院领导 who received it
  records it. Extensions move a due date later, so the one who approves enters it, under their
  own name in the audit trail — not the handler whose deadline it is.
* **管理员 (admin)** keeps users, settings, code tables, holidays, rules and backups, and sees no
  case contents: least privilege and separation of administrative duties (GB/T 22239-2019
  §8.1.4.2 访问控制, "授予管理用户所需的最小权限，实现管理用户的权限分离" [M]). A person who is
  both gets both roles.

Deletions (案件, 时间线记录, 当事人, 建议书草稿) are soft and audited in the services: a case is
marked deleted, the others move into the recycle bin (casedesk.store.recycle_bin); whoever may
delete a kind of record may restore it. Here only the roles that may do them are named.
Reading reference data (code tables, holidays, rules, settings) needs no permission:
``REFERENCE_READS``. Service wiring notes: ``case.edit`` does not change the handler or unit of a
case — that is ``case.assign``; list reads filter by ``scope_of(user, "case.read")``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum

from casedesk.domain.errors import FieldErrors
from casedesk.domain.identifiers.result import has_surrogate

HANDLER, CLERK, HEAD, LEADER, ADMIN = "handler", "clerk", "head", "leader", "admin"

#: The roles in the order the administrator sees them, with their Chinese names.
ROLE_NAMES: dict[str, str] = {
    HANDLER: "承办人",
    CLERK: "书记员",
    HEAD: "部门负责人",
    LEADER: "院领导",
    ADMIN: "管理员",
}
#: Who holds each role, for the user-management dialog.
ROLE_HINTS: dict[str, str] = {
    HANDLER: "法官、检察官：办理本人承办的案件",
    CLERK: "书记员：协助本部门承办人登记、记录、起草和送达",
    HEAD: "庭长、部门负责人：监督本部门案件",
    LEADER: "院长、副院长、检察长：监督全院案件，批准延长期限",
    ADMIN: "管理员：用户、设置、代码表、节假日、备份",
}


class Scope(IntEnum):
    """How far a role's permission reaches; a larger value reaches further."""

    OWN = 1  # cases the user handles
    UNIT = 2  # cases of the user's unit
    ALL = 3  # every case (and actions that concern no case)


OWN, UNIT, ALL = Scope.OWN, Scope.UNIT, Scope.ALL


@dataclass(frozen=True)
class Rule:
    """One row of the table: the action's Chinese label (a verb phrase), the roles that may do it
    with their scope, the service methods it guards, and the source of the choice."""

    label: str
    grants: dict[str, Scope]
    covers: tuple[str, ...]
    basis: str


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _rule(label: str, basis: str, covers: str = "", **grants: Scope) -> Rule:
    return Rule(label, grants, _names(covers), basis)


_RESP = "法发〔2015〕13号 第1条（让审理者裁判、由裁判者负责）；高检发〔2015〕10号 [M]"
_CLERK = "《人民法院书记员管理办法（试行）》第2条 [M]；法发〔2015〕13号 第4条 [M]；DESIGN.md"
_SUPERVISE = "法发〔2015〕13号 第6、24条（院庭长的监督管理）[M]"
_DELETE = "案件材料是证据（issue 7）：删除须由监督者进行，留痕可恢复；法发〔2015〕13号 第24条 [M]"
_EXTEND = ("law.md §3.2 民诉法 第152、164、168、183条（院长批准）；§3.4 法发〔2006〕35号 第1条；"
           "§1.4 刑诉法 第208条；§1.2 刑诉法 第156、158、159条")  # fmt: skip
_SUSPEND = ("law.md §3.5 法释〔2000〕29号 第9条（不计入审限的情形）；审限扣除由院庭长审批："
            "地方审限管理规定，如合肥中院2021年办法 第2条“经分管院长审批” [L]")  # fmt: skip
_SUGGEST = ("law.md §7.2 法释〔2023〕11号 第6、7条（统一编号，院长签发）；§7.1 检察长批准 [M]；"
            "定稿由承办人或部门负责人在纸面审批后进行")  # fmt: skip
_CREDIT = ("law.md §6.1 失信决定书由院长签发 [M]、第10条 3个工作日内删除；§6.2 限制消费令 第5条、"
           "第9条；承办人据已签发的文书登记")  # fmt: skip
_STALLED = "law.md §9 挂牌督办、销号（督办者确认销号）[L]"
_ADMIN = "GB/T 22239-2019 §8.1.4.2 访问控制（最小权限、管理权限分离）[M]；DESIGN.md 用户表"

# fmt: off
#: THE permission table: action → who may, in which scope. Service methods named in ``covers``
#: are "Class.method" (or "module.function" in services/interchange).
PERMISSIONS: dict[str, Rule] = {
    # -- cases ----------------------------------------------------------------------------------
    "case.read": _rule("查看案件", _RESP + "；" + _SUPERVISE, """
        CaseService.get CaseService.history DeadlineService.for_case DeadlineService.triggers_for
        DeadlineService.board PropertyMeasureService.for_case PropertyMeasureService.get
        PropertyMeasureService.for_enterprise PropertyMeasureService.seizure_check
        PropertyMeasureService.seized_by_case PropertyMeasureService.seized_by_enterprise
        PropertyMeasureService.overseized PersonalMeasureService.for_case
        PersonalMeasureService.get CustodyReviewService.for_case CustodyReviewService.in_custody
        StalledService.ledger StalledService.flag_for_case ComplianceService.get
        ComplianceService.for_case ComplianceService.rows EnforcementService.get
        EnforcementService.by_recovery EnforcementService.listed_debtors
        EnforcementService.pending_deletions EnforcementService.overdue_deletions
        SuggestionService.get SuggestionService.for_case SuggestionService.document
        SuggestionService.recipients SuggestionService.ledger SuggestionService.statistics
        RecycleBinService.items RecycleBinService.items_of_case""",
        handler=UNIT, clerk=UNIT, head=UNIT, leader=ALL),
    "case.create": _rule("登记案件", _RESP + "；" + _CLERK, "CaseService.create",
                         handler=OWN, clerk=UNIT),
    "case.edit": _rule("修改案件信息", _RESP + "；" + _CLERK, "CaseService.update PartyService.add",
                       handler=OWN, clerk=UNIT),
    "case.assign": _rule("指定或变更承办人", "法发〔2015〕13号 分案与院庭长审判管理 [M]",
                         head=UNIT, leader=ALL),
    "case.delete": _rule("删除案件", _DELETE, "CaseService.delete", head=UNIT, leader=ALL),
    "case.restore": _rule("恢复已删除的案件", _DELETE, "CaseService.restore",
                          head=UNIT, leader=ALL),
    "party.remove": _rule("移除当事人", _DELETE, "PartyService.remove",
                          handler=OWN, head=UNIT, leader=ALL),
    "party.restore": _rule("恢复已移除的当事人", _DELETE, "RecycleBinService.restore_party",
                           handler=OWN, head=UNIT, leader=ALL),
    "subject.read": _rule("查阅企业和人员信息", "企业、人员为各案共用的登记", """
        EnterpriseService.get EnterpriseService.find PersonService.get PersonService.find""",
        handler=ALL, clerk=ALL, head=ALL, leader=ALL),
    "subject.edit": _rule("登记或修改企业和人员信息", _CLERK, """
        EnterpriseService.create EnterpriseService.update PersonService.create
        PersonService.update""", handler=ALL, clerk=ALL),
    # -- timeline and deadlines -----------------------------------------------------------------
    "event.record": _rule("登记案件进程和期限事件", _CLERK, """
        TimelineService.record_stage TimelineService.move_entry DeadlineService.record_trigger
        DeadlineService.meet""", handler=OWN, clerk=UNIT),
    "event.delete": _rule("删除时间线记录", _DELETE, "TimelineService.remove_entry",
                          handler=OWN, head=UNIT, leader=ALL),
    "event.restore": _rule("恢复已删除的时间线记录", _DELETE, "RecycleBinService.restore_entry",
                           handler=OWN, head=UNIT, leader=ALL),
    "deadline.cancel": _rule("撤销期限", _RESP + "；" + _SUPERVISE, "DeadlineService.cancel",
                             handler=OWN, head=UNIT, leader=ALL),
    "deadline.restart": _rule("重新计算期限", "law.md §1.4 刑诉法 第208条第2、3款；" + _RESP,
                              "DeadlineService.restart", handler=OWN),
    "deadline.suspend": _rule("扣除期限（审限扣除）", _SUSPEND, "DeadlineService.suspend",
                              head=UNIT, leader=ALL),
    "deadline.extend.approve": _rule("批准延长期限", _EXTEND, "DeadlineService.extend",
                                     leader=ALL),
    # -- measures -------------------------------------------------------------------------------
    "measure.record": _rule("登记强制措施", _RESP + "；" + _CLERK, """
        PropertyMeasureService.add PropertyMeasureService.update PropertyMeasureService.renew
        PropertyMeasureService.mark_unrelated PropertyMeasureService.record_review
        PersonalMeasureService.add PersonalMeasureService.record_step CustodyReviewService.add
        CustodyReviewService.update CustodyReviewService.record_reply""",
        handler=OWN, clerk=UNIT),
    "measure.release": _rule("解除或变更强制措施", _RESP, """
        PropertyMeasureService.release PersonalMeasureService.change PersonalMeasureService.end""",
        handler=OWN),
    # -- suggestions and documents --------------------------------------------------------------
    "suggestion.draft": _rule("起草建议书", _CLERK,
                              "SuggestionService.new_draft SuggestionService.save_draft",
                              handler=OWN, clerk=UNIT),
    "suggestion.delete_draft": _rule("删除建议书草稿", _DELETE, "SuggestionService.delete_draft",
                                     handler=OWN, head=UNIT, leader=ALL),
    "suggestion.restore_draft": _rule("恢复已删除的建议书草稿", _DELETE,
                                      "RecycleBinService.restore_draft",
                                      handler=OWN, head=UNIT, leader=ALL),
    "suggestion.finalise": _rule("定稿建议书", _SUGGEST, "SuggestionService.finalise",
                                 handler=OWN, head=UNIT, leader=ALL),
    "suggestion.serve": _rule("登记建议书送达", _CLERK, "SuggestionService.serve",
                              handler=OWN, clerk=UNIT),
    "suggestion.reply": _rule("登记建议书回复和跟踪", _CLERK + "；law.md §7.1、7.2", """
        SuggestionService.record_reply SuggestionService.remind SuggestionService.revisit""",
        handler=OWN, clerk=UNIT),
    "document.output": _rule("导出或打印文书", _CLERK + "；" + _SUPERVISE,
                             "SuggestionService.record_output",
                             handler=OWN, clerk=UNIT, head=UNIT, leader=ALL),
    # -- compliance, enforcement, credit --------------------------------------------------------
    "compliance.step": _rule("登记合规考察进程", "law.md §5.2；" + _CLERK, """
        ComplianceService.apply ComplianceService.form_org ComplianceService.object_member
        ComplianceService.replace_member ComplianceService.submit_plan
        ComplianceService.receive_report ComplianceService.inspect ComplianceService.evaluate
        ComplianceService.hear ComplianceService.send_opinion ComplianceService.record_reply""",
        handler=OWN, clerk=UNIT),
    "compliance.decide": _rule("作出合规考察决定", "law.md §5.2；" + _RESP, """
        ComplianceService.start ComplianceService.reject ComplianceService.request_revision
        ComplianceService.accept_plan ComplianceService.extend ComplianceService.decide
        ComplianceService.close ComplianceService.terminate""", handler=OWN),
    "enforcement.record": _rule("登记执行情况", "law.md §3.4；" + _CLERK, """
        EnforcementService.open_record EnforcementService.update_record
        EnforcementService.add_payment EnforcementService.record_performance
        EnforcementService.add_action""", handler=OWN, clerk=UNIT),
    "enforcement.decide": _rule("终结本次执行、恢复执行或结案", "law.md §3.4；" + _RESP, """
        EnforcementService.terminate EnforcementService.resume EnforcementService.close""",
        handler=OWN),
    "credit.list": _rule("纳入失信名单或限制消费", _CREDIT, """
        EnforcementService.warn EnforcementService.list_debtor
        EnforcementService.order_spending_ban""", handler=OWN),
    "credit.delete": _rule("删除失信信息或解除限制消费", _CREDIT, """
        EnforcementService.deletion_ground EnforcementService.delete_listing
        EnforcementService.lift_spending_ban""", handler=OWN),
    # -- supervision ----------------------------------------------------------------------------
    "stalled.supervise": _rule("挂牌督办", _STALLED + "；" + _SUPERVISE, "StalledService.supervise",
                               head=UNIT, leader=ALL),
    "stalled.close_off": _rule("督办销号", _STALLED, "StalledService.close_off",
                               head=UNIT, leader=ALL),
    # -- data in and out ------------------------------------------------------------------------
    "list.export": _rule("导出列表", "DESIGN.md（任何列表可导出）；行限于 case.read 的范围",
                         "StalledService.export_xlsx",
                         handler=ALL, clerk=ALL, head=ALL, leader=ALL),
    "data.import": _rule("导入台账", _CLERK + "（书记员管理台账）；" + _SUPERVISE,
                         "DataTransferService.import_cases", clerk=UNIT, head=UNIT, leader=ALL),
    "data.export": _rule("导出全部数据", _ADMIN + "；备份同样含全部数据",
                         "DataTransferService.export_cases", leader=ALL, admin=ALL),
    # -- administration -------------------------------------------------------------------------
    "admin.users": _rule("管理用户和角色", _ADMIN, admin=ALL),
    "admin.rules": _rule("修改期限规则", _ADMIN,
                         "RuleService.update RuleService.reset DeadlineService.recompute_open",
                         admin=ALL),
    "admin.code_tables": _rule("维护代码表", _ADMIN, """
        CodeTableService.save_court_code CodeTableService.delete_court_code
        CodeTableService.save_type_code CodeTableService.delete_type_code CodeTableService.add_tag
        CodeTableService.rename_tag CodeTableService.delete_tag""", admin=ALL),
    "admin.holidays": _rule("维护节假日", _ADMIN, """
        HolidayService.set_day HolidayService.remove_day HolidayService.mark_year
        HolidayService.unmark_year HolidayService.set_ethnic_enabled""", admin=ALL),
    "admin.settings": _rule("修改系统设置", _ADMIN, """
        MeasureSettingsService.save SuggestionService.set_unit_names SuggestionService.set_pattern
        SuggestionService.set_template""", admin=ALL),
    "admin.backup": _rule("备份数据库", _ADMIN, admin=ALL),
    "admin.restore": _rule("从备份恢复数据库", _ADMIN, admin=ALL),
    "audit.verify": _rule("校验审计记录", "GB/T 22239-2019 §8.1.4.3 c) 保护审计记录 [M]；" + _ADMIN,
                          leader=ALL, admin=ALL),
}
# fmt: on

#: Reads of reference data every signed-in user may do (no permission checked).
REFERENCE_READS: tuple[str, ...] = _names(
    """
    CodeTableService.court_codes CodeTableService.court_names CodeTableService.tag_names
    CodeTableService.tags CodeTableService.type_code_map CodeTableService.type_codes
    HolidayService.days HolidayService.ethnic_enabled HolidayService.years
    MeasureSettingsService.get RuleService.rule RuleService.rules DeadlineService.rules_for_trigger
    SuggestionService.pattern SuggestionService.template SuggestionService.unit_names
    """
)


@dataclass(frozen=True)
class Actor:
    """The signed-in user: login, display name, unit (庭/部门) and roles."""

    login: str
    display_name: str
    unit: str
    roles: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        roles = frozenset(self.roles)
        unknown = roles - ROLE_NAMES.keys()
        if unknown:
            raise ValueError(f"unknown roles: {sorted(unknown)}")
        object.__setattr__(self, "roles", roles)

    @property
    def role_text(self) -> str:
        """The roles in Chinese, in table order (e.g. "承办人、部门负责人")."""
        return "、".join(n for r, n in ROLE_NAMES.items() if r in self.roles)


@dataclass(frozen=True)
class Target:
    """The case an action concerns: its unit, its handler's login and (for messages) its 案号."""

    unit: str = ""
    handler_login: str = ""
    label: str = ""


@dataclass(frozen=True)
class Decision:
    """Whether ``action`` is allowed; ``reason`` (Chinese) says why not."""

    action: str
    allowed: bool
    reason: str = ""
    scope: Scope | None = None  # the scope that allowed it

    def __bool__(self) -> bool:
        return self.allowed


class NotPermitted(PermissionError):
    """Raised by ``require``: the action is refused; the message is the Chinese reason."""

    def __init__(self, decision: Decision):
        self.decision = decision
        super().__init__(decision.reason)


def rule_of(action: str) -> Rule:
    """The rule of ``action``; an unknown action is a programming error."""
    try:
        return PERMISSIONS[action]
    except KeyError:
        raise ValueError(f"unknown action: {action!r}") from None


def scope_of(user: Actor, action: str) -> Scope | None:
    """The widest scope in which any of the user's roles may do ``action`` (None: not at all)."""
    grants = rule_of(action).grants
    scopes = [grants[r] for r in user.roles if r in grants]
    return max(scopes) if scopes else None


def allowed_actions(user: Actor) -> tuple[str, ...]:
    """The actions the user may do in some scope, in table order (to show menus and buttons)."""
    return tuple(a for a in PERMISSIONS if scope_of(user, a) is not None)


def who_may(action: str) -> str:
    """Who may do ``action``, in Chinese: "本案承办人、本部门负责人或院领导"."""
    grants = rule_of(action).grants
    parts = []
    for role, name in ROLE_NAMES.items():
        if (scope := grants.get(role)) is None:
            continue
        if scope is OWN:
            parts.append("本案" + name)
        elif scope is UNIT:
            parts.append(("本" if role == HEAD else "本部门") + name)
        else:
            parts.append(name)
    return parts[0] if len(parts) == 1 else "、".join(parts[:-1]) + "或" + parts[-1]


def _same_login(a: str, b: str) -> bool:
    return bool(a) and a.casefold() == b.casefold()


def _within(user: Actor, scope: Scope, target: Target | None) -> str:
    """Empty when ``target`` lies within ``scope`` for ``user``, else why not (Chinese)."""
    if scope is ALL:
        return ""
    if target is None:
        return "未指明所涉案件"
    case = target.label or "该案"
    if scope is OWN:
        if _same_login(user.login, target.handler_login):
            return ""
        return f"{case}不是您承办的案件"
    if not user.unit:
        return "您的账号未登记所属部门，请联系管理员"
    if not target.unit:
        return f"{case}未登记所属部门"
    if user.unit == target.unit:
        return ""
    return f"{case}属于{target.unit}，不属于您所在的{user.unit}"


def decide(user: Actor, action: str, target: Target | None = None) -> Decision:
    """May ``user`` do ``action`` on ``target`` (None for actions that concern no case)?"""
    rule = rule_of(action)
    granted = sorted(((rule.grants[r], r) for r in user.roles if r in rule.grants), reverse=True)
    for scope, _role in granted:
        if not _within(user, scope, target):
            return Decision(action, True, scope=scope)
    who = who_may(action)
    if not user.roles:
        return Decision(action, False, f"您的账号未分配角色，无权{rule.label}：此项须由{who}进行。")
    if not granted:
        return Decision(action, False, f"{user.role_text}无权{rule.label}：此项须由{who}进行。")
    scope, role = granted[0]
    where = "本人承办的案件" if scope is OWN else "本部门的案件"
    why = _within(user, scope, target)
    reason = f"{ROLE_NAMES[role]}仅限于{where}：{why}，无权{rule.label}；此项须由{who}进行。"
    return Decision(action, False, reason)


def require(user: Actor, action: str, target: Target | None = None) -> Decision:
    """``decide`` for a service: returns the allowing decision or raises ``NotPermitted``."""
    decision = decide(user, action, target)
    if not decision.allowed:
        raise NotPermitted(decision)
    return decision


def roles_from(names: Iterable[str]) -> frozenset[str]:
    """Role codes from their codes or Chinese names (a form, a settings file, an import);
    an unknown name raises ``FieldErrors({"roles": …})``."""
    by_name = {v: k for k, v in ROLE_NAMES.items()}
    known = "、".join(ROLE_NAMES.values())
    if isinstance(names, str):
        names = [names]
    elif names is None or not isinstance(names, Iterable):
        raise FieldErrors({"roles": f"角色应从{known}中选择"})
    out = set()
    for n in names:
        if not isinstance(n, str) or has_surrogate(n):
            raise FieldErrors({"roles": f"角色应从{known}中选择"})
        n = n.strip()
        if n in ROLE_NAMES:
            out.add(n)
        elif n in by_name:
            out.add(by_name[n])
        else:
            raise FieldErrors({"roles": f"未知的角色“{n}”：角色应为{known}之一"})
    return frozenset(out)
