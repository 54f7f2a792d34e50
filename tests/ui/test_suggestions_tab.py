"""The 建议书 tab and page (issue 6, points 2, 6 and 7): a draft made through the dialog, its
body edited as blocks and saved with its version (another desk's save first is refused in
Chinese), the preview the model's text, finalising giving a number (refused with what is
missing), export to DOCX and PDF, service starting the two-month reply clock on the board
(《关于综合治理类司法建议工作若干问题的规定》第8条), the reply, 催办 and 回访, the ledger page
opening the case, and the tables passing the model tester."""

from __future__ import annotations

import dataclasses
import importlib.util
from datetime import date, timedelta
from pathlib import Path

import pytest

from casedesk.domain import documents as dm
from casedesk.domain.drafts import CaseDraft, EnterpriseDraft
from casedesk.services.suggestions_dto import DRAFT, FINAL, OVERDUE, REPLIED, SERVED
from casedesk.ui.bus import Bus
from casedesk.ui.cases.case_page import TAB_SUGGESTIONS, CasePage
from casedesk.ui.qt import QMessageBox
from casedesk.ui.suggestions import export
from casedesk.ui.suggestions.dialogs import EntryDialog, NewDialog, ReplyDialog, ServeDialog
from casedesk.ui.suggestions.editor import EditorDialog
from casedesk.ui.suggestions.tab import SuggestionsTab
from tests.ui.conftest import type_text

TODAY = date.today()
FIRM = "新疆丝路建设工程有限公司"
AUTHORITY = "乌鲁木齐市住房和城乡建设局"
RENDERERS = all(
    importlib.util.find_spec(m) is not None
    for m in ("casedesk.export.document_docx", "casedesk.export.document_pdf")
)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


@pytest.fixture
def case_id(services):  # type: ignore[no-untyped-def]
    case = services.cases.create(
        CaseDraft("（2025）新01民初77号", "民事", ago(200), cause="建设工程施工合同纠纷",
                  handler="王法官")
    )  # fmt: skip
    services.parties.add(case.id, "原告", new_enterprise=EnterpriseDraft(FIRM))
    return case.id


@pytest.fixture
def yes(monkeypatch):  # type: ignore[no-untyped-def]
    """Every confirmation answered 是; warnings collected instead of shown."""
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: said.append(text))
    return said


def open_tab(qtbot, services, case_id: str) -> SuggestionsTab:  # type: ignore[no-untyped-def]
    page = CasePage(services, Bus(), case_id)
    qtbot.addWidget(page)
    page.resize(1400, 860)
    page.show()
    page.tabs.setCurrentIndex(TAB_SUGGESTIONS)
    return page.suggestions


def drafted(services, case_id: str) -> str:  # type: ignore[no-untyped-def]
    """A 司法建议书 draft made ready to finalise through the services."""
    sid = services.suggestions.new_draft(case_id, dm.JUDICIAL, "个案", recipient=AUTHORITY)
    view = services.suggestions.get(sid)
    blocks = tuple(dm.Block(b.kind, b.text or "加强工程款支付监管") for b in view.blocks)
    draft = dataclasses.replace(view.draft, blocks=blocks, signed_on=ago(100))
    services.suggestions.save_draft(sid, view.version, draft)
    return sid


def test_the_tab_is_on_every_family(qtbot, services, case_id):  # type: ignore[no-untyped-def]
    criminal = services.cases.create(CaseDraft("（2025）新01刑初5号", "刑事", ago(9))).id
    for cid in (case_id, criminal):
        tab = open_tab(qtbot, services, cid)
        page = tab.parentWidget().parentWidget().parentWidget()
        assert page.tabs.isTabVisible(TAB_SUGGESTIONS)
        assert page.tabs.tabText(TAB_SUGGESTIONS) == "建议书"
        assert tab.empty.isVisible() and not tab.buttons["edit"].isEnabled()


