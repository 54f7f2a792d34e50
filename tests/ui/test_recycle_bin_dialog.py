"""The recycle bin window (编辑 → 回收站…): lists what was deleted, restores what the user may
restore and says why not for the rest (issue 7, point 2: deletions are soft, restorable, only by
the roles allowed to — 法发〔2015〕13号 第24条; the clerk never deletes, 《人民法院书记员管理办法
（试行）》第2条)."""

from __future__ import annotations

from datetime import date

import pytest

from casedesk.domain import documents as dm
from casedesk.domain.drafts import CaseDraft, PersonDraft, StageDraft
from casedesk.domain.roles import CLERK
from casedesk.services.accounts import UserDraft
from casedesk.ui.bus import Bus
from casedesk.ui.cases.recycle_bin import RecycleBinDialog

PW = "Court#2026x"


@pytest.fixture
def deleted(services):  # type: ignore[no-untyped-def]
    """A case with a deleted stage entry, party and 建议书 draft, and a second, deleted case."""
    case_id = services.cases.create(
        CaseDraft("（2026）新01民初8号", "民事", date(2026, 9, 1), cause="买卖合同纠纷",
                  handler="王法官")
    ).id  # fmt: skip
    entry = services.timeline.record_stage(case_id, StageDraft(date(2026, 10, 9), "中止审理"))
    party = services.parties.add(case_id, "被告", new_person=PersonDraft("马被告"))
    draft = services.suggestions.new_draft(case_id, dm.JUDICIAL, "个案")
    services.timeline.remove_entry(entry)
    services.parties.remove(party)
    services.suggestions.delete_draft(draft)
    gone = services.cases.create(CaseDraft("（2026）新01民初9号", "民事", date(2026, 9, 2))).id
    services.cases.delete(gone)
    return case_id, gone


def rows(dialog: RecycleBinDialog) -> list[tuple[str, ...]]:
    model = dialog.model
    return [
        tuple(model.index(r, c).data() for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]


def select(dialog: RecycleBinDialog, kind_label: str) -> None:
    for r in range(dialog.model.rowCount()):
        if dialog.model.item(r).kind_label == kind_label:
            dialog.table.selectRow(r)
            return
    raise AssertionError(kind_label)


def test_the_model_passes_the_model_tester(qtmodeltester, qtbot, services, deleted) -> None:  # type: ignore[no-untyped-def]
    dialog = RecycleBinDialog(services, Bus())
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model, force_py=True)
    kinds = sorted(r[1] for r in rows(dialog))
    assert kinds == sorted(["时间线记录", "当事人", "建议书草稿", "案件"])
    assert dialog.count.text() == "共 4 项"


def test_restoring_puts_the_entry_back_and_tells_the_views(qtbot, services, deleted) -> None:  # type: ignore[no-untyped-def]
    case_id, _gone = deleted
    bus = Bus()
    dialog = RecycleBinDialog(services, bus, case_id)
    qtbot.addWidget(dialog)
    assert len(rows(dialog)) == 3  # this case's three records, not the other case
    select(dialog, "时间线记录")
    assert dialog.restore_button.isEnabled()
    with qtbot.waitSignal(bus.case_changed) as changed:
        dialog.restore_button.click()
    assert changed.args == [case_id]
    assert dialog.touched == {case_id}
    assert [r[1] for r in rows(dialog)].count("时间线记录") == 0
    assert services.cases.get(case_id).stage == "中止审理"


def test_the_filter_and_a_deleted_case(qtbot, services, deleted) -> None:  # type: ignore[no-untyped-def]
    _case_id, gone = deleted
    bus = Bus()
    dialog = RecycleBinDialog(services, bus)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("case"))
    assert [r[2] for r in rows(dialog)] == ["（2026）新01民初9号"]
    with qtbot.waitSignal(bus.cases_changed):
        dialog.restore_button.click()
    assert dialog.count.text() == "回收站中没有记录"
    assert not services.cases.get(gone).deleted


def test_a_clerk_without_a_unit_sees_nothing(qtbot, services, deleted) -> None:  # type: ignore[no-untyped-def]
    services.accounts.create_first_admin(UserDraft("admin", "系统管理员", "办公室"), "Guard#2026x")
    services.accounts.sign_in("admin", "Guard#2026x")
    services.accounts.create_user(UserDraft("zhoush", "周书记员", "", frozenset({CLERK})), PW)
    services.accounts.sign_out()
    services.accounts.sign_in("zhoush", PW)
    try:
        dialog = RecycleBinDialog(services, Bus())
        qtbot.addWidget(dialog)
        assert rows(dialog) == []  # a clerk without a unit reads no case
    finally:
        services.accounts.sign_out()


def test_a_clerk_of_the_unit_may_not_restore(qtbot, services, deleted) -> None:  # type: ignore[no-untyped-def]
    case_id, _gone = deleted
    services.accounts.create_first_admin(UserDraft("admin", "系统管理员", "办公室"), "Guard#2026x")
    services.accounts.sign_in("admin", "Guard#2026x")
    services.accounts.create_user(
        UserDraft("wangfg", "王法官", "民二庭", frozenset({"handler"})), PW
    )
    services.accounts.create_user(UserDraft("zhoush", "周书记员", "民二庭", frozenset({CLERK})), PW)
    services.accounts.sign_out()
    services.accounts.sign_in("zhoush", PW)
    try:
        dialog = RecycleBinDialog(services, Bus(), case_id)
        qtbot.addWidget(dialog)
        assert {r[5] for r in rows(dialog)} == {"无权恢复"}
        select(dialog, "当事人")
        assert not dialog.restore_button.isEnabled()
        assert "书记员无权恢复已移除的当事人" in dialog.reason.text()
        assert dialog.restore_button.toolTip() == dialog.reason.text()
        dialog.restore()  # the click cannot reach it; the call does nothing either
        assert len(rows(dialog)) == 3
    finally:
        services.accounts.sign_out()


def test_open_case_opens_it(qtbot, services, deleted) -> None:  # type: ignore[no-untyped-def]
    case_id, _gone = deleted
    bus = Bus()
    dialog = RecycleBinDialog(services, bus, case_id)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(bus.open_case) as opened:
        dialog.open_button.click()
    assert opened.args == [case_id]


def test_the_menu_opens_the_bin(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown = []
    monkeypatch.setattr(RecycleBinDialog, "exec", lambda self: shown.append(self) or 0)
    (action,) = [a for m in window.menuBar().actions() for a in m.menu().actions()
                 if a.text() == "回收站…"]  # fmt: skip
    assert action.isEnabled()
    action.trigger()
    assert len(shown) == 1


def test_the_case_page_opens_its_bin_and_shows_what_came_back(
    qtbot, services, deleted, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from casedesk.ui.cases.case_page import CasePage

    case_id, _gone = deleted
    page = CasePage(services, Bus(), case_id)
    qtbot.addWidget(page)
    assert "马被告" not in [p.name for p in page.detail.parties]

    def restore_the_party(dialog: RecycleBinDialog) -> int:
        assert dialog.case_id == case_id
        select(dialog, "当事人")
        dialog.restore()
        return 0

    monkeypatch.setattr(RecycleBinDialog, "exec", restore_the_party)
    page.bin_button.click()
    assert "马被告" in [p.name for p in page.detail.parties]
