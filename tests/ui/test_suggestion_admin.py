"""管理 → 建议书设置 and 建议书年度统计 (issue 6, points 7 and 8): a number pattern and the
wording blocks saved per unit and kind through the dialog; a pattern without the year, a bad
placeholder or a pattern with a field no one fills refused at the field with nothing saved
(GB/T 9704—2012 7.2.4: 发文字号 = 机关代字、年份、发文顺序号, the year in 〔〕); the annual
statistics of suggestions made through the services, shown and exported to a readable .xlsx."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from casedesk.domain import documents as dm
from casedesk.domain.doc_templates import CLOSING, DEFAULT_WORDING, OPENING, REPLY
from casedesk.domain.drafts import CaseDraft, EnterpriseDraft
from casedesk.ui.admin.suggestion_settings_dialog import SuggestionSettingsDialog
from casedesk.ui.qt import QMessageBox
from casedesk.ui.suggestions.statistics_dialog import COLUMNS, StatisticsDialog, StatisticsModel
from tests.ui.conftest import type_text

TODAY = date.today()
COURT = "乌鲁木齐市中级人民法院"  # 新01 in the court code table
PROCURATORATE = "乌鲁木齐市人民检察院"
AUTHORITY = "乌鲁木齐市住房和城乡建设局"
FIRM = "新疆丝路建设工程有限公司"
YEAR = TODAY.year


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


@pytest.fixture(autouse=True)
def no_message_boxes(monkeypatch):  # type: ignore[no-untyped-def]
    """A question no test expects fails the test instead of waiting for a click."""

    def unexpected(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError(f"unexpected message box: {args[1:3]}")

    for name in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, unexpected)


@pytest.fixture
def dialog(qtbot, services):  # type: ignore[no-untyped-def]
    """The dialog on a desk whose cases are the 新01 court's (offered first)."""
    services.cases.create(CaseDraft("（2025）新01民初77号", "民事", ago(200)))
    d = SuggestionSettingsDialog(services)
    qtbot.addWidget(d)
    d.show()
    return d


def choose(d: SuggestionSettingsDialog, unit: str, kind: str) -> None:
    d.unit.setCurrentText(unit)
    d.switch()
    d.kind.setCurrentIndex(d.kind.findData(kind))


def test_the_court_is_offered_with_its_default_pattern_and_wording(dialog) -> None:  # type: ignore[no-untyped-def]
    assert dialog.unit.currentText() == COURT and dialog.kind.currentData() == dm.JUDICIAL
    assert dialog.pattern.text() == "新01法建〔{year}〕{n}号"
    assert dialog.message("pattern") == f"例：新01法建〔{YEAR}〕1号"
    assert dialog.blocks[REPLY].toPlainText() == DEFAULT_WORDING[dm.JUDICIAL].reply
    for name in ("案号", "当事人", "主送单位", "发文单位"):  # the placeholders are listed
        assert "{{" + name + "}}" in dialog.placeholders.text()


def test_pattern_template_and_unit_names_saved(qtbot, dialog, services) -> None:  # type: ignore[no-untyped-def]
    type_text(dialog.procuratorate, PROCURATORATE)
    choose(dialog, PROCURATORATE, dm.PROCURATORIAL)
    assert dialog.pattern.text() == ""  # a procuratorate's abbreviation is in no table
    type_text(dialog.pattern, "乌检民建〔{year}〕{n}号")
    assert dialog.message("pattern") == f"例：乌检民建〔{YEAR}〕1号"
    dialog.blocks[REPLY].setPlainText("请于两个月内书面回复本院。")
    dialog.blocks[CLOSING].setPlainText("特此建议。联系人：{{承办人}}")
    dialog.save()
    assert dialog.result() == 1 and not dialog.isVisible()  # accepted
    view = services.suggestions.pattern(PROCURATORATE, dm.PROCURATORIAL)
    assert view.saved and view.pattern == "乌检民建〔{year}〕{n}号"
    wording = services.suggestions.template(PROCURATORATE, dm.PROCURATORIAL)
    assert wording.saved and wording.reply == "请于两个月内书面回复本院。"
    assert wording.closing == "特此建议。联系人：{{承办人}}"
    assert wording.opening == DEFAULT_WORDING[dm.PROCURATORIAL].opening  # unchanged, kept
    assert services.suggestions.unit_names().procuratorate == PROCURATORATE
    # the court's default pattern was not touched
    assert not services.suggestions.pattern(COURT, dm.JUDICIAL).saved


