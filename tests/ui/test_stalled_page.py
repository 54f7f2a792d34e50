"""The 挂案 page: the ledger read from the services with counts in the tab title, 挂牌督办 and
销号 through their dialogs (bad input refused at the field, nothing saved), the status filter,
and the .xlsx export. Thresholds: 《关于公安机关办理经济犯罪案件的若干规定》第25条 (law.md §9)
— a criminal case against an enterprise with no measure, 2 years after filing, is flagged."""

from __future__ import annotations

from datetime import date, timedelta

import openpyxl
import pytest
from sqlalchemy import func, select

from casedesk.domain.drafts import CaseDraft, EnterpriseDraft, PersonDraft
from casedesk.domain.stalled import CLOSED_OFF, PENDING, SUPERVISED, SupervisionDraft
from casedesk.store.models import AuditRecord, StalledSupervision
from casedesk.ui.cases.case_page import TAB_MEASURES, CasePage
from casedesk.ui.main_window import STALLED_TAB
from casedesk.ui.measure_lists.table import ALERT_FOREGROUND, MUTED
from casedesk.ui.qt import QApplication, QFileDialog, QMessageBox, Qt, QTimer
from casedesk.ui.stalled.dialogs import CloseOffDialog, SupervisionDialog
from casedesk.ui.stalled.page import LEDGER_FIELDS
from tests.ui.conftest import type_text

TODAY = date.today()
NUMBER = "（2023）新01刑初88号"


@pytest.fixture
def stalled_case(services):  # type: ignore[no-untyped-def]
    """A fraud case against an enterprise accepted on 10 Jan 2023 with no measure ever taken:
    2 years after filing it is a 挂案 (第25条第1款第2项)."""
    case_id = services.cases.create(
        CaseDraft(NUMBER, "刑事", date(2023, 1, 10), cause="合同诈骗罪", handler="王磊")
    ).id
    services.parties.add(case_id, "犯罪嫌疑单位",
                         new_enterprise=EnterpriseDraft("新疆昆仑贸易有限公司"))  # fmt: skip
    services.parties.add(case_id, "犯罪嫌疑人", new_person=PersonDraft("赵某"))
    return case_id


def shown(qtbot, window):  # type: ignore[no-untyped-def]
    window.tabs.setCurrentIndex(STALLED_TAB)
    page = window.stalled
    qtbot.waitUntil(lambda: not page.busy() and page.loaded, timeout=10_000)
    return page


def row_of(page, case_id: str):  # type: ignore[no-untyped-def]
    return next(r for r in page.model.rows() if r.case_id == case_id)


def supervisions(services) -> int:  # type: ignore[no-untyped-def]
    with services.db.session() as s:
        return s.scalar(select(func.count()).select_from(StalledSupervision)) or 0


def audits(services) -> int:  # type: ignore[no-untyped-def]
    with services.db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditRecord)) or 0


def supervise(services, case_id: str) -> str:  # type: ignore[no-untyped-def]
    start, due = TODAY - timedelta(10), TODAY + timedelta(20)
    draft = SupervisionDraft(
        "乌鲁木齐市人民检察院", "乌鲁木齐市公安局经侦支队", start, due, "依法处理"
    )
    return services.stalled.supervise(case_id, draft)


# == the ledger ==================================================================================
def test_ledger_lists_flagged_cases_with_counts_in_the_tab_title(
    qtbot, window, stalled_case
) -> None:  # type: ignore[no-untyped-def]
    assert window.tabs.tabText(STALLED_TAB) == "挂案"  # not read before it is shown
    page = shown(qtbot, window)
    # the sample criminal case (2022, 被告单位 an enterprise) and this one: both pending
    assert sorted(r.case_number for r in page.model.rows()) == ["（2022）新01刑初7号", NUMBER]
    assert window.tabs.tabText(STALLED_TAB) == "挂案（待督办 2）"
    row = row_of(page, stalled_case)
    n = page.model.rows().index(row)
    cells = [page.model.index(n, c).data() for c in range(len(LEDGER_FIELDS))]
    assert cells[:6] == [
        NUMBER,
        "合同诈骗罪",
        "王磊",
        "新疆昆仑贸易有限公司、赵某",
        "立案侦查",
        "2023-01-10",
    ]
    assert cells[6] == "立案已满二年未采取强制措施"  # in full in the tooltip
    assert page.model.index(n, 6).data(Qt.ItemDataRole.ToolTipRole) == row.threshold_label
    assert row.threshold_label.startswith("立案已满二年未采取强制措施，")
    assert cells[7] == str((TODAY - date(2023, 1, 10)).days) and cells[8] == PENDING
    assert page.model.index(n, 8).data(Qt.ItemDataRole.ForegroundRole) == ALERT_FOREGROUND
    assert "待督办 <b>2</b> 件，督办中 0 件，已销号 0 件" in page.summary.text()
    assert not page.supervise_button.isEnabled()  # nothing selected
    page.table.selectRow(n)
    assert page.supervise_button.isEnabled() and not page.close_off_button.isEnabled()
    assert page.detail.text().startswith(f"{NUMBER}：立案已满二年")


