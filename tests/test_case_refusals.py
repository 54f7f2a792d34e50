"""The case page learns up front what the signed-in user may not do (issue 7, point 2):
``CaseService.get`` returns, with the case, every action of the permission table that concerns
a case and that the user's roles do not allow on it, each with the table's Chinese reason naming
who may. The rows below are the table's cells for one case of 民二庭 handled by 王法官:

* 承办人 does the case work on the cases they handle (法发〔2015〕13号 第1条), not on a
  colleague's case of the same 庭 (which they read: 合议庭);
* 书记员 registers, records, drafts and serves, never decides nor deletes (《人民法院书记员管理
  办法（试行）》第2条);
* 部门负责人 supervises the unit: assigns, deletes and restores, 审限扣除, 定稿, 督办
  (法发〔2015〕13号 第6、24条);
* 院领导 has the head's supervision over the whole 院 and alone approves an extension
  (民诉法 第152条: "经本院院长批准");
* the system (nobody signed in) is not restricted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from casedesk.domain import documents as dm
from casedesk.domain import roles
from casedesk.domain.drafts import CaseDraft, EnterpriseDraft, PersonDraft, StageDraft
from casedesk.domain.enforcement import EnforcementDraft
from casedesk.domain.measures import PropertyMeasureDraft
from casedesk.domain.roles import (
    ALL,
    CLERK,
    HANDLER,
    HEAD,
    LEADER,
    OWN,
    PERMISSIONS,
    UNIT,
    who_may,
)
from casedesk.services.accounts import UserDraft
from casedesk.services.app import Services
from casedesk.services.cases import NOT_CASE_ACTIONS, case_actions
from casedesk.services.errors import NotPermitted
from casedesk.store.backup import backup_sqlite
from casedesk.store.database import open_database

TODAY = date.today()
ACCEPTED = TODAY - timedelta(days=30)
ADMIN_PW, PW = "Guard#2026x", "Court#2026x"
MY_UNIT = "民二庭"
#: login → (display name, unit, roles)
USERS: dict[str, tuple[str, str, frozenset[str]]] = {
    "wangfg": ("王法官", MY_UNIT, frozenset({HANDLER})),
    "zhaofg": ("赵法官", MY_UNIT, frozenset({HANDLER})),
    "zhoush": ("周书记员", MY_UNIT, frozenset({CLERK})),
    "chentz": ("陈庭长", MY_UNIT, frozenset({HEAD})),
    "liuyz": ("刘院长", "院领导", frozenset({LEADER})),
}


def build_court(path: Path) -> dict[str, str]:
    """Accounts, and three cases of 民二庭 handled by 王法官 as the demo makes them: a civil
    case (a party, a stage entry, its 审限, a freeze, a suggestion draft), an 执行 case with its
    record, a criminal case with a suspect and an enterprise."""
    open_database(path).close()
    sv = Services.open(path, "测试员")
    ids: dict[str, str] = {}
    try:
        sv.accounts.create_first_admin(UserDraft("admin", "系统管理员", "办公室"), ADMIN_PW)
        sv.accounts.sign_in("admin", ADMIN_PW)
        for login, (name, unit, held) in USERS.items():
            sv.accounts.create_user(UserDraft(login, name, unit, held), PW, must_change=False)
        sv.accounts.sign_out()  # the records are made by the system
        civil = ids["civil"] = sv.cases.create(
            CaseDraft("（2025）新01民初1号", "民事", ACCEPTED, "一审普通程序", "买卖合同纠纷",
                      handler="王法官", amount_fen=100_000_000)
        ).id  # fmt: skip
        owner = sv.parties.add(civil, "被告", new_enterprise=EnterpriseDraft("新疆甲贸易有限公司"))
        ids["entry"] = sv.timeline.record_stage(
            civil, StageDraft(ACCEPTED + timedelta(5), "审理中")
        )
        (trial,) = sv.deadlines.for_case(civil)  # 民诉法 第152条: 六个月审限
        ids["trial"] = trial.id
        ids["freeze"] = sv.property_measures.add(
            civil, PropertyMeasureDraft("冻结", "存款", ACCEPTED, description="基本账户存款",
                                        owner_party_id=owner, value_fen=50_000_000, organ="本院")
        )  # fmt: skip
        ids["draft"] = sv.suggestions.new_draft(civil, dm.JUDICIAL, "个案")
        ids["enforcement"] = sv.cases.create(
            CaseDraft("（2025）新01执1号", "执行", ACCEPTED, handler="王法官")
        ).id
        sv.parties.add(ids["enforcement"], "被执行人", new_person=PersonDraft("张三"))
        sv.enforcement.open_record(
            ids["enforcement"],
            EnforcementDraft("判决书", "（2024）新01民初9号", "乌鲁木齐市中级人民法院",
                             ACCEPTED - timedelta(days=60), 10_000_000),
        )  # fmt: skip
        ids["criminal"] = sv.cases.create(
            CaseDraft("（2025）新01刑初1号", "刑事", ACCEPTED, cause="合同诈骗罪", handler="王法官")
        ).id
        sv.parties.add(ids["criminal"], "犯罪嫌疑人", new_person=PersonDraft("李四"))
        sv.parties.add(
            ids["criminal"], "被告单位", new_enterprise=EnterpriseDraft("新疆乙有限公司")
        )
    finally:
        sv.close()
    return ids


@pytest.fixture(scope="module")
def court(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("court") / "court.sqlite3"
    return path, build_court(path)


@pytest.fixture
def sv(court: tuple[Path, dict[str, str]], tmp_path: Path) -> Iterator[Services]:
    services = Services.open(backup_sqlite(court[0], tmp_path / "casedesk.sqlite3"), "测试员")
    yield services
    services.close()


def sign_in(services: Services, login: str | None) -> None:
    services.accounts.sign_out()
    if login is not None:
        services.accounts.sign_in(login, ADMIN_PW if login == "admin" else PW)


# The cells of the table for the civil case (民二庭, 王法官): who may do each action on it.
# fmt: off
MAY: dict[str, set[str]] = {
    "case.edit":               {"wangfg", "zhoush"},            # 法发〔2015〕13号 第1条
    "case.assign":             {"chentz", "liuyz"},             # 院庭长 分案 (第24条)
    "case.delete":             {"chentz", "liuyz"},             # deletions by supervisors only
    "case.restore":            {"chentz", "liuyz"},
    "party.remove":            {"wangfg", "chentz", "liuyz"},
    "event.record":            {"wangfg", "zhoush"},
    "event.delete":            {"wangfg", "chentz", "liuyz"},
    "deadline.cancel":         {"wangfg", "chentz", "liuyz"},
    "deadline.restart":        {"wangfg"},                      # 刑诉法 第208条第2、3款
    "deadline.suspend":        {"chentz", "liuyz"},             # 法释〔2000〕29号 第9条, 审批
    "deadline.extend.approve": {"liuyz"},                       # 民诉法 第152条: 院长批准
    "measure.record":          {"wangfg", "zhoush"},
    "measure.release":         {"wangfg"},                      # the handler decides
    "suggestion.draft":        {"wangfg", "zhoush"},
    "suggestion.delete_draft": {"wangfg", "chentz", "liuyz"},
    "suggestion.finalise":     {"wangfg", "chentz", "liuyz"},   # 法释〔2023〕11号 第6、7条
    "suggestion.serve":        {"wangfg", "zhoush"},
    "document.output":         {"wangfg", "zhoush", "chentz", "liuyz"},
    "compliance.decide":       {"wangfg"},
    "enforcement.decide":      {"wangfg"},
    "credit.list":             {"wangfg"},                      # 失信规定: 院长签发, 承办人登记
    "stalled.supervise":       {"chentz", "liuyz"},             # law.md §9 挂牌督办
    "case.read":               {"wangfg", "zhaofg", "zhoush", "chentz", "liuyz"},
}
# fmt: on
ROWS = [(login, action, login in who) for action, who in MAY.items() for login in USERS]


@pytest.mark.parametrize(("login", "action", "allowed"), ROWS)
def test_refusals_per_role_and_action(
    sv: Services, court: tuple[Path, dict[str, str]], login: str, action: str, allowed: bool
) -> None:
    sign_in(sv, login)
    detail = sv.cases.get(court[1]["civil"])
    reason = detail.refusal(action)
    assert (action not in detail.refusals) is allowed
    if allowed:
        assert reason == ""
    else:  # the table's reason: the role refused, the action, and who may instead
        assert sv.identity.user is not None
        assert sv.identity.user.role_text in reason, reason
        assert PERMISSIONS[action].label in reason, reason
        assert who_may(action) in reason, reason
        assert re.search(r"[A-Za-z]", reason) is None, reason


def test_the_reason_for_a_colleague_names_the_case(sv: Services, court) -> None:  # type: ignore[no-untyped-def]
    sign_in(sv, "zhaofg")  # 赵法官 reads 王法官's case (same 庭) but does not work on it
    detail = sv.cases.get(court[1]["civil"])
    assert detail.refusal("case.edit") == (
        "承办人仅限于本人承办的案件：（2025）新01民初1号不是您承办的案件，"
        "无权修改案件信息；此项须由本案承办人或本部门书记员进行。"
    )


def may_on_civil(login: str, action: str) -> bool:
    """The table read by hand for the civil case: a grant reaching the unit (everyone here is
    of 民二庭) or the whole 院, or one for the handler's own cases held by 王法官."""
    scopes = [PERMISSIONS[action].grants.get(r) for r in USERS[login][2]]
    return any(s in (UNIT, ALL) or (s is OWN and login == "wangfg") for s in scopes)


