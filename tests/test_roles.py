"""The permission table (issue 7, point 2): every role × action × case situation written out, the
Chinese reasons of refusals, several roles at once, and the table's link to the services.

Sources of the choices are in casedesk/domain/roles.py; the rows the law fixes are marked here:
批准延长 only by 院领导 (民诉法 第152条: "经本院院长批准"; law.md §3.2), 书记员 never decides nor
deletes (《人民法院书记员管理办法（试行）》第2条: 事务性工作), 部门负责人 supervises the unit
(法发〔2015〕13号 第24条), 管理员 sees no case contents (GB/T 22239-2019 §8.1.4.2 最小权限)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest

import casedesk.services
from casedesk.domain.errors import FieldErrors
from casedesk.domain.roles import (
    ADMIN,
    ALL,
    CLERK,
    HANDLER,
    HEAD,
    LEADER,
    OWN,
    PERMISSIONS,
    REFERENCE_READS,
    ROLE_NAMES,
    UNIT,
    Actor,
    NotPermitted,
    Target,
    allowed_actions,
    decide,
    require,
    roles_from,
    scope_of,
    who_may,
)

ROLES = (HANDLER, CLERK, HEAD, LEADER, ADMIN)
MY_UNIT, OTHER_UNIT = "民二庭", "民一庭"

# Each cell: own case / another case of the user's unit / a case of another unit.
# "Y" allowed, "." refused. Columns: 承办人, 书记员, 部门负责人, 院领导, 管理员.
# fmt: off
MATRIX: dict[str, tuple[str, str, str, str, str]] = {
    #                           handler clerk  head   leader admin
    "case.read":               ("YY.", "YY.", "YY.", "YYY", "..."),
    "case.create":             ("Y..", "YY.", "...", "...", "..."),
    "case.edit":               ("Y..", "YY.", "...", "...", "..."),
    "case.assign":             ("...", "...", "YY.", "YYY", "..."),
    "case.delete":             ("...", "...", "YY.", "YYY", "..."),
    "case.restore":            ("...", "...", "YY.", "YYY", "..."),
    "party.remove":            ("Y..", "...", "YY.", "YYY", "..."),
    "party.restore":           ("Y..", "...", "YY.", "YYY", "..."),
    "subject.read":            ("YYY", "YYY", "YYY", "YYY", "..."),
    "subject.edit":            ("YYY", "YYY", "...", "...", "..."),
    "event.record":            ("Y..", "YY.", "...", "...", "..."),
    "event.delete":            ("Y..", "...", "YY.", "YYY", "..."),
    "event.restore":           ("Y..", "...", "YY.", "YYY", "..."),
    "deadline.cancel":         ("Y..", "...", "YY.", "YYY", "..."),
    "deadline.restart":        ("Y..", "...", "...", "...", "..."),
    "deadline.suspend":        ("...", "...", "YY.", "YYY", "..."),
    "deadline.extend.approve": ("...", "...", "...", "YYY", "..."),  # 民诉法 第152条: 院长批准
    "measure.record":          ("Y..", "YY.", "...", "...", "..."),
    "measure.release":         ("Y..", "...", "...", "...", "..."),
    "suggestion.draft":        ("Y..", "YY.", "...", "...", "..."),
    "suggestion.delete_draft": ("Y..", "...", "YY.", "YYY", "..."),
    "suggestion.restore_draft": ("Y..", "...", "YY.", "YYY", "..."),
    "suggestion.finalise":     ("Y..", "...", "YY.", "YYY", "..."),  # 法释〔2023〕11号 第7条
    "suggestion.serve":        ("Y..", "YY.", "...", "...", "..."),
    "suggestion.reply":        ("Y..", "YY.", "...", "...", "..."),
    "document.output":         ("Y..", "YY.", "YY.", "YYY", "..."),
    "compliance.step":         ("Y..", "YY.", "...", "...", "..."),
    "compliance.decide":       ("Y..", "...", "...", "...", "..."),
    "enforcement.record":      ("Y..", "YY.", "...", "...", "..."),
    "enforcement.decide":      ("Y..", "...", "...", "...", "..."),
    "credit.list":             ("Y..", "...", "...", "...", "..."),
    "credit.delete":           ("Y..", "...", "...", "...", "..."),  # 失信规定 第10条
    "stalled.supervise":       ("...", "...", "YY.", "YYY", "..."),
    "stalled.close_off":       ("...", "...", "YY.", "YYY", "..."),
    "list.export":             ("YYY", "YYY", "YYY", "YYY", "..."),
    "data.import":             ("...", "YY.", "YY.", "YYY", "..."),
    "data.export":             ("...", "...", "...", "YYY", "YYY"),
    "admin.users":             ("...", "...", "...", "...", "YYY"),
    "admin.rules":             ("...", "...", "...", "...", "YYY"),
    "admin.code_tables":       ("...", "...", "...", "...", "YYY"),
    "admin.holidays":          ("...", "...", "...", "...", "YYY"),
    "admin.settings":          ("...", "...", "...", "...", "YYY"),
    "admin.backup":            ("...", "...", "...", "...", "YYY"),
    "admin.restore":           ("...", "...", "...", "...", "YYY"),
    "audit.verify":            ("...", "...", "...", "YYY", "YYY"),
}
# fmt: on
SITUATIONS = ("own", "unit", "other")
CELLS = [
    (action, role, situation, row[ROLES.index(role)][SITUATIONS.index(situation)] == "Y")
    for action, row in MATRIX.items()
    for role in ROLES
    for situation in SITUATIONS
]


def user(role: str) -> Actor:
    return Actor(f"{role}.user", f"{ROLE_NAMES[role]}甲", MY_UNIT, frozenset({role}))


def target(situation: str, me: Actor) -> Target:
    return {
        "own": Target(MY_UNIT, me.login, "（2025）新0102民初101号"),
        "unit": Target(MY_UNIT, "colleague", "（2025）新0102民初102号"),
        "other": Target(OTHER_UNIT, "stranger", "（2025）新0102民初103号"),
    }[situation]


def test_the_matrix_names_every_action_and_every_role() -> None:
    assert list(MATRIX) == list(PERMISSIONS)  # same actions, same order: none left untested
    assert set(ROLES) == set(ROLE_NAMES)
    assert len(CELLS) == len(PERMISSIONS) * 5 * 3
    for row in MATRIX.values():
        assert all(re.fullmatch(r"[Y.]{3}", cell) for cell in row)
    # The matrix is not trivially one-sided.
    assert 0.2 < sum(allowed for *_, allowed in CELLS) / len(CELLS) < 0.6


@pytest.mark.parametrize(("action", "role", "situation", "expected"), CELLS)
def test_each_role_action_and_case(action: str, role: str, situation: str, expected: bool) -> None:
    me = user(role)
    decision = decide(me, action, target(situation, me))
    assert decision.allowed is expected, decision.reason
    assert bool(decision) is expected
    if expected:
        assert decision.reason == ""
        assert decision.scope is not None
    else:
        reason = decision.reason
        assert ROLE_NAMES[role] in reason
        assert PERMISSIONS[action].label in reason
        assert re.search(r"[A-Za-z]", reason) is None, reason  # Chinese, no codes
        assert reason.endswith("进行。") and who_may(action) in reason


@pytest.mark.parametrize("action", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_without_a_case_only_institution_wide_grants_allow(action: str, role: str) -> None:
    expected = MATRIX[action][ROLES.index(role)] == "YYY"
    decision = decide(user(role), action, None)
    assert decision.allowed is expected
    if not expected and scope_of(user(role), action) is not None:
        assert "未指明所涉案件" in decision.reason


# -- the rows the brief and the law fix ---------------------------------------------------------
def test_clerk_may_register_record_and_draft_but_not_decide_or_delete() -> None:
    # 《人民法院书记员管理办法（试行）》第2条: 事务性工作 only
    clerk = user(CLERK)
    case = target("unit", clerk)
    for action in ("case.create", "event.record", "suggestion.draft", "suggestion.serve"):
        assert decide(clerk, action, case).allowed, action
    for action in ("suggestion.finalise", "deadline.extend.approve", "measure.release"):
        assert not decide(clerk, action, case).allowed, action
    deleting = [a for a in PERMISSIONS if "delete" in a or "restore" in a or a == "party.remove"]
    assert len(deleting) >= 9
    assert not any(decide(clerk, a, case).allowed for a in deleting)


def test_the_refusal_the_brief_asks_for() -> None:
    clerk = user(CLERK)
    decision = decide(clerk, "suggestion.finalise", target("unit", clerk))
    assert decision.reason == "书记员无权定稿建议书：此项须由本案承办人、本部门负责人或院领导进行。"


def test_scope_refusals_say_which_case_and_why() -> None:
    handler, clerk = user(HANDLER), user(CLERK)
    reason = decide(handler, "case.edit", target("unit", handler)).reason
    assert reason == (
        "承办人仅限于本人承办的案件：（2025）新0102民初102号不是您承办的案件，"
        "无权修改案件信息；此项须由本案承办人或本部门书记员进行。"
    )
    reason = decide(clerk, "case.read", target("other", clerk)).reason
    assert "（2025）新0102民初103号属于民一庭，不属于您所在的民二庭" in reason
    assert reason.startswith("书记员仅限于本部门的案件：")


def test_extension_is_approved_by_the_leader_alone() -> None:
    # 民诉法 第152条 "经本院院长批准"; 法发〔2006〕35号 第1条 (执行期限): 院长/副院长
    allowed = [r for r in ROLES if decide(user(r), "deadline.extend.approve", None).allowed]
    assert allowed == [LEADER]
    assert who_may("deadline.extend.approve") == "院领导"


def test_admin_sees_no_case_contents() -> None:
    # GB/T 22239-2019 §8.1.4.2: least privilege, administrative duties separated
    admin = user(ADMIN)
    content = {"case", "event", "measure", "suggestion", "credit", "compliance", "enforcement"}
    for action in PERMISSIONS:
        if action.split(".")[0] in content:
            assert not decide(admin, action, target("own", admin)).allowed, action
    assert set(allowed_actions(admin)) == {a for a in PERMISSIONS if a.startswith("admin.")} | {
        "audit.verify",
        "data.export",
    }


# -- several roles, odd accounts and cases --------------------------------------------------------
def test_roles_add_up_and_the_widest_scope_decides() -> None:
    both = Actor("ting.zhang", "庭长乙", MY_UNIT, frozenset({HANDLER, HEAD}))
    colleague_case = Target(MY_UNIT, "colleague", "（2025）新0102民初102号")
    assert decide(both, "case.delete", colleague_case).scope is UNIT
    assert decide(both, "case.edit", Target(MY_UNIT, "ting.zhang")).scope is OWN
    assert not decide(both, "case.edit", colleague_case).allowed  # supervises, does not edit
    refused = decide(both, "case.read", Target(OTHER_UNIT, "x", "某案"))
    assert refused.reason.startswith("部门负责人仅限于本部门的案件")
    assert scope_of(both, "case.read") is UNIT
    assert scope_of(Actor("a.b", "院长", "", {LEADER}), "case.read") is ALL
    assert scope_of(user(ADMIN), "case.read") is None
    assert allowed_actions(both) == tuple(
        a for a in PERMISSIONS if HANDLER in PERMISSIONS[a].grants or HEAD in PERMISSIONS[a].grants
    )


def test_own_case_is_matched_by_login_whatever_the_case() -> None:
    handler = user(HANDLER)
    assert decide(handler, "case.edit", Target(MY_UNIT, "HANDLER.User")).allowed
    assert decide(handler, "case.edit", Target(OTHER_UNIT, "handler.user")).allowed  # moved unit
    nobody = Actor("", "无名", MY_UNIT, frozenset({HANDLER}))
    assert not decide(nobody, "case.edit", Target(MY_UNIT, "")).allowed


def test_a_unit_must_be_known_on_both_sides() -> None:
    homeless = Actor("clerk.x", "书记员丙", "", frozenset({CLERK}))
    assert not decide(homeless, "case.create", Target("", "")).allowed
    reason = decide(homeless, "case.create", Target(MY_UNIT, "a")).reason
    assert "您的账号未登记所属部门" in reason
    reason = decide(user(CLERK), "case.create", Target("", "a", "某案")).reason
    assert "某案未登记所属部门" in reason


def test_an_account_without_roles_may_do_nothing() -> None:
    nobody = Actor("new.user", "新用户", MY_UNIT, frozenset())
    assert allowed_actions(nobody) == ()
    reason = decide(nobody, "case.read", Target(MY_UNIT, "new.user")).reason
    assert reason.startswith("您的账号未分配角色，无权查看案件")


def test_require_raises_with_the_reason() -> None:
    clerk = user(CLERK)
    assert require(clerk, "event.record", target("unit", clerk)).scope is UNIT
    with pytest.raises(NotPermitted, match="书记员无权删除案件") as caught:
        require(clerk, "case.delete", target("unit", clerk))
    assert isinstance(caught.value, PermissionError)
    assert caught.value.decision.allowed is False


def test_unknown_actions_and_roles_are_programming_errors() -> None:
    with pytest.raises(ValueError, match="unknown action"):
        decide(user(HANDLER), "case.destroy", None)
    with pytest.raises(ValueError, match="unknown roles"):
        Actor("x.y", "某", MY_UNIT, frozenset({"judge"}))
    assert Actor("x.y", "某", MY_UNIT, {CLERK}).roles == frozenset({CLERK})  # type: ignore[arg-type]


def test_roles_from_codes_or_chinese_names() -> None:
    assert roles_from(["书记员", " head "]) == frozenset({CLERK, HEAD})
    with pytest.raises(FieldErrors) as caught:
        roles_from(["法官"])
    assert "未知的角色“法官”" in caught.value.errors["roles"]


# -- the table itself ----------------------------------------------------------------------------
def test_every_rule_is_complete() -> None:
    labels = [r.label for r in PERMISSIONS.values()]
    assert len(set(labels)) == len(labels)
    for action, rule in PERMISSIONS.items():
        assert rule.grants, action
        assert set(rule.grants) <= set(ROLE_NAMES), action
        assert rule.basis and re.search(r"[\u4e00-\u9fff]", rule.label), action


def _service_classes() -> dict[str, type]:
    from casedesk.services.base import Service

    found: dict[str, type] = {}
    for info in pkgutil.iter_modules(casedesk.services.__path__):
        if info.ispkg:
            continue
        module = importlib.import_module(f"casedesk.services.{info.name}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Service) and cls is not Service:
                found[name] = cls
    return found


def _public_methods(cls: type) -> set[str]:
    from casedesk.services.base import Service

    return {
        n for n, v in inspect.getmembers(cls, inspect.isfunction)
        if not n.startswith("_") and not hasattr(Service, n)
    }  # fmt: skip


def test_the_table_names_real_service_methods_each_once() -> None:
    classes = _service_classes()
    named = [m for r in PERMISSIONS.values() for m in r.covers] + list(REFERENCE_READS)
    assert len(named) == len(set(named)), "a method is guarded by two actions"
    for entry in named:
        owner, method = entry.split(".")
        if owner in classes:
            assert method in _public_methods(classes[owner]), entry
        else:  # a module function in services/interchange
            module = importlib.import_module(f"casedesk.services.interchange.{owner}")
            assert callable(getattr(module, method)), entry


def test_every_public_method_of_the_guarded_services_is_classified() -> None:
    """A new method on one of these services must be given its action (or be a reference read)."""
    classes = _service_classes()
    named = {m for r in PERMISSIONS.values() for m in r.covers} | set(REFERENCE_READS)
    owners = {m.split(".")[0] for m in named if m.split(".")[0] in classes}
    assert len(owners) >= 17
    missing = sorted(
        f"{owner}.{method}"
        for owner in owners
        for method in _public_methods(classes[owner])
        if f"{owner}.{method}" not in named
    )
    assert missing == []