def test_new_draft_edit_blocks_and_save(qtbot, services, case_id, monkeypatch, yes):  # type: ignore[no-untyped-def]
    tab = open_tab(qtbot, services, case_id)

    def new(dialog: NewDialog) -> int:
        dialog.save()  # no kind: refused at the field, nothing saved
        assert dialog.message("kind") == "请选择文书种类"
        dialog.kind.setCurrentIndex(dialog.kind.findData(dm.JUDICIAL))
        dialog.save()
        assert "类别" in dialog.message("subtype")
        dialog.subtype.setCurrentIndex(dialog.subtype.findData("个案"))
        type_text(dialog.recipient.line, AUTHORITY)
        dialog.save()
        return dialog.result()

    seen: dict[str, str] = {}

    def edit(dialog: EditorDialog) -> int:
        blocks = dialog.blocks
        P, IT, H = dm.PARAGRAPH, dm.ITEM, dm.HEADING
        assert [b.kind for b in blocks.value()] == [P, P, P, IT, P]
        assert FIRM in blocks.value()[0].text  # the opening filled from the case
        blocks.list.setCurrentRow(1)
        blocks.set_current_text("经查，第一句\n第二句")  # Enter: a new paragraph
        assert [b.text for b in blocks.value()[1:3]] == ["经查，第一句", "第二句"]
        assert blocks.current() == 2
        blocks.list.setCurrentRow(4)
        blocks.set_current_text("规范工程款支付")  # the empty item
        blocks.add_block(IT)
        type_text(blocks.text, "建立农民工工资专用账户")
        blocks.list.setCurrentRow(0)
        blocks.add_block(H, "存在的问题")
        blocks.move_current(-1)  # to the top
        assert blocks.current() == 0 and not blocks.up_button.isEnabled()
        blocks.add_block(P)
        blocks.remove_current()
        assert [b.kind for b in blocks.value()] == [H, P, P, P, P, IT, IT, P]
        labels = blocks.labels()
        assert labels[0] == "一、存在的问题" and labels[6] == "　　2. 建立农民工工资专用账户"
        dialog.signed_on.set_value(ago(300))  # before the case was received
        dialog.save()
        assert "收案日期" in dialog.message("signed_on")
        dialog.signed_on.set_value(ago(10))
        assert "可以定稿" in dialog.readiness.text()
        seen["preview"] = dialog.preview.toPlainText()
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(NewDialog, "exec", new)
    monkeypatch.setattr(EditorDialog, "exec", edit)
    assert tab.new()
    view = tab.current()
    assert view.state == DRAFT and view.recipient == AUTHORITY and view.version == 2
    doc = services.suggestions.document(view.id, preview=True)
    assert seen["preview"] == dm.plain_text(doc) == tab.preview.toPlainText()
    assert "一、存在的问题" in seen["preview"] and "2. 建立农民工工资专用账户" in seen["preview"]
    assert view.signed_on == ago(10)
    assert tab.list.model.text(0, 1) == "草稿" and tab.list.model.text(0, 3) == DRAFT


def test_a_save_after_another_desk_is_refused(qtbot, services, case_id, monkeypatch, yes):  # type: ignore[no-untyped-def]
    sid = drafted(services, case_id)
    tab = open_tab(qtbot, services, case_id)
    before = services.suggestions.get(sid)

    def edit(dialog: EditorDialog) -> int:
        other = dataclasses.replace(before.draft, contact="李书记员 0991-1234567")
        services.suggestions.save_draft(sid, before.version, other)  # the other desk
        dialog.subject.setText("改了事由")
        dialog.save()
        assert dialog.isVisible() or dialog.result() != dialog.DialogCode.Accepted
        return dialog.result()

    monkeypatch.setattr(EditorDialog, "exec", edit)
    assert not tab.edit()
    assert yes == ["该建议书已被他人修改，请刷新后重新编辑"]
    after = services.suggestions.get(sid)
    assert after.subject == before.subject and after.contact == "李书记员 0991-1234567"


def test_finalise_refused_then_numbered(qtbot, services, case_id, yes):  # type: ignore[no-untyped-def]
    sid = services.suggestions.new_draft(case_id, dm.JUDICIAL, "个案")
    tab = open_tab(qtbot, services, case_id)
    assert not tab.finalise()  # no recipient, an empty item, no date
    assert "尚不能定稿" in yes[0] and "主送单位" in yes[0] and "成文日期" in yes[0]
    assert services.suggestions.get(sid).state == DRAFT
    sid = drafted(services, case_id)
    tab.reload(sid)
    assert tab.buttons["finalise"].isEnabled() and not tab.buttons["serve"].isEnabled()
    assert tab.finalise()
    view = tab.current()
    assert view.state == FINAL and view.number == "新01法建〔" + str(ago(100).year) + "〕1号"
    assert tab.status.text() == f"已定稿，编号 {view.number}"
    assert not tab.buttons["edit"].isEnabled() and tab.buttons["serve"].isEnabled()
    assert view.number in tab.preview.toPlainText()