@pytest.mark.parametrize(
    ("field", "text", "says"),
    [
        # GB/T 9704—2012 7.2.4: the year is part of the number, in 六角括号
        ("pattern", "乌检民建{n}号", "{year}"),
        ("pattern", "乌检民建（{year}）{n}号", "六角括号"),
        ("pattern", "乌检民建〔{year}〕号", "{n}"),
        ("pattern", "{abbr}检民建〔{year}〕{n}号", "{abbr}"),
        ("pattern", "", "请填写编号格式"),
        (OPENING, "本院在办理{{法官}}一案中", "{{法官}}"),
        (OPENING, "本院在办理{{案号}一案中", "花括号"),
        (REPLY, "", "回复要求"),
    ],
)
def test_bad_input_refused_at_the_field_nothing_saved(dialog, services, field, text, says) -> None:  # type: ignore[no-untyped-def]
    type_text(dialog.procuratorate, PROCURATORATE)  # would be saved with the rest
    choose(dialog, PROCURATORATE, dm.PROCURATORIAL)
    type_text(dialog.pattern, "乌检民建〔{year}〕{n}号")
    if field == "pattern":
        dialog.pattern.clear()
        if text:
            type_text(dialog.pattern, text)
        assert says in dialog.message("pattern")  # as typed
    else:
        dialog.blocks[field].setPlainText(text)
    dialog.save()
    assert says in dialog.message(field)
    assert dialog.isVisible() and dialog.result() == 0
    assert not services.suggestions.pattern(PROCURATORATE, dm.PROCURATORIAL).saved
    assert not services.suggestions.template(PROCURATORATE, dm.PROCURATORIAL).saved
    assert services.suggestions.unit_names().procuratorate == ""


def test_switching_kind_with_unsaved_edits_asks(dialog, services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.pop(0))
    dialog.pattern.clear()
    type_text(dialog.pattern, "新01法司建〔{year}〕{n}号")
    dialog.kind.setCurrentIndex(dialog.kind.findData(dm.NOTICE))  # 取消: stays, edit kept
    assert dialog.kind.currentData() == dm.JUDICIAL
    assert dialog.pattern.text() == "新01法司建〔{year}〕{n}号"
    dialog.kind.setCurrentIndex(dialog.kind.findData(dm.NOTICE))  # 保存: saved, then switched
    assert services.suggestions.pattern(COURT, dm.JUDICIAL).pattern == "新01法司建〔{year}〕{n}号"
    assert dialog.kind.currentData() == dm.NOTICE
    assert dialog.pattern.text() == "新01补告〔{year}〕{n}号"


def test_the_admin_menu_opens_both(window) -> None:  # type: ignore[no-untyped-def]
    admin = next(a.menu() for a in window.menuBar().actions() if a.text() == "管理(&M)")
    texts = [a.text() for a in admin.actions()]
    assert "建议书设置…" in texts and "建议书年度统计…" in texts


# -- statistics ------------------------------------------------------------------------------------
def made(services, case_id: str, kind: str, subtype: str, signed: date) -> str:  # type: ignore[no-untyped-def]
    sid = services.suggestions.new_draft(case_id, kind, subtype, recipient=AUTHORITY)
    view = services.suggestions.get(sid)
    blocks = tuple(dm.Block(b.kind, b.text or "加强工程款支付监管") for b in view.blocks)
    draft = dataclasses.replace(view.draft, blocks=blocks, signed_on=signed)
    services.suggestions.save_draft(sid, view.version, draft)
    return sid