@pytest.mark.parametrize("login", sorted(USERS))
def test_every_case_action_is_decided_and_no_other(sv: Services, court, login: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(sv, login)
    refusals = sv.cases.get(court[1]["civil"]).refusals
    assert not [a for a in refusals if a.startswith(NOT_CASE_ACTIONS)]
    assert set(refusals) == {a for a in case_actions() if not may_on_civil(login, a)}
    assert all(refusals.values())


def test_case_actions_leave_out_what_concerns_no_case() -> None:
    actions = case_actions()
    for action in ("case.edit", "event.record", "deadline.extend.approve", "document.output",
                   "stalled.close_off", "credit.delete"):  # fmt: skip
        assert action in actions
    for action in ("admin.users", "data.import", "data.export", "audit.verify", "list.export",
                   "subject.edit", "subject.read"):  # fmt: skip
        assert action not in actions
    assert list(actions) == [a for a in PERMISSIONS if a in actions]  # table order


def test_an_action_added_to_the_table_is_picked_up(  # type: ignore[no-untyped-def]
    sv: Services, court, monkeypatch: pytest.MonkeyPatch
) -> None:
    # e.g. the restores the recycle bin brings: whoever may delete a record may restore it
    rule = roles.Rule("恢复测试记录", {HANDLER: OWN, HEAD: UNIT}, (), "测试")
    monkeypatch.setitem(PERMISSIONS, "record.restore_test", rule)
    sign_in(sv, "zhoush")
    reason = sv.cases.get(court[1]["civil"]).refusal("record.restore_test")
    assert reason == "书记员无权恢复测试记录：此项须由本案承办人或本部门负责人进行。"
    sign_in(sv, "chentz")
    assert sv.cases.get(court[1]["civil"]).refusal("record.restore_test") == ""


def test_the_system_identity_is_refused_nothing(sv: Services, court) -> None:  # type: ignore[no-untyped-def]
    sign_in(sv, None)
    for key in ("civil", "enforcement", "criminal"):
        detail = sv.cases.get(court[1][key])
        assert dict(detail.refusals) == {}
        assert detail.refusal("deadline.extend.approve") == ""


def test_a_deleted_case_still_says_who_may_restore_it(sv: Services, court) -> None:  # type: ignore[no-untyped-def]
    sv.cases.delete(court[1]["civil"])  # as the system
    sign_in(sv, "wangfg")
    detail = sv.cases.get(court[1]["civil"])
    assert detail.deleted
    assert "本部门负责人或院领导" in detail.refusal("case.restore")
    sign_in(sv, "chentz")
    assert sv.cases.get(court[1]["civil"]).refusal("case.restore") == ""


def test_the_administrator_reads_no_case_at_all(sv: Services, court) -> None:  # type: ignore[no-untyped-def]
    sign_in(sv, "admin")  # GB/T 22239-2019 §8.1.4.2: no case contents for the administrator
    with pytest.raises(NotPermitted):
        sv.cases.get(court[1]["civil"])


def test_refusals_are_read_only(sv: Services, court) -> None:  # type: ignore[no-untyped-def]
    sign_in(sv, "zhoush")
    detail = sv.cases.get(court[1]["civil"])
    with pytest.raises(TypeError):
        detail.refusals["case.delete"] = ""  # type: ignore[index]
    hash(detail)  # a CaseDetail stays hashable