@pytest.mark.skipif(not RENDERERS, reason="the document renderers are not there yet")
@pytest.mark.parametrize("fmt", [export.DOCX, export.PDF])
def test_export_both_formats(qtbot, services, case_id, tmp_path, monkeypatch, yes, fmt):  # type: ignore[no-untyped-def]
    sid = drafted(services, case_id)
    number = services.suggestions.finalise(sid)
    tab = open_tab(qtbot, services, case_id)
    offered = []
    monkeypatch.setattr(export, "offer_open", lambda _parent, report: offered.append(report))
    asked = []

    def save_name(_parent, _title, suggested, _filter):  # type: ignore[no-untyped-def]
        asked.append(suggested)
        return str(tmp_path / "out"), ""  # the suffix is added

    monkeypatch.setattr(export.QFileDialog, "getSaveFileName", save_name)
    assert tab.export(fmt)
    qtbot.waitUntil(lambda: "已导出" in tab.status.text(), timeout=30_000)
    out = tmp_path / f"out.{fmt}"
    assert Path(asked[0]).name == f"{number}.{fmt}"
    assert out.exists() and out.stat().st_size > 0
    assert offered[0].path == out and str(out) in tab.status.text()
    exported = [e for e in services.cases.history(case_id) if e.action == "export"]
    assert len(exported) == 1 and number in exported[0].label and str(out) in exported[0].label
    assert yes == []


def test_export_refused_while_placeholders_remain(qtbot, services, case_id, yes):  # type: ignore[no-untyped-def]
    sid = services.suggestions.new_draft(case_id, dm.JUDICIAL, "个案", recipient=AUTHORITY)
    view = services.suggestions.get(sid)
    blocks = (*view.blocks, dm.Block(dm.PARAGRAPH, "结案于{{结案日期}}"))
    draft = dataclasses.replace(view.draft, blocks=blocks)
    services.suggestions.save_draft(sid, view.version, draft)
    tab = open_tab(qtbot, services, case_id)
    assert "{{结案日期}}" in tab.facts.text()
    assert not tab.export(export.PDF)
    assert "尚不能导出" in yes[0] and "{{结案日期}}" in yes[0]


def test_export_report_names_the_replaced_faces() -> None:
    from casedesk.export.output import ExportReport

    text = export.report_text(ExportReport(Path("/tmp/a.pdf"), 2, ("仿宋 → 文泉驿微米黑",)))
    assert text.startswith("已导出 2 页：/tmp/a.pdf") and "· 仿宋 → 文泉驿微米黑" in text


def test_serve_reply_remind_and_revisit(qtbot, services, case_id, monkeypatch, yes):  # type: ignore[no-untyped-def]
    sid = drafted(services, case_id)
    services.suggestions.finalise(sid)
    tab = open_tab(qtbot, services, case_id)
    changed = []
    tab.changed.connect(lambda: changed.append(1))

    def serve(dialog: ServeDialog) -> int:
        dialog.way.setCurrentIndex(dialog.way.findData("直接送达"))
        dialog.on.set_value(ago(70))
        dialog.save()  # no receiver: refused at the field
        assert "签收人" in dialog.message("receiver")
        type_text(dialog.receiver, "张科长")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(ServeDialog, "exec", serve)
    assert tab.serve() and changed == [1]
    view = tab.current()
    assert view.state == OVERDUE and view.served_on == ago(70)  # two months have passed
    board = services.deadlines.board(everything=True)
    assert view.reply_deadline_id in {i.deadline_id for i in board.items}
    assert "已逾期" in tab.facts.text() and tab.list.model.text(0, 3) == OVERDUE

    def remind(dialog: EntryDialog) -> int:
        dialog.on.set_value(ago(1))
        type_text(dialog.note, "电话催办")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(EntryDialog, "exec", remind)
    assert tab.entry("催办")
    assert tab.entries.model.text(0, 1) == "催办" and tab.entries.model.text(0, 2) == "电话催办"

    def reply(dialog: ReplyDialog) -> int:
        dialog.on.set_value(ago(1))
        dialog.save()
        assert dialog.message("summary") == "请填写回复内容摘要"
        dialog.summary.setPlainText("已建立专用账户")
        dialog.adoption.setCurrentIndex(dialog.adoption.findData("采纳"))
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(ReplyDialog, "exec", reply)
    assert tab.reply() and changed == [1, 1]
    view = tab.current()
    assert view.state == REPLIED and view.adoption == "采纳" and view.replied_on == ago(1)
    assert "逾期回复" in tab.facts.text()
    assert not tab.buttons["reply"].isEnabled() and tab.buttons["revisit"].isEnabled()

    def revisit(dialog: EntryDialog) -> int:
        dialog.save()
        assert dialog.message("note") == "请写明回访情况"
        type_text(dialog.note, "整改到位")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(EntryDialog, "exec", revisit)
    assert tab.entry("回访")
    assert [e.kind for e in tab.current().entries] == ["催办", "回访"]
    assert yes == []