@pytest.fixture
def year_of_suggestions(services) -> int:  # type: ignore[no-untyped-def]
    """Two 司法建议书 (one served and adopted), one 检察建议书 served, one draft (not counted)."""
    signed = ago(20)
    case = services.cases.create(
        CaseDraft("（2025）新01民初77号", "民事", ago(200), cause="建设工程施工合同纠纷")
    )
    services.parties.add(case.id, "原告", new_enterprise=EnterpriseDraft(FIRM))
    services.suggestions.set_unit_names("", PROCURATORATE)
    services.suggestions.set_pattern(PROCURATORATE, dm.PROCURATORIAL, "乌检民建〔{year}〕{n}号")
    a = made(services, case.id, dm.JUDICIAL, "个案", signed)
    b = made(services, case.id, dm.JUDICIAL, "类案", signed)
    c = made(services, case.id, dm.PROCURATORIAL, "社会治理检察建议", signed)
    made(services, case.id, dm.JUDICIAL, "个案", signed)  # stays a draft
    for sid in (a, b, c):
        services.suggestions.finalise(sid)
    for sid in (a, c):
        services.suggestions.serve(sid, "直接送达", ago(19), "张科长")
    services.suggestions.record_reply(a, ago(10), "已建立工程款支付监管制度", "采纳")
    return signed.year


def figures(model: StatisticsModel) -> dict[str, list[str]]:
    return {
        f"{model.index(r, 0).data()}/{model.index(r, 1).data()}": [
            model.index(r, c).data() for c in range(2, model.columnCount())
        ]
        for r in range(model.rowCount())
    }


def test_statistics_show_the_year(qtbot, services, year_of_suggestions) -> None:  # type: ignore[no-untyped-def]
    d = StatisticsDialog(services, year=year_of_suggestions)
    qtbot.addWidget(d)
    d.show()
    assert [title for title, *_ in COLUMNS][2:7] == ["发出", "送达", "已回复", "其中逾期回复",
                                                     "逾期未回复"]  # fmt: skip
    #          发出 送达 回复 逾期回复 逾期未回复 采纳 部分 未采纳 回复率
    assert figures(d.model) == {
        f"{COURT}/{dm.JUDICIAL}": ["2", "1", "1", "0", "0", "1", "0", "0", "100%"],
        f"{PROCURATORATE}/{dm.PROCURATORIAL}": ["1", "1", "0", "0", "0", "0", "0", "0", "0%"],
        "合计/": ["3", "2", "1", "0", "0", "1", "0", "0", "50%"],
    }
    assert "共发出 3 件" in d.status.text()
    d.year.setCurrentIndex(d.year.findData(year_of_suggestions - 1))  # a year without any
    assert figures(d.model) == {"合计/": ["0"] * 8 + ["—"]}


def test_statistics_export_a_readable_xlsx(qtbot, services, year_of_suggestions, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    d = StatisticsDialog(services, year=year_of_suggestions)
    qtbot.addWidget(d)
    d.show()
    path = tmp_path / "统计.xlsx"
    d.export(path)
    qtbot.waitUntil(lambda: "已导出" in d.status.text(), timeout=10_000)
    assert "3 行" in d.status.text()
    ws = load_workbook(path).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert f"{year_of_suggestions}年度建议书统计" in rows[0][0]
    header = next(r for r in rows if r[0] == "发文单位")
    assert header == [title for title, *_ in COLUMNS]
    by_unit = {(r[0], r[1] or ""): r[2:10] for r in rows[rows.index(header) + 1 :]}
    assert by_unit[COURT, dm.JUDICIAL] == [2, 1, 1, 0, 0, 1, 0, 0]  # real numbers, not text
    assert by_unit["合计", ""] == [3, 2, 1, 0, 0, 1, 0, 0]


def test_statistics_model_passes_the_model_tester(
    qtmodeltester, services, year_of_suggestions
) -> None:  # type: ignore[no-untyped-def]
    model = StatisticsModel()
    model.set_statistics(services.suggestions.statistics(year_of_suggestions))
    qtmodeltester.check(model, force_py=True)
    model.set_statistics(services.suggestions.statistics(year_of_suggestions - 1))
    qtmodeltester.check(model, force_py=True)
