"""The 强制措施 page (persons in custody, property under seizure by case and by enterprise,
超标的), the enterprise page's 被查扣冻财产, the 强制措施设置 dialog, and the main window's fixed
tabs. Data is made through the services; the page reads it off the UI thread."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select

from casedesk.domain.drafts import CaseDraft, EnterpriseDraft, PersonDraft
from casedesk.domain.measures import CustodyReviewDraft, PersonalMeasureDraft, PropertyMeasureDraft
from casedesk.services.measure_dto import (
    CustodyRow,
    MeasureSettings,
    SeizedByCase,
    SeizedByEnterprise,
    SeizureCheck,
)
from casedesk.store.models import AuditRecord
from casedesk.ui.cases.case_page import TAB_MEASURES, CasePage
from casedesk.ui.enterprises.enterprise_page import TAB_SEIZED, EnterprisePage
from casedesk.ui.main_window import LIST_TABS, MEASURES_TAB, STALLED_TAB
from casedesk.ui.measure_lists.lists import BY_CASE, BY_ENTERPRISE, CUSTODY, LISTS, OVERSEIZED
from casedesk.ui.measure_lists.table import ALERT_BACKGROUND, ALERT_FOREGROUND, RecordsModel
from casedesk.ui.qt import QFileDialog, QMessageBox, QModelIndex, Qt, QTabBar

TODAY = date.today()


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def freeze(owner: str, value_fen: int | None, start: date, **kw) -> PropertyMeasureDraft:  # type: ignore[no-untyped-def]
    values = {"kind": "冻结", "object_kind": "存款", "start_on": start, "owner_party_id": owner,
              "description": "中国工商银行乌鲁木齐分行账户 6222 0000 1111", "value_fen": value_fen,
              "organ": "乌鲁木齐市中级人民法院", "organ_kind": "人民法院",
              "document_no": "（2026）新01执1号之一"}  # fmt: skip
    return PropertyMeasureDraft(**(values | kw))


@pytest.fixture
def measures(services):  # type: ignore[no-untyped-def]
    """An enforcement case seizing far more than its claim (超标的) from an enterprise, one within
    limits, and two persons in custody: 甲 arrested 100 days ago and never reviewed (over the
    default interval of 60 days), 乙 arrested 10 days ago."""
    sv = services
    over = sv.cases.create(CaseDraft("（2026）新01执5号", "执行", ago(120), handler="李娜",
                                     amount_fen=100_000_000)).id  # fmt: skip
    tianshan = sv.parties.add(over, "被执行人",
                              new_enterprise=EnterpriseDraft("新疆天山建设有限公司"))  # fmt: skip
    sv.property_measures.add(over, freeze(tianshan, 200_000_000, ago(30)))
    sv.property_measures.add(over, freeze(tianshan, 50_000_000, ago(20), kind="查封",
                                          object_kind="不动产", description="乌鲁木齐市厂房一处",
                                          live_use=True, live_use_note="允许继续生产"))  # fmt: skip
    fine = sv.cases.create(CaseDraft("（2026）新01执6号", "执行", ago(100), handler="张强",
                                     amount_fen=100_000_000)).id  # fmt: skip
    logistics = sv.parties.add(fine, "被执行人", new_enterprise=EnterpriseDraft("天山物流有限公司"))
    sv.property_measures.add(fine, freeze(logistics, 10_000_000, ago(15)))
    criminal = sv.cases.create(CaseDraft("（2026）新01刑初9号", "刑事", ago(200))).id
    jia = sv.parties.add(criminal, "犯罪嫌疑人", new_person=PersonDraft("甲某"))
    yi = sv.parties.add(criminal, "犯罪嫌疑人", new_person=PersonDraft("乙某"))
    jia_m = sv.personal_measures.add(criminal, PersonalMeasureDraft("逮捕", jia, ago(100)))
    yi_m = sv.personal_measures.add(criminal, PersonalMeasureDraft("逮捕", yi, ago(10)))
    return {"over": over, "fine": fine, "criminal": criminal, "jia": jia_m, "yi": yi_m,
            "tianshan": sv.cases.get(over).parties[0].subject_id}  # fmt: skip


def shown_page(qtbot, window):  # type: ignore[no-untyped-def]
    window.tabs.setCurrentIndex(MEASURES_TAB)
    page = window.measure_lists
    qtbot.waitUntil(lambda: not page.busy(), timeout=10_000)
    return page


def texts(model: RecordsModel, column: int) -> list[str]:
    return [model.index(r, column).data() for r in range(model.rowCount())]


# == the main window ===========================================================================
def test_fixed_tabs_and_the_settings_menu(window) -> None:  # type: ignore[no-untyped-def]
    assert LIST_TABS == 8
    names = [window.tabs.tabText(i) for i in range(LIST_TABS)]
    assert names[:2] == ["案件", "企业"] and names[2].startswith("期限")
    assert names[3:] == ["强制措施", "挂案", "合规考察", "执行", "建议书"]
    assert (MEASURES_TAB, STALLED_TAB) == (3, 4)
    bar = window.tabs.tabBar()
    assert all(bar.tabButton(i, QTabBar.ButtonPosition.RightSide) is None
               for i in range(LIST_TABS))  # fmt: skip
    assert window.close_tab(MEASURES_TAB) is False and window.tabs.count() == LIST_TABS
    page = window.open_case(window.case_list.model.open_id_at(0))
    assert window.pages() == [page]  # opened pages follow the fixed tabs
    admin = next(a.menu() for a in window.menuBar().actions() if a.text() == "管理(&M)")
    assert "强制措施设置…" in [a.text() for a in admin.actions()]


def test_lists_are_not_read_until_the_page_is_shown(window) -> None:  # type: ignore[no-untyped-def]
    page = window.measure_lists
    assert not page.busy() and page.count(CUSTODY) == 0
    assert page.selector.tabText(0) == "在押人员"


# == the four lists ============================================================================
def test_lists_show_the_services_rows_with_counts(qtbot, window, measures) -> None:  # type: ignore[no-untyped-def]
    page = shown_page(qtbot, window)
    assert [page.selector.tabText(i) for i in range(4)] == [
        "在押人员（2）",
        "查扣冻财产·按案件（2）",
        "查扣冻财产·按企业（2）",
        "超标的（1）",
    ]

    custody = page.models[CUSTODY]
    assert texts(custody, 1) == ["甲某", "乙某"]  # longest without review first
    assert texts(custody, 5) == ["未审查", "未审查"] and texts(custody, 6) == ["100", "10"]
    # 甲 is past the 60-day interval: the row stands out, and the days in red
    assert custody.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) == ALERT_BACKGROUND
    assert custody.index(0, 6).data(Qt.ItemDataRole.ForegroundRole) == ALERT_FOREGROUND
    assert custody.index(1, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert "在押 2 人，其中 <b>1</b> 人超过 60 日" in page.summary.text()

    by_case = page.models[BY_CASE]
    assert texts(by_case, 0) == ["（2026）新01执5号", "（2026）新01执6号"]  # most value first
    assert texts(by_case, 4) == ["2,500,000.00", "100,000.00"] and texts(by_case, 6)[0] == "1"
    by_enterprise = page.models[BY_ENTERPRISE]
    assert texts(by_enterprise, 0) == ["新疆天山建设有限公司", "天山物流有限公司"]

    over = page.models[OVERSEIZED]
    # 2,500,000 against a claim of 1,000,000 (no costs): 2.5 times, 1,500,000 over
    assert [over.index(0, c).data() for c in range(6)] == [
        "（2026）新01执5号", "2,500,000.00", "1,000,000.00", "0.00", "2.50", "1,500,000.00",
    ]  # fmt: skip
    page.show_list(OVERSEIZED)
    assert page.stack.currentWidget() is page.views[OVERSEIZED]
    assert "<b>1</b> 件案件超标的" in page.summary.text() and "× 1.2" in page.summary.text()
    assert not page.unreviewed.isVisible()


def test_only_unreviewed_filter_uses_the_administrators_interval(
    qtbot, window, services, measures
) -> None:  # type: ignore[no-untyped-def]
    page = shown_page(qtbot, window)
    assert page.unreviewed.isVisible() and page.unreviewed.text() == "仅显示超过 60 天未审查"
    page.unreviewed.setChecked(True)
    assert texts(page.models[CUSTODY], 1) == ["甲某"]
    assert "当前显示 1 人" in page.summary.text()
    assert page.selector.tabText(0) == "在押人员（2）"  # the count is of everyone in custody
    # a review of 甲 today: no one is overdue any more
    services.custody_reviews.add(measures["jia"], CustodyReviewDraft("依职权", TODAY))
    window.bus.case_changed.emit(measures["criminal"])
    assert page.busy()  # a burst of notifications is read once, shortly after
    qtbot.waitUntil(lambda: not page.busy(), timeout=10_000)
    assert texts(page.models[CUSTODY], 1) == []
    page.unreviewed.setChecked(False)
    assert sorted(texts(page.models[CUSTODY], 5)) == sorted([TODAY.isoformat(), "未审查"])


def test_a_new_measure_elsewhere_refreshes_the_list_when_shown_again(
    qtbot, window, services, measures
) -> None:  # type: ignore[no-untyped-def]
    page = shown_page(qtbot, window)
    window.tabs.setCurrentIndex(0)
    fine_owner = services.cases.get(measures["fine"]).parties[0].id
    services.property_measures.add(measures["fine"], freeze(fine_owner, 200_000_000, ago(2)))
    window.bus.case_changed.emit(measures["fine"])
    assert not page.busy()  # hidden: nothing is read until the page is shown
    page = shown_page(qtbot, window)
    assert page.selector.tabText(3) == "超标的（2）"


def test_sorting_by_a_column_sorts_by_value(qtbot, window, measures) -> None:  # type: ignore[no-untyped-def]
    page = shown_page(qtbot, window)
    view, model = page.views[BY_CASE], page.models[BY_CASE]
    view.sortByColumn(4, Qt.SortOrder.AscendingOrder)  # 在控价值: numbers, not text
    assert texts(model, 4) == ["100,000.00", "2,500,000.00"]
    view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert texts(model, 0) == ["（2026）新01执6号", "（2026）新01执5号"]


def test_double_click_opens_the_case_at_its_measures_tab(qtbot, window, measures) -> None:  # type: ignore[no-untyped-def]
    page = shown_page(qtbot, window)
    view = page.views[CUSTODY]
    view.doubleClicked.emit(page.models[CUSTODY].index(0, 1))
    case_page = window.tabs.currentWidget()
    assert isinstance(case_page, CasePage) and case_page.case_id == measures["criminal"]
    assert case_page.tabs.currentIndex() == TAB_MEASURES

    window.tabs.setCurrentIndex(MEASURES_TAB)
    page.show_list(BY_ENTERPRISE)
    view = page.views[BY_ENTERPRISE]
    view.doubleClicked.emit(page.models[BY_ENTERPRISE].index(0, 0))
    enterprise = window.tabs.currentWidget()
    assert isinstance(enterprise, EnterprisePage)
    assert enterprise.enterprise_id == measures["tianshan"]


@pytest.mark.parametrize("key", [CUSTODY, BY_CASE, BY_ENTERPRISE, OVERSEIZED])
def test_each_list_exports_a_readable_xlsx(
    qtbot, window, measures, tmp_path, monkeypatch, key
) -> None:  # type: ignore[no-untyped-def]
    page = shown_page(qtbot, window)
    page.show_list(key)
    out = tmp_path / "list"  # the suffix is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    page.export_button.click()
    qtbot.waitUntil(lambda: "已导出" in page.status.text(), timeout=10_000)
    model = page.models[key]
    assert page.status.text() == f"已导出 {model.rowCount()} 行到 {out}.xlsx"
    sheet = openpyxl.load_workbook(out.with_suffix(".xlsx")).active
    values = list(sheet.iter_rows(values_only=True))
    spec = next(s for s in LISTS if s.key == key)
    assert values[0][0] == f"{spec.label}一览"
    assert list(values[2]) == [f.title for f in spec.fields]
    assert len(values) == 3 + model.rowCount()
    first = values[3]
    if key == OVERSEIZED:  # amounts stay numbers in yuan
        assert first[0] == "（2026）新01执5号" and first[1] == 2_500_000 and first[5] == 1_500_000
    if key == CUSTODY:
        assert first[1] == "甲某" and first[3].date() == ago(100) and first[6] == 100
    # issue 7, point 3: an export is audited with the file and the rows
    with window.services.db.session() as s:
        label, changes = s.execute(
            select(AuditRecord.label, AuditRecord.changes).where(AuditRecord.action == "export")
        ).one()
    assert spec.label in label and f"{out}.xlsx" in changes
    assert json.loads(changes)["rows"] == [None, model.rowCount()]


def test_export_of_the_filtered_custody_list(qtbot, window, measures, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = shown_page(qtbot, window)
    page.unreviewed.setChecked(True)
    page.export(tmp_path / "overdue.xlsx")
    qtbot.waitUntil(lambda: "已导出" in page.status.text(), timeout=10_000)
    values = list(openpyxl.load_workbook(tmp_path / "overdue.xlsx").active.values)
    assert "仅超过审查间隔未审查的" in values[0][0] and len(values) == 4


# == models ====================================================================================
FABRICATED = {
    CUSTODY: [
        CustodyRow("m1", "c1", "（2026）新01刑初1号", "p1", "王某", "逮捕", date(2026, 1, 5), 90,
                   None, 90, True, "逮捕后侦查羁押期限", date(2026, 3, 5)),
        CustodyRow("m2", "c2", "（2026）新01刑初2号", "p2", "李某", "拘留", date(2026, 3, 1), 3,
                   date(2026, 3, 2), 2, False, "", None),
    ],
    BY_CASE: [
        SeizedByCase("c1", "（2026）新01执1号", "李娜", "甲公司、乙", 2, 1_000_000, 1, 0, 1, None),
        SeizedByCase("c2", "（2026）新01执2号", "", "", 1, 50, 0, 1, 0, date(2027, 1, 1)),
    ],
    BY_ENTERPRISE: [
        SeizedByEnterprise("e1", "甲公司", "914403001922038216", 2, 3, 999, 1, 0, None),
    ],
    OVERSEIZED: [
        SeizureCheck("c1", "（2026）新01执1号", 300, None, 0, Decimal("1.2"), True, 100, 0, "说明"),
        SeizureCheck("c2", "（2026）新01执2号", 300, 100, 50, Decimal("1.2"), True, 150, 2, "说明"),
    ],
}  # fmt: skip


@pytest.mark.parametrize("spec", LISTS, ids=[s.key for s in LISTS])
def test_list_models_pass_the_model_tester(qtmodeltester, spec) -> None:  # type: ignore[no-untyped-def]
    model = RecordsModel(spec.fields, spec.id_of, spec.look)
    model.set_rows(FABRICATED[spec.key])
    qtmodeltester.check(model, force_py=True)  # and again after each change below
    for column in range(model.columnCount()):
        model.sort(column, Qt.SortOrder.DescendingOrder)
    model.set_filter(lambda r: False)
    assert model.rowCount() == 0
    model.set_filter(lambda r: True)
    model.set_rows([])
    model.set_rows(FABRICATED[spec.key])
    assert model.rowCount() == len(FABRICATED[spec.key])
    assert model.data(model.index(0, 99)) is None and model.rowCount(model.index(0, 0)) == 0
    assert model.index(0, 0).data(Qt.ItemDataRole.UserRole) == spec.id_of(model.row_at(0))
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags


def test_blank_values_read_as_words(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    custody = next(s for s in LISTS if s.key == CUSTODY)
    model = RecordsModel(custody.fields, custody.id_of, custody.look)
    model.set_rows(FABRICATED[CUSTODY])
    assert [model.index(0, c).data() for c in (5, 8)] == ["未审查", "2026-03-05"]
    over = next(s for s in LISTS if s.key == OVERSEIZED)
    model = RecordsModel(over.fields, over.id_of, over.look)
    model.set_rows(FABRICATED[OVERSEIZED])
    # no claim recorded: no ratio to show; 300 against 100 + 50 is 2 times
    assert [model.index(r, 2).data() for r in (0, 1)] == ["未登记", "1.00"]
    assert [model.index(r, 4).data() for r in (0, 1)] == ["", "2.00"]


# == enterprise page ===========================================================================
def test_enterprise_page_lists_what_was_seized_from_it(qtbot, window, services, measures) -> None:  # type: ignore[no-untyped-def]
    from casedesk.domain.measures import ReleaseDraft

    pm = services.property_measures
    owner = services.cases.get(measures["over"]).parties[0].id
    # a deposit freeze of 400 days ago (1 year, 民诉法解释 第485条) lapsed without renewal
    lapsed = pm.add(measures["over"], freeze(owner, 7_000_000, ago(400), description="旧账户"))
    released = pm.add(measures["over"], freeze(owner, 3_000_000, ago(40), description="已解除"))
    pm.release(released, ReleaseDraft(ago(5), reason="案外人异议成立"))
    page = window.open_enterprise(measures["tianshan"])
    assert page.sections.tabText(TAB_SEIZED) == "被查扣冻财产（在控 2 项）"
    model = page.seized.model
    assert model.rowCount() == 4
    statuses = texts(model, 7)
    assert statuses[:2] == ["在控", "在控"] and "已失效" in statuses
    assert f"已解除（{ago(5)}）" in statuses
    row = statuses.index("已失效")
    assert model.index(row, 7).data(Qt.ItemDataRole.ForegroundRole) == ALERT_FOREGROUND
    assert model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) == ALERT_BACKGROUND
    assert model.index(row, 4).data() == "0.00"  # a lapsed measure holds nothing
    assert "在控价值合计 <b>2,500,000.00</b> 元（在控 2 项；已失效 <b>1</b> 项；已解除 1 项）" in (
        page.seized.total.text()
    )
    assert texts(model, 8)[texts(model, 1).index("查封")] == "是：允许继续生产"
    page.seized.table.doubleClicked.emit(model.index(row, 0))
    case_page = window.tabs.currentWidget()
    assert isinstance(case_page, CasePage) and case_page.case_id == measures["over"]
    assert case_page.tabs.currentIndex() == TAB_MEASURES
    assert model.row_at(row).id == lapsed


def test_enterprise_without_seized_property_says_so(qtbot, window, services) -> None:  # type: ignore[no-untyped-def]
    enterprise_id = services.enterprises.find("喀什丝路")[0].id
    page = window.open_enterprise(enterprise_id)
    assert page.sections.tabText(TAB_SEIZED) == "被查扣冻财产"
    assert page.seized.total.text() == "未登记该企业被查封、扣押、冻结的财产。"
    assert page.seized.model.rowCount() == 0


# == settings dialog ===========================================================================
def test_settings_dialog_refuses_bad_input_at_the_field(qtbot, services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from casedesk.ui.admin.measure_settings_dialog import MeasureSettingsDialog

    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: pytest.fail("no box expected"))
    dialog = MeasureSettingsDialog(services)
    qtbot.addWidget(dialog)
    assert (dialog.ratio.text(), dialog.interval.text()) == ("1.2", "60")
    dialog.ratio.setText("abc")
    dialog.interval.setText("0")
    dialog.save()
    assert dialog.grid.message("overseizure_ratio") == "请输入数字，如 1.2"
    assert dialog.grid.message("review_interval_days") == "天数应在1到365之间"
    assert dialog.result() == 0 and dialog.saved is None
    assert services.measure_settings.get() == MeasureSettings(Decimal("1.2"), 60)
    dialog.ratio.setText("1.5")
    dialog.interval.setText("30")
    dialog.save()
    assert dialog.result() == 1 and dialog.grid.message("overseizure_ratio").startswith("如")
    assert services.measure_settings.get() == MeasureSettings(Decimal("1.5"), 30)


def test_saved_settings_change_the_lists(qtbot, window, services, measures, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from casedesk.ui.admin.measure_settings_dialog import MeasureSettingsDialog

    page = shown_page(qtbot, window)

    def save(dialog: MeasureSettingsDialog) -> int:
        dialog.ratio.setText("3")
        dialog.interval.setText("5")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(MeasureSettingsDialog, "exec", save)
    admin = next(a.menu() for a in window.menuBar().actions() if a.text() == "管理(&M)")
    next(a for a in admin.actions() if a.text() == "强制措施设置…").trigger()
    assert services.measure_settings.get() == MeasureSettings(Decimal("3"), 5)
    assert page.busy()
    qtbot.waitUntil(lambda: not page.busy(), timeout=10_000)
    assert page.unreviewed.text() == "仅显示超过 5 天未审查"
    assert [r.review_overdue for r in page.models[CUSTODY].rows()] == [True, True]
    assert page.selector.tabText(3) == "超标的（0）"  # 2.5 times is not over 3