def test_served_clock_is_on_the_board(qtbot, services, case_id):  # type: ignore[no-untyped-def]
    sid = drafted(services, case_id)
    services.suggestions.finalise(sid)
    services.suggestions.serve(sid, "邮寄送达", ago(5), "收发室")
    tab = open_tab(qtbot, services, case_id)
    view = tab.current()
    assert view.state == SERVED and view.reply_due_on is not None
    assert tab.list.model.text(0, 5) == str(view.reply_due_on)
    board = services.deadlines.board(everything=True)
    item = next(i for i in board.items if i.deadline_id == view.reply_deadline_id)
    assert item.case_id == case_id


def test_delete_a_draft(qtbot, services, case_id, yes):  # type: ignore[no-untyped-def]
    services.suggestions.new_draft(case_id, dm.OPINION)
    tab = open_tab(qtbot, services, case_id)
    assert tab.buttons["delete"].isEnabled()
    assert tab.delete()
    assert services.suggestions.for_case(case_id) == [] and tab.empty.isVisible()


def test_tables_pass_the_model_tester(qtbot, qtmodeltester, services, case_id):  # type: ignore[no-untyped-def]
    sid = drafted(services, case_id)
    services.suggestions.finalise(sid)
    services.suggestions.serve(sid, "直接送达", ago(5), "张科长")
    services.suggestions.remind(sid, ago(1), "电话")
    services.suggestions.new_draft(case_id, dm.JUDICIAL, "类案")
    tab = open_tab(qtbot, services, case_id)
    assert tab.list.model.rowCount() == 2
    tab.list.table.select_id(sid)
    assert tab.entries.model.rowCount() == 1
    for section in (tab.list, tab.entries):
        qtmodeltester.check(section.model)


def test_the_ledger_page_shows_the_row_and_opens_the_case(  # type: ignore[no-untyped-def]
    qtbot, qtmodeltester, window, services, case_id, tmp_path
):
    import openpyxl

    from casedesk.ui.main_window import SUGGESTIONS_TAB
    from casedesk.ui.measure_lists.table import ALERT_BACKGROUND
    from casedesk.ui.qt import Qt
    from casedesk.ui.suggestions.lists import SUGGESTIONS

    sid = drafted(services, case_id)
    number = services.suggestions.finalise(sid)
    services.suggestions.serve(sid, "直接送达", ago(70), "张科长")
    services.suggestions.new_draft(case_id, dm.JUDICIAL, "类案")
    window.tabs.setCurrentIndex(SUGGESTIONS_TAB)
    assert window.tabs.tabText(SUGGESTIONS_TAB) == "建议书"
    page = window.suggestion_list
    qtbot.waitUntil(lambda: not page.busy() and page.count(SUGGESTIONS) == 2)
    model = page.models[SUGGESTIONS]
    qtmodeltester.check(model)
    row = next(r for r in range(2) if model.index(r, 1).data() == number)
    assert model.index(row, 3).data() == AUTHORITY
    assert model.index(row, 4).data() == "（2025）新01民初77号"
    assert model.index(row, 5).data() == OVERDUE
    assert model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) == ALERT_BACKGROUND
    assert model.index(1 - row, 1).data() == "草稿"
    assert "<b>1</b> 件逾期未回复" in page.summary.text()
    out = tmp_path / "ledger.xlsx"
    page.export(out)
    qtbot.waitUntil(lambda: "已导出" in page.status.text(), timeout=10_000)
    sheet = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert sheet[0][0] == "建议书台账一览" and sheet[2][:2] == ("种类", "编号")
    assert len(sheet) == 3 + 2
    page.views[SUGGESTIONS].doubleClicked.emit(model.index(row, 1))
    case_page = window.tabs.currentWidget()
    assert case_page.case_id == case_id and case_page.tabs.currentIndex() == TAB_SUGGESTIONS
    assert case_page.suggestions.list.model.rowCount() == 2