def test_ledger_model_passes_the_model_tester(
    qtbot, qtmodeltester, window, services, stalled_case
) -> None:  # type: ignore[no-untyped-def]
    supervise(services, stalled_case)
    page = shown(qtbot, window)
    qtmodeltester.check(page.model, force_py=True)
    page.set_status(SUPERVISED)
    page.table.sortByColumn(7, Qt.SortOrder.AscendingOrder)
    page.set_status("")
    assert page.model.rowCount() == 2


def test_double_click_opens_the_case(qtbot, window, stalled_case) -> None:  # type: ignore[no-untyped-def]
    page = shown(qtbot, window)
    n = page.model.rows().index(row_of(page, stalled_case))
    page.table.doubleClicked.emit(page.model.index(n, 0))
    case_page = window.tabs.currentWidget()
    assert isinstance(case_page, CasePage) and case_page.case_id == stalled_case
    assert case_page.tabs.currentIndex() == TAB_MEASURES


# == 挂牌督办 ====================================================================================
def test_supervise_through_the_dialog_from_the_page(qtbot, window, services, stalled_case) -> None:  # type: ignore[no-untyped-def]
    page = shown(qtbot, window)
    page.select_case(stalled_case)
    seen: list[str] = []

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SupervisionDialog)
        seen.append(dialog.windowTitle())
        type_text(dialog.supervising_unit, "乌鲁木齐市人民检察院")
        type_text(dialog.responsible_unit, "乌鲁木齐市公安局经侦支队")
        dialog.due_on.line.setText((TODAY + timedelta(30)).isoformat())
        type_text(dialog.instructions, "三十日内依法移送审查起诉或者撤销案件")
        dialog.save()

    QTimer.singleShot(0, fill)
    page.supervise_button.click()
    assert seen == ["挂牌督办"]
    qtbot.waitUntil(lambda: not page.busy(), timeout=10_000)
    row = row_of(page, stalled_case)
    assert (row.status, row.supervising_unit, row.supervision_due) == (
        SUPERVISED, "乌鲁木齐市人民检察院", TODAY + timedelta(30))  # fmt: skip
    assert row.instructions == "三十日内依法移送审查起诉或者撤销案件"
    assert page.table.selected_row() == row  # the case stays selected
    assert page.close_off_button.isEnabled() and not page.supervise_button.isEnabled()
    assert window.tabs.tabText(STALLED_TAB) == "挂案（待督办 1，督办中 1）"
    latest = services.cases.history(stalled_case)[0]  # audited on the case
    assert latest.label == f"挂牌督办 {NUMBER}"


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        pytest.param({}, {"supervising_unit": "请填写督办单位",
                          "responsible_unit": "请填写责任单位", "due_on": "请填写督办期限"},
                     id="empty"),
        pytest.param({"due_on": "2020-01-01"}, {"due_on": f"督办期限不能早于督办日期 {TODAY}"},
                     id="due-before-start"),
        pytest.param({"started_on": "2099-01-01", "due_on": "2099-02-01"},
                     {"started_on": "督办日期不能晚于今天"}, id="start-in-future"),
        pytest.param({"due_on": "2026-02-30"}, {"due_on": None}, id="not-a-date"),
    ],
)  # fmt: skip
def test_supervision_bad_input_is_refused_at_the_field(
    qtbot, services, stalled_case, monkeypatch, fields, errors
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: pytest.fail("no box expected"))
    row = services.stalled.flag_for_case(stalled_case)
    dialog = SupervisionDialog(services, row)
    qtbot.addWidget(dialog)
    if fields:
        dialog.supervising_unit.setText("乌鲁木齐市人民检察院")
        dialog.responsible_unit.setText("乌鲁木齐市公安局经侦支队")
    for name, text in fields.items():
        getattr(dialog, name).line.setText(text)
    before = (supervisions(services), audits(services))
    dialog.save()
    assert dialog.result() == 0 and dialog.supervision_id == ""
    for name, message in errors.items():
        assert (
            dialog.grid.message(name) if message is None else (dialog.grid.message(name) == message)
        )
    assert (supervisions(services), audits(services)) == before


