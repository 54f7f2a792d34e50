"""The 合规考察 tab: shown on criminal cases only; a compliance case started and walked through
its steps in their dialogs, the clocks appearing on the board, a refused step shown at the
field with nothing saved, and the tables passing the model tester."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from casedesk.domain import compliance as cp
from casedesk.domain.drafts import CaseDraft, EnterpriseDraft, PersonDraft
from casedesk.ui.bus import Bus
from casedesk.ui.cases.case_page import TAB_COMPLIANCE, CasePage
from casedesk.ui.compliance.dialogs import StartDialog, StepDialog
from tests.ui.conftest import type_text

TODAY = date.today()


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


@pytest.fixture
def criminal_case(services):  # type: ignore[no-untyped-def]
    case = services.cases.create(
        CaseDraft("（2026）新01刑初21号", "刑事", ago(120), cause="虚开增值税专用发票罪")
    )
    services.parties.add(
        case.id, "被告单位", new_enterprise=EnterpriseDraft("新疆天山物流有限公司")
    )
    services.parties.add(case.id, "被告人", new_person=PersonDraft("李某"))
    return case.id


def open_page(qtbot, services, case_id: str) -> CasePage:  # type: ignore[no-untyped-def]
    page = CasePage(services, Bus(), case_id)
    qtbot.addWidget(page)
    page.resize(1400, 860)
    page.show()
    page.tabs.setCurrentIndex(TAB_COMPLIANCE)
    return page


def test_only_criminal_cases_have_the_tab(qtbot, services, criminal_case):  # type: ignore[no-untyped-def]
    civil = services.cases.create(CaseDraft("（2026）新01民初8号", "民事", ago(5))).id
    assert open_page(qtbot, services, criminal_case).tabs.isTabVisible(TAB_COMPLIANCE)
    assert not open_page(qtbot, services, civil).tabs.isTabVisible(TAB_COMPLIANCE)


def test_start_apply_and_examine_through_the_dialogs(  # type: ignore[no-untyped-def]
    qtbot, services, criminal_case, monkeypatch
):
    page = open_page(qtbot, services, criminal_case)
    tab = page.compliance
    assert tab.empty.isVisible()

    def start(dialog: StartDialog) -> int:
        dialog.enterprise.setCurrentIndex(1)
        dialog.start_kind.setCurrentIndex(dialog.start_kind.findData("企业申请"))
        type_text(dialog.applicant, "公司法定代表人")
        dialog.started_on.set_value(ago(60))
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(StartDialog, "exec", start)
    assert tab.start()
    assert tab.current().state == cp.REVIEWING and "apply" in tab.step_buttons

    def refuse_apply(dialog: StepDialog) -> int:
        dialog.on.set_value(ago(50))
        dialog.inputs["conditions"].boxes["admits_guilt"].setChecked(True)
        dialog.save()  # two conditions missing: refused at the field
        assert "自愿" in dialog.message("conditions")
        return dialog.result()

    monkeypatch.setattr(StepDialog, "exec", refuse_apply)
    assert not tab.take("apply")
    assert services.compliance.get(tab.current_id()).state == cp.REVIEWING

    def apply(dialog: StepDialog) -> int:
        dialog.on.set_value(ago(50))
        for box in dialog.inputs["conditions"].boxes.values():
            box.setChecked(True)
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(StepDialog, "exec", apply)
    assert tab.take("apply")
    cid = tab.current_id()
    services.compliance.form_org(cid, cp.OrgDraft(ago(45), "第三方组织", (
        cp.MemberDraft("王律师", "律师"),)))  # fmt: skip
    services.compliance.submit_plan(cid, ago(40))
    tab.reload()

    def accept(dialog: StepDialog) -> int:
        dialog.on.set_value(ago(30))
        dialog.inputs["exam_start"].set_value(ago(30))
        dialog.inputs["exam_months"].setCurrentIndex(dialog.inputs["exam_months"].findData("3"))
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(StepDialog, "exec", accept)
    assert tab.take("accept_plan")
    v = tab.current()
    assert v.state == cp.EXAMINING and "evaluate" in tab.step_buttons
    assert tab.clocks.model.rowCount() == 2  # 考察期 and the first report
    assert "考察中" in tab.path.text()
    board = services.deadlines.board(everything=True)
    assert {c.id for c in v.clocks} <= {i.deadline_id for i in board.items}


def test_tables_pass_the_model_tester(qtbot, qtmodeltester, services, criminal_case):  # type: ignore[no-untyped-def]
    party = next(p.id for p in services.cases.get(criminal_case).parties if p.kind != "person")
    cid = services.compliance.start(criminal_case, cp.ComplianceDraft(party, "依职权启动", ago(9)))
    services.compliance.apply(cid, cp.ApplyDraft(ago(8), frozenset(cp.CONDITIONS)))
    services.compliance.form_org(cid, cp.OrgDraft(ago(7), "组织", (
        cp.MemberDraft("王律师", "律师"), cp.MemberDraft("赵会计", "注册会计师"))))  # fmt: skip
    page = open_page(qtbot, services, criminal_case)
    tab = page.compliance
    assert tab.members.model.rowCount() == 2
    for section in (tab.clocks, tab.criminal, tab.members, tab.entries):
        qtmodeltester.check(section.model)


def test_the_list_page_opens_the_case_at_its_compliance_tab(qtbot, window, services):  # type: ignore[no-untyped-def]
    from casedesk.ui.main_window import COMPLIANCE_TAB
    from casedesk.ui.measure_lists.table import ALERT_BACKGROUND
    from casedesk.ui.qt import Qt

    case_id = services.cases.create(CaseDraft("（2026）新01刑初22号", "刑事", ago(300))).id
    party = services.parties.add(case_id, "被告单位", new_enterprise=EnterpriseDraft("某某公司"))
    cid = services.compliance.start(case_id, cp.ComplianceDraft(party, "依职权启动", ago(200)))
    services.compliance.apply(cid, cp.ApplyDraft(ago(199), frozenset(cp.CONDITIONS)))
    services.compliance.form_org(
        cid, cp.OrgDraft(ago(198), "组织", (cp.MemberDraft("甲", "律师"),))
    )
    services.compliance.submit_plan(cid, ago(197))
    services.compliance.accept_plan(cid, cp.PlanAcceptDraft(ago(196), ago(196), 2, "1m"))
    window.tabs.setCurrentIndex(COMPLIANCE_TAB)
    page = window.compliance_list
    qtbot.waitUntil(lambda: not page.busy() and page.count("compliance") == 1)
    model = page.models["compliance"]
    assert model.index(0, 2).data() == cp.EXAMINING
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) == ALERT_BACKGROUND  # overdue
    assert "进行中 1 件，其中 <b>1</b> 件期限已届满" in page.summary.text()
    page.views["compliance"].doubleClicked.emit(model.index(0, 1))
    case_page = window.tabs.currentWidget()
    assert case_page.case_id == case_id and case_page.tabs.currentIndex() == TAB_COMPLIANCE
