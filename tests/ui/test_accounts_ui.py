"""The sign-in dialogs, the idle lock and user management (issue 7, point 1): refusals shown at
the field in Chinese, the first administrator, a forced password change, the lock covering every
window without closing an open dialog (its typed text survives), and the administrator's
user list."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from casedesk.domain import roles
from casedesk.services.accounts import UserDraft
from casedesk.ui.accounts import session
from casedesk.ui.accounts.dialogs import FirstAdminDialog, LoginDialog, PasswordDialog
from casedesk.ui.accounts.lock import Cover, IdleLock
from casedesk.ui.accounts.users_dialog import UserDialog, UsersDialog
from casedesk.ui.qt import QDialog, QLineEdit, QWidget
from tests.ui.conftest import type_text

ADMIN_PW = "Guard#2026x"


@pytest.fixture
def admin(services):  # type: ignore[no-untyped-def]
    services.accounts.create_first_admin(UserDraft("admin", "系统管理员", "办公室"), ADMIN_PW)
    services.accounts.sign_in("admin", ADMIN_PW)
    return services


def test_first_admin_dialog_checks_at_the_field(qtbot, services):  # type: ignore[no-untyped-def]
    dialog = FirstAdminDialog(services)
    qtbot.addWidget(dialog)
    dialog.login.setText("管理员")
    dialog.password.setText("short")
    dialog.save()
    assert "只能包含英文字母" in dialog.message("login")
    assert dialog.message("display_name") == "请填写姓名"
    assert "至少需要8个字符" in dialog.message("password")
    assert not services.accounts.has_users()  # nothing saved
    dialog.login.setText("admin")
    type_text(dialog.name, "系统管理员")
    dialog.password.setText(ADMIN_PW)
    dialog.again.setText(ADMIN_PW + "1")
    dialog.save()
    assert dialog.message("again") == "两次输入的密码不一致"
    dialog.again.setText(ADMIN_PW)
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert services.identity.user.login == "admin" and roles.ADMIN in services.identity.user.roles


def test_login_refusal_shows_at_the_password(qtbot, admin):  # type: ignore[no-untyped-def]
    admin.accounts.sign_out()
    dialog = LoginDialog(admin, "admin")
    qtbot.addWidget(dialog)
    dialog.password.setText("Wrong#2026x")
    dialog.save()
    assert "登录名或密码不正确" in dialog.message("password") and dialog.password.text() == ""
    assert not admin.identity.signed_in
    dialog.password.setText(ADMIN_PW)
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted and admin.identity.signed_in


def test_a_reset_password_must_be_changed_at_start(qtbot, admin, monkeypatch):  # type: ignore[no-untyped-def]
    user = admin.accounts.create_user(
        UserDraft("wangfg", "王法官", "民一庭", frozenset({roles.HANDLER})), "Judge#2026x"
    )
    assert user.must_change
    admin.accounts.sign_out()
    seen = []

    def login(dialog: LoginDialog) -> int:
        dialog.password.setText("Judge#2026x")
        dialog.save()
        return dialog.result()

    def change(dialog: PasswordDialog) -> int:
        seen.append(dialog.head.text())
        dialog.old.setText("Judge#2026x")
        dialog.new.setText("Better#2026z")
        dialog.again.setText("Better#2026z")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(LoginDialog, "exec", login)
    monkeypatch.setattr(PasswordDialog, "exec", change)
    assert session.sign_in_at_start(admin, "wangfg")
    assert "重置" in seen[0]
    admin.accounts.sign_out()
    assert not admin.accounts.sign_in("wangfg", "Better#2026z").must_change


def test_giving_up_the_forced_change_signs_out(qtbot, admin, monkeypatch):  # type: ignore[no-untyped-def]
    admin.accounts.create_user(UserDraft("li.si", "李四", "民一庭", frozenset({roles.CLERK})),
                               "Clerk#2026x")  # fmt: skip
    admin.accounts.sign_out()

    def login(dialog: LoginDialog) -> int:
        dialog.password.setText("Clerk#2026x")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(LoginDialog, "exec", login)
    monkeypatch.setattr(PasswordDialog, "exec", lambda _d: QDialog.DialogCode.Rejected)
    assert not session.sign_in_at_start(admin, "li.si")
    assert not admin.identity.signed_in


def test_idle_lock_covers_windows_and_keeps_typed_work(qtbot, admin):  # type: ignore[no-untyped-def]
    now = [datetime(2026, 11, 26, 9, 0)]
    quit_called = []
    lock = IdleLock(admin, lambda: quit_called.append(1), clock=lambda: now[0])
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(600, 400)
    window.show()
    editor = QDialog(window)  # an open dialog with unsaved text
    field = QLineEdit(editor)
    type_text(field, "尚未保存的意见")
    editor.show()
    now[0] += timedelta(minutes=9)
    assert not lock.check()  # the policy: 10 minutes
    now[0] += timedelta(minutes=1)
    assert lock.check() and lock.locked
    covered = {c.parentWidget(): c.geometry() for c in window.findChildren(Cover)}
    assert covered == {window: window.rect(), editor: editor.rect()}  # every window
    # opaque: nothing of the window shows through (regression: the cover was transparent)
    shot = window.grab().toImage()
    assert {shot.pixelColor(x, y).name() for x, y in ((5, 5), (300, 390))} == {"#3c4043"}
    assert editor.isVisible() and field.text() == "尚未保存的意见"
    unlock = lock.dialog
    unlock.password.setText("Wrong#2026x")
    unlock.save()
    assert "登录名或密码不正确" in unlock.message("password") and lock.locked
    unlock.password.setText(ADMIN_PW)
    unlock.save()
    assert not lock.locked and quit_called == []
    qtbot.waitUntil(lambda: not window.findChildren(Cover))
    assert field.text() == "尚未保存的意见"
    lock.stop()


def test_users_dialog_adds_a_user_with_roles(qtbot, admin, monkeypatch):  # type: ignore[no-untyped-def]
    dialog = UsersDialog(admin)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1

    def fill(form: UserDialog) -> int:
        form.save()
        assert form.message("roles") == "请至少选择一个角色"
        form.login.setText("wangfg")
        type_text(form.name, "王法官")
        type_text(form.unit, "民一庭")
        form.roles.boxes[roles.HANDLER].setChecked(True)
        form.password.setText("Judge#2026x")
        form.again.setText("Judge#2026x")
        form.save()
        return form.result()

    monkeypatch.setattr(UserDialog, "exec", fill)
    assert dialog.new()
    assert dialog.table.rowCount() == 2
    texts = [dialog.table.item(1, c).text() for c in range(4)]
    assert texts == ["wangfg", "王法官", "民一庭", "承办人"]
    assert dialog.table.item(1, 4).text() == "需改密码"


def menu_actions(window) -> dict[str, bool]:  # type: ignore[no-untyped-def]
    return {
        a.text(): a.isEnabled()
        for m in window.menuBar().actions()
        for a in m.menu().actions()
        if a.text()
    }


def test_an_administrator_sees_no_cases_but_the_admin_menu(qtbot, admin):  # type: ignore[no-untyped-def]
    from casedesk.ui.main_window import MainWindow
    from casedesk.ui.settings import app_settings

    window = MainWindow(admin, app_settings())
    qtbot.addWidget(window)
    assert not window.reads_cases and window.tabs.count() == 1
    assert "不查看案件内容" in window.tabs.widget(0).text()
    acts = menu_actions(window)
    assert acts["用户管理…"] and acts["备份与恢复…"] and acts["节假日…"]
    assert not acts["登记新案件…"] and not acts["建议书年度统计…"]
    assert acts["修改密码…"] and "系统管理员（admin） · 管理员" in acts
    window.session.stop()


def test_a_clerk_sees_the_lists_and_not_the_admin_commands(qtbot, admin):  # type: ignore[no-untyped-def]
    from casedesk.ui.main_window import LIST_TABS, MainWindow
    from casedesk.ui.settings import app_settings

    admin.accounts.create_user(UserDraft("li.si", "李四", "民一庭", frozenset({roles.CLERK})),
                               "Clerk#2026x")  # fmt: skip
    admin.accounts.sign_out()
    admin.accounts.sign_in("li.si", "Clerk#2026x")
    window = MainWindow(admin, app_settings())
    qtbot.addWidget(window)
    assert window.reads_cases and window.tabs.count() == LIST_TABS
    acts = menu_actions(window)
    assert acts["登记新案件…"] and acts["导入案件（JSON Lines）…"]
    assert (
        not acts["用户管理…"] and not acts["期限规则…"] and not acts["导出全部案件（JSON Lines）…"]
    )
    window.session.stop()
    window.close()


def test_a_message_that_wraps_is_shown_in_full(qtbot, services):  # type: ignore[no-untyped-def]
    """Regression: a two-line message under a field was cut to one line (the dialog kept the
    height it had before the messages appeared)."""
    dialog = FirstAdminDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    before = dialog.height()
    dialog.login.setText("管理")
    dialog.password.setText("abc")
    dialog.save()
    layout = dialog.layout()
    assert dialog.height() > before
    assert dialog.height() >= layout.totalHeightForWidth(dialog.width())
