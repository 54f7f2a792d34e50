"""The case list: lazy model, search as you type (Chinese, 1–4 characters), filters, sorting."""

from __future__ import annotations

import pytest

from casedesk.services.lists import CaseFilter
from casedesk.ui.cases.list_model import CaseTableModel
from casedesk.ui.qt import Qt
from tests.ui.conftest import type_text


def visible_numbers(window) -> list[str]:  # type: ignore[no-untyped-def]
    model = window.case_list.model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_model_passes_qt_model_tester(qtmodeltester, services, sample_cases):  # type: ignore[no-untyped-def]
    model = CaseTableModel(services.case_list)
    model.set_ids(services.case_list.keys(CaseFilter(), "accepted_on", True))
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 3


def test_model_fetches_only_rows_it_is_asked_for(services, sample_cases):  # type: ignore[no-untyped-def]
    calls: list[list[str]] = []
    reader = services.case_list

    class Spy:
        SORT_KEYS = reader.SORT_KEYS

        def rows(self, ids):  # type: ignore[no-untyped-def]
            calls.append(list(ids))
            return reader.rows(ids)

    model = CaseTableModel(Spy())  # type: ignore[arg-type]
    ids = reader.keys(CaseFilter(), "accepted_on", True)
    model.set_ids(ids)
    assert calls == []  # nothing read before something is shown
    assert model.index(0, 0).data() == "（2024）新0102执45号"
    assert len(calls) == 1 and set(calls[0]) == set(ids)
    model.index(1, 0).data()
    assert len(calls) == 1  # served from the cache


def test_list_shows_all_cases_newest_first(window):  # type: ignore[no-untyped-def]
    assert visible_numbers(window) == [
        "（2024）新0102执45号",
        "（2023）新01民初123号",
        "（2022）新01刑初7号",
    ]
    assert window.case_list.count.text() == "共 3 件"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("王", ["（2023）新01民初123号"]),  # one Chinese character
        ("王伟", ["（2023）新01民初123号"]),  # two characters: a name
        ("买买提", ["（2024）新0102执45号"]),  # three
        ("丝路进出", ["（2022）新01刑初7号"]),  # four, inside an enterprise name
        ("(2023)新01", ["（2023）新01民初123号"]),  # half-width brackets
        ("914403", ["（2023）新01民初123号"]),  # credit-code prefix
        ("合同", ["（2024）新0102执45号", "（2023）新01民初123号", "（2022）新01刑初7号"]),
        ("不存在的词", []),
    ],
)
def test_search_as_you_type(qtbot, window, query, expected):  # type: ignore[no-untyped-def]
    type_text(window.case_list.search, query)
    qtbot.waitUntil(lambda: visible_numbers(window) == expected, timeout=2000)
    assert window.case_list.count.text() == f"共 {len(expected)} 件"


def test_filters_narrow_the_list(qtbot, window):  # type: ignore[no-untyped-def]
    page = window.case_list
    page.handler.setCurrentIndex(page.handler.findData("李娜"))
    qtbot.waitUntil(lambda: len(visible_numbers(window)) == 2)
    page.family.setCurrentIndex(page.family.findData("刑事"))
    qtbot.waitUntil(lambda: visible_numbers(window) == ["（2022）新01刑初7号"])
    page.clear_filters()
    page.tag.setCurrentIndex(page.tag.findData("典型案例候选"))
    qtbot.waitUntil(lambda: visible_numbers(window) == ["（2022）新01刑初7号"])
    page.clear_filters()
    type_text(page.date_from.line, "2023-01-01")
    qtbot.waitUntil(lambda: len(visible_numbers(window)) == 2)


def test_mistyped_filter_date_is_reported_not_applied(qtbot, window):  # type: ignore[no-untyped-def]
    page = window.case_list
    type_text(page.date_to.line, "2023-13-45")
    qtbot.waitUntil(lambda: page.filter_error.isVisible())
    assert "不是有效日期" in page.filter_error.text() or "日期格式" in page.filter_error.text()
    assert len(visible_numbers(window)) == 3


def test_header_click_sorts_in_sql(qtbot, window):  # type: ignore[no-untyped-def]
    table = window.case_list.table
    column = next(n for n, c in enumerate(window.case_list.model.columns) if c.key == "case_number")
    table.horizontalHeader().sectionClicked.emit(column)
    assert window.case_list.sort_key == "case_number" and not window.case_list.descending
    assert visible_numbers(window) == [
        "（2022）新01刑初7号",
        "（2023）新01民初123号",
        "（2024）新0102执45号",
    ]
    table.horizontalHeader().sectionClicked.emit(column)
    assert window.case_list.descending
    assert visible_numbers(window)[0] == "（2024）新0102执45号"


def test_ctrl_f_focuses_search(qtbot, window):  # type: ignore[no-untyped-def]
    window.tabs.setCurrentIndex(1)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == 0
    assert window.case_list.search.hasFocus()


def test_double_click_opens_the_case(qtbot, window):  # type: ignore[no-untyped-def]
    model = window.case_list.model
    case_id = model.open_id_at(1)
    window.case_list.table.activated_id.emit(case_id)
    page = window.tabs.currentWidget()
    assert page.case_id == case_id
    assert page.heading.text() == "（2023）新01民初123号"
