"""UI fixtures: window state kept in a temporary folder, a main window over the test database,
and a way to type Chinese (qtbot.keyClicks with Chinese text aborts the test process)."""

from __future__ import annotations

from datetime import date

import pytest

from casedesk.domain.drafts import CaseDraft, EnterpriseDraft, PersonDraft
from casedesk.ui.qt import QApplication, QInputMethodEvent, QSettings


@pytest.fixture(autouse=True)
def _settings_in_tmp(tmp_path):  # type: ignore[no-untyped-def]
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    yield


def type_text(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type ``text`` (Chinese included) into a focused line edit, as an input method would."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def sample_cases(services):  # type: ignore[no-untyped-def]
    """Three cases with enterprises and persons as parties."""
    ids = []
    a = services.cases.create(
        CaseDraft("（2023）新01民初123号", "民事", date(2023, 3, 1), cause="买卖合同纠纷",
                  handler="李娜", amount_fen=12_345_600, tags=("涉企",))
    )  # fmt: skip
    services.parties.add(
        a.id, "原告", new_enterprise=EnterpriseDraft("新疆天山商贸有限公司", "914403001922038216")
    )
    services.parties.add(a.id, "被告", new_person=PersonDraft("王伟", "11010519491231002X"))
    b = services.cases.create(
        CaseDraft("（2024）新0102执45号", "执行", date(2024, 5, 6), cause="申请执行借款合同纠纷",
                  handler="张强")
    )  # fmt: skip
    services.parties.add(b.id, "被执行人", new_person=PersonDraft("买买提·艾力"))
    c = services.cases.create(
        CaseDraft("（2022）新01刑初7号", "刑事", date(2022, 1, 10), cause="合同诈骗罪",
                  handler="李娜", tags=("涉企", "典型案例候选"))
    )  # fmt: skip
    services.parties.add(
        c.id, "被告单位", new_enterprise=EnterpriseDraft("喀什丝路进出口贸易有限公司")
    )
    ids.extend([a.id, b.id, c.id])
    return ids


@pytest.fixture
def window(qtbot, services, sample_cases):  # type: ignore[no-untyped-def]
    from casedesk.ui.main_window import MainWindow
    from casedesk.ui.settings import app_settings

    win = MainWindow(services, app_settings())
    qtbot.addWidget(win)
    win.show()
    return win
