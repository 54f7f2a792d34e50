"""Adding parties (existing or new, checked as typed), the enterprise list and page."""

from __future__ import annotations

from casedesk.services.lists import CaseFilter
from casedesk.ui.cases.case_page import CasePage
from casedesk.ui.cases.party_dialog import PartyDialog
from casedesk.ui.enterprises.enterprise_page import EnterprisePage
from casedesk.ui.qt import QMessageBox
from tests.ui.conftest import type_text


def open_case(window, number: str) -> CasePage:  # type: ignore[no-untyped-def]
    model = window.case_list.model
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == number)
    return window.open_case(model.open_id_at(row))


def test_new_enterprise_party_with_bad_credit_code_is_refused_at_the_field(  # type: ignore[no-untyped-def]
    qtbot, services, sample_cases, monkeypatch
):
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: None)
    case_id = sample_cases[1]
    dialog = PartyDialog(services, case_id, "执行")
    qtbot.addWidget(dialog)
    assert dialog.role.currentData() == "申请执行人"  # roles of the family come first
    form = dialog.enterprise_form
    type_text(form.fields["name"], "乌鲁木齐昆仑建设工程有限公司")
    type_text(form.fields["credit_code"], "914403001922038217")
    assert form.grid.message("credit_code") == "校验码应为 6，实为 7"
    before = len(services.cases.get(case_id).parties)
    dialog.save()
    assert dialog.party_id is None
    assert len(services.cases.get(case_id).parties) == before


def test_new_enterprise_party_is_registered_and_added(qtbot, services, sample_cases):  # type: ignore[no-untyped-def]
    case_id = sample_cases[1]
    dialog = PartyDialog(services, case_id, "执行")
    qtbot.addWidget(dialog)
    form = dialog.enterprise_form
    type_text(form.fields["name"], "乌鲁木齐昆仑建设工程有限公司")
    type_text(form.fields["credit_code"], "91330100799655058b")  # lower case accepted
    assert "将保存为 91330100799655058B" in form.grid.message("credit_code")
    dialog.save()
    assert dialog.party_id is not None
    parties = services.cases.get(case_id).parties
    assert parties[-1].role == "申请执行人"
    assert parties[-1].identifier == "91330100799655058B"


def test_existing_person_is_found_and_reused(qtbot, services, sample_cases):  # type: ignore[no-untyped-def]
    case_id = sample_cases[2]
    dialog = PartyDialog(services, case_id, "刑事")
    qtbot.addWidget(dialog)
    dialog.as_person.setChecked(True)
    type_text(dialog.search, "王伟")
    assert dialog.matches.count() == 1
    dialog.matches.setCurrentRow(0)
    assert not dialog.forms.isEnabled()
    dialog.role.setCurrentIndex(dialog.role.findData("被害人"))
    dialog.save()
    wang = services.persons.find("11010519491231002X")
    assert len(wang) == 1  # no duplicate person
    assert {c.case_id for c in services.persons.get(wang[0].id).cases} == {
        sample_cases[0],
        case_id,
    }


def test_enterprise_list_and_page_edit_updates_case_search(qtbot, window, services):  # type: ignore[no-untyped-def]
    window.tabs.setCurrentIndex(1)
    page_list = window.enterprise_list
    qtbot.waitUntil(lambda: page_list.model.rowCount() == 2)
    type_text(page_list.search, "9144")
    qtbot.waitUntil(lambda: page_list.model.rowCount() == 1)
    assert page_list.model.index(0, 0).data() == "新疆天山商贸有限公司"
    assert page_list.model.index(0, 6).data() == "1"  # number of cases
    page_list.table.activated_id.emit(page_list.model.id_at(0))
    page = window.tabs.currentWidget()
    assert isinstance(page, EnterprisePage)
    assert page.cases.rowCount() == 1
    assert page.cases.item(0, 0).text() == "（2023）新01民初123号"
    page.form.fields["name"].clear()
    type_text(page.form.fields["name"], "新疆昆仑商贸集团有限公司")
    assert page.save()
    found = services.case_list.ids(CaseFilter(search="昆仑商贸"), "accepted_on", True)
    assert len(found) == 1
    assert services.case_list.ids(CaseFilter(search="天山商贸"), "accepted_on", True) == []


def test_case_page_lists_parties_and_opens_enterprise(qtbot, window):  # type: ignore[no-untyped-def]
    page = open_case(window, "（2023）新01民初123号")
    table = page.parties.table
    assert [table.item(r, 2).text() for r in range(table.rowCount())] == [
        "新疆天山商贸有限公司",
        "王伟",
    ]
    table.selectRow(0)
    page.parties.open_button.click()
    assert isinstance(window.tabs.currentWidget(), EnterprisePage)


def test_remove_party_after_confirmation(qtbot, window, services, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page = open_case(window, "（2023）新01民初123号")
    page.parties.table.selectRow(1)
    page.parties.remove_button.click()
    assert [p.name for p in services.cases.get(page.case_id).parties] == ["新疆天山商贸有限公司"]
    row = window.case_list.model.row_of(services.case_list.key_of(page.case_id))
    assert window.case_list.model.index(row, 4).data() == "新疆天山商贸有限公司"


def test_closing_an_edited_enterprise_asks_first(qtbot, window, services, monkeypatch):  # type: ignore[no-untyped-def]
    asked = []

    def answer(*args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(args[2])
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", answer)
    enterprise_id = services.enterprises.find("喀什丝路")[0].id
    page = window.open_enterprise(enterprise_id)
    type_text(page.form.fields["industry"], "进出口贸易")
    assert window.close_tab(window.tabs.indexOf(page)) is False
    assert asked == ["企业“喀什丝路进出口贸易有限公司”有未保存的修改，是否保存？"]
    assert window.tabs.indexOf(page) != -1