# == 销号 ========================================================================================
def test_close_off_through_the_dialog(qtbot, window, services, stalled_case, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: pytest.fail("no box expected"))
    supervise(services, stalled_case)
    page = shown(qtbot, window)
    page.select_case(stalled_case)
    row = page.table.selected_row()
    assert row.status == SUPERVISED and page.close_off_button.isEnabled()
    dialog = CloseOffDialog(services, row, page)
    qtbot.addWidget(dialog)
    # nothing chosen, no document: refused at the fields, nothing saved
    before = audits(services)
    dialog.save()
    assert dialog.grid.message("outcome").startswith("请选择办结方式")
    assert dialog.grid.message("document") == "销号须附证明文书"
    dialog.closed_on.line.setText((TODAY - timedelta(30)).isoformat())  # before the supervision
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("撤案"))
    type_text(dialog.document, "乌公（经）撤案字〔2026〕12号撤销案件决定书")
    dialog.save()
    assert dialog.grid.message("closed_on") == f"销号日期不能早于督办日期 {TODAY - timedelta(10)}"
    assert dialog.result() == 0 and audits(services) == before
    assert services.stalled.flag_for_case(stalled_case).status == SUPERVISED
    dialog.closed_on.line.setText(TODAY.isoformat())
    dialog.save()
    assert dialog.result() == 1
    closed = services.stalled.flag_for_case(stalled_case)
    assert (closed.status, closed.closed_on, closed.outcome) == (CLOSED_OFF, TODAY, "撤案")
    page.reload()
    qtbot.waitUntil(lambda: not page.busy(), timeout=10_000)
    row = row_of(page, stalled_case)
    assert row.status == CLOSED_OFF and row.close_document.startswith("乌公（经）撤案字")
    n = page.model.rows().index(row)
    assert page.model.index(n, 0).data(Qt.ItemDataRole.ForegroundRole) == MUTED
    assert page.model.index(n, 12).data() == TODAY.isoformat()
    assert window.tabs.tabText(STALLED_TAB) == "挂案（待督办 1）"


def test_status_filter(qtbot, window, services, stalled_case) -> None:  # type: ignore[no-untyped-def]
    supervise(services, stalled_case)
    page = shown(qtbot, window)
    page.set_status(PENDING)
    assert [r.case_number for r in page.model.rows()] == ["（2022）新01刑初7号"]
    assert "当前显示 1 件" in page.summary.text()
    page.set_status(SUPERVISED)
    assert [r.case_number for r in page.model.rows()] == [NUMBER]
    page.set_status(CLOSED_OFF)
    assert page.model.rowCount() == 0
    page.set_status("")
    assert page.model.rowCount() == 2 and "当前显示" not in page.summary.text()


# == export ======================================================================================
def test_export_writes_the_ledger_to_xlsx(
    qtbot, window, services, stalled_case, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    supervise(services, stalled_case)
    page = shown(qtbot, window)
    page.set_status(SUPERVISED)
    out = tmp_path / "挂案台账.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    page.export_button.click()
    qtbot.waitUntil(lambda: "已导出" in page.export_status.text(), timeout=10_000)
    assert page.export_status.text() == f"已导出 1 行到 {out}"
    values = list(openpyxl.load_workbook(out).active.values)
    assert values[0][0] == "挂案台账（督办中）"
    header = list(values[2])
    row = dict(zip(header, values[3], strict=True))
    assert (row["案号"], row["状态"], row["督办单位"]) == (
        NUMBER,
        SUPERVISED,
        "乌鲁木齐市人民检察院",
    )
    assert row["立案日"].date() == date(2023, 1, 10) and len(values) == 4
