"""The case page shows up front what the signed-in user may do (issue 7, point 2): a button whose
action the permission table refuses on the case is disabled, its tooltip giving the table's
reason (the role refused, and who may instead); a button the state disables stays disabled for
everyone; the page applies the table again when it re-reads the case. The services' own checks
are tested in tests/test_permissions.py; the table's cells in tests/test_case_refusals.py.

Who may, for a case of 民二庭 handled by 王法官 (the table, casedesk/domain/roles.py):
书记员 registers, records, drafts and serves (《人民法院书记员管理办法（试行）》第2条); 承办人
works on their own cases only (法发〔2015〕13号 第1条); 部门负责人 supervises — deletes, 审限扣除,
定稿 (同上 第24条); 院领导 alone approves an extension (民诉法 第152条). A handler of another
unit cannot read the case at all, so has no page to look at (tests/test_permissions.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from casedesk.domain.roles import PERMISSIONS, who_may
from casedesk.services.app import Services
from casedesk.store.backup import backup_sqlite
from casedesk.ui.bus import Bus
from casedesk.ui.cases.case_page import (
    TAB_COMPLIANCE,
    TAB_DEADLINES,
    TAB_ENFORCEMENT,
    TAB_MEASURES,
    TAB_SUGGESTIONS,
    CasePage,
)
from casedesk.ui.qt import QWidget
from tests.test_case_refusals import USERS, build_court, sign_in

HANDLER, COLLEAGUE, CLERK, HEAD, LEADER = "wangfg", "zhaofg", "zhoush", "chentz", "liuyz"
ALL_READERS = {HANDLER, CLERK, HEAD, LEADER}

Get = Callable[[CasePage], QWidget]
# (button, how to find it on the page, its action, who may press it)
# fmt: off
CIVIL: list[tuple[str, Get, str, set[str]]] = [
    ("删除案件", lambda p: p.delete_button, "case.delete", {HEAD, LEADER}),
    ("添加当事人", lambda p: p.parties.add_button, "case.edit", {HANDLER, CLERK}),
    ("移除当事人", lambda p: p.parties.remove_button, "party.remove", {HANDLER, HEAD, LEADER}),
    ("记录阶段变更", lambda p: p.timeline.record_button, "event.record", {HANDLER, CLERK}),
    ("更正日期", lambda p: p.timeline.move_button, "event.record", {HANDLER, CLERK}),
    ("删除时间线记录", lambda p: p.timeline.remove_button, "event.delete",
     {HANDLER, HEAD, LEADER}),
    ("记录期限事件", lambda p: p.deadlines.record_button, "event.record", {HANDLER, CLERK}),
    ("期限完成", lambda p: p.deadlines.buttons["meet"], "event.record", {HANDLER, CLERK}),
    ("延长审限", lambda p: p.deadlines.buttons["extend"], "deadline.extend.approve", {LEADER}),
    ("审限扣除", lambda p: p.deadlines.buttons["suspend"], "deadline.suspend", {HEAD, LEADER}),
    ("重新计算", lambda p: p.deadlines.buttons["restart"], "deadline.restart", {HANDLER}),
    ("撤销期限", lambda p: p.deadlines.buttons["cancel"], "deadline.cancel",
     {HANDLER, HEAD, LEADER}),
    ("新增财产措施", lambda p: p.measures.add_property_button, "measure.record",
     {HANDLER, CLERK}),
    ("修改财产措施", lambda p: p.measures.edit_property_button, "measure.record",
     {HANDLER, CLERK}),
    ("解除财产措施", lambda p: p.measures.release_button, "measure.release", {HANDLER}),
    ("新建建议书", lambda p: p.suggestions.new_button, "suggestion.draft", {HANDLER, CLERK}),
    ("编辑建议书", lambda p: p.suggestions.buttons["edit"], "suggestion.draft",
     {HANDLER, CLERK}),
    ("定稿", lambda p: p.suggestions.buttons["finalise"], "suggestion.finalise",
     {HANDLER, HEAD, LEADER}),
    ("导出DOCX", lambda p: p.suggestions.buttons["docx"], "document.output", ALL_READERS),
    ("打印", lambda p: p.suggestions.buttons["print"], "document.output", ALL_READERS),
    ("删除草稿", lambda p: p.suggestions.buttons["delete"], "suggestion.delete_draft",
     {HANDLER, HEAD, LEADER}),
]
ENFORCEMENT: list[tuple[str, Get, str, set[str]]] = [
    ("修改执行依据", lambda p: p.enforcement.record_button, "enforcement.record",
     {HANDLER, CLERK}),
    ("终结本次执行", lambda p: p.enforcement.terminate_button, "enforcement.decide", {HANDLER}),
    ("登记到位款", lambda p: p.enforcement.payment_button, "enforcement.record",
     {HANDLER, CLERK}),
    ("登记执行措施", lambda p: p.enforcement.action_button, "enforcement.record",
     {HANDLER, CLERK}),
    ("纳入失信名单", lambda p: p.enforcement.list_button, "credit.list", {HANDLER}),
    ("限制消费令", lambda p: p.enforcement.ban_button, "credit.list", {HANDLER}),
]
CRIMINAL: list[tuple[str, Get, str, set[str]]] = [
    ("启动合规考察", lambda p: p.compliance.start_button, "compliance.decide", {HANDLER}),
    ("新增人身措施", lambda p: p.measures.add_personal_button, "measure.record",
     {HANDLER, CLERK}),
]
# fmt: on


@pytest.fixture(scope="module")
def court(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("court") / "court.sqlite3"
    return path, build_court(path)


@pytest.fixture
def sv(court: tuple[Path, dict[str, str]], tmp_path: Path) -> Iterator[Services]:
    services = Services.open(backup_sqlite(court[0], tmp_path / "casedesk.sqlite3"), "测试员")
    yield services
    services.close()


@pytest.fixture
def ids(court: tuple[Path, dict[str, str]]) -> dict[str, str]:
    return court[1]


def open_page(qtbot, sv: Services, case_id: str) -> CasePage:  # type: ignore[no-untyped-def]
    page = CasePage(sv, Bus(), case_id)
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    return page


def civil_page(qtbot, sv: Services, ids: dict[str, str]) -> CasePage:  # type: ignore[no-untyped-def]
    """The civil case with its 审限, its freeze and its suggestion draft selected."""
    page = open_page(qtbot, sv, ids["civil"])
    page.show_deadline(ids["trial"])
    assert page.deadlines.current() is not None
    assert page.show_measure(ids["freeze"])
    page.tabs.setCurrentIndex(TAB_SUGGESTIONS)
    assert page.suggestions.current_id() == ids["draft"]
    return page


def check(page: CasePage, rows: list[tuple[str, Get, str, set[str]]], login: str) -> None:
    user = USERS[login]
    for name, get, action, may in rows:
        button = get(page)
        assert button.isEnabled() is (login in may), f"{user[0]}: {name}"
        if login in may:
            assert button.toolTip() == "", name
        else:  # the reason: this role may not do this action; who may instead
            tip = button.toolTip()
            assert "承办人" in tip or "书记员" in tip or "负责人" in tip or "院领导" in tip, tip
            assert PERMISSIONS[action].label in tip and who_may(action) in tip, (name, tip)
            assert button.statusTip() == tip


LOGINS = [HANDLER, COLLEAGUE, CLERK, HEAD, LEADER]


@pytest.mark.parametrize("login", LOGINS)
def test_civil_case_buttons_per_role(qtbot, sv, ids, login: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(sv, login)
    check(civil_page(qtbot, sv, ids), CIVIL, login)


@pytest.mark.parametrize("login", LOGINS)
def test_enforcement_case_buttons_per_role(qtbot, sv, ids, login: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(sv, login)
    page = open_page(qtbot, sv, ids["enforcement"])
    page.tabs.setCurrentIndex(TAB_ENFORCEMENT)
    assert page.enforcement.view is not None
    check(page, ENFORCEMENT, login)


@pytest.mark.parametrize("login", LOGINS)
def test_criminal_case_buttons_per_role(qtbot, sv, ids, login: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(sv, login)
    page = open_page(qtbot, sv, ids["criminal"])
    page.tabs.setCurrentIndex(TAB_COMPLIANCE)
    page.tabs.setCurrentIndex(TAB_MEASURES)
    check(page, CRIMINAL, login)


# (login, the fields but the handler editable, the handler editable) — case.edit, case.assign
FIELDS = [(HANDLER, True, False), (COLLEAGUE, False, False), (CLERK, True, False),
          (HEAD, False, True), (LEADER, False, True)]  # fmt: skip


@pytest.mark.parametrize(("login", "fields", "handler"), FIELDS)
def test_basic_information_is_read_only_where_refused(  # type: ignore[no-untyped-def]
    qtbot, sv, ids, login: str, fields: bool, handler: bool
) -> None:
    sign_in(sv, login)
    page = open_page(qtbot, sv, ids["civil"])
    form = page.form
    assert form.cause.isReadOnly() is not fields
    assert form.notes.isReadOnly() is not fields
    assert form.family.isEnabled() is fields
    assert form.accepted_on.isEnabled() is fields
    assert all(box.isEnabled() is fields for box in form.tag_boxes.values())
    assert form.handler.isEnabled() is handler
    # the page says so once, above the tabs, when the basic information is read-only
    assert page.read_only_banner.isVisible() is not fields
    if not fields:
        assert "无权修改案件信息" in form.cause.toolTip()
        assert form.cause.toolTip() in page.read_only_banner.text()
    if not handler:
        assert "无权指定或变更承办人" in form.handler.toolTip()
    # saving: offered once something changed, to whoever may edit or assign
    form.cause.setText("借款合同纠纷")
    assert form.is_dirty()
    assert page.save_button.isEnabled() is (fields or handler)
    if not (fields or handler):
        assert "无权修改案件信息" in page.save_button.toolTip()


def test_state_still_decides_for_whoever_may(qtbot, sv, ids) -> None:  # type: ignore[no-untyped-def]
    sign_in(sv, HANDLER)
    page = open_page(qtbot, sv, ids["civil"])
    page.tabs.setCurrentIndex(TAB_DEADLINES)
    page.deadlines.table.clearSelection()
    cancel = page.deadlines.buttons["cancel"]
    assert not cancel.isEnabled() and cancel.toolTip() == ""  # nothing selected, no reason
    page.show_deadline(ids["trial"])
    assert cancel.isEnabled()
    page.tabs.setCurrentIndex(TAB_SUGGESTIONS)
    serve = page.suggestions.buttons["serve"]
    assert not serve.isEnabled() and serve.toolTip() == ""  # a draft is served once final


def test_the_page_applies_the_table_again_when_it_rereads_the_case(qtbot, sv, ids) -> None:  # type: ignore[no-untyped-def]
    sign_in(sv, CLERK)
    page = civil_page(qtbot, sv, ids)
    finalise = page.suggestions.buttons["finalise"]
    assert not page.delete_button.isEnabled() and not finalise.isEnabled()
    assert "书记员无权删除案件" in page.delete_button.toolTip()
    sign_in(sv, HEAD)  # after the idle lock, another user signs in at the same desk
    page.reload()
    page.suggestions.ensure_loaded()
    assert page.delete_button.isEnabled() and page.delete_button.toolTip() == ""
    assert finalise.isEnabled() and finalise.toolTip() == ""
    assert not page.parties.add_button.isEnabled()  # the head supervises, does not edit
    assert page.form.cause.isReadOnly()


def test_only_a_supervisor_is_offered_to_restore_a_deleted_case(qtbot, sv, ids) -> None:  # type: ignore[no-untyped-def]
    sv.cases.delete(ids["civil"])  # as the system
    for login, may in ((HANDLER, False), (HEAD, True)):
        sign_in(sv, login)
        page = open_page(qtbot, sv, ids["civil"])
        assert page.restore_button.isVisible()
        assert page.restore_button.isEnabled() is may
        assert ("本部门负责人或院领导" in page.restore_button.toolTip()) is not may
        assert not page.delete_button.isEnabled()


def test_nobody_signed_in_is_refused_nothing(qtbot, sv, ids) -> None:  # type: ignore[no-untyped-def]
    sign_in(sv, None)  # the system: command line, maintenance, the other UI tests
    page = civil_page(qtbot, sv, ids)
    for name, get, _action, _may in CIVIL:
        assert get(page).isEnabled(), name
        assert get(page).toolTip() == "", name
