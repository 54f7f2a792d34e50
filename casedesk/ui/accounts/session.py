"""Signing in at start (the first administrator on a new database, then the login, then a new
password when it expired or was reset) and the 账号 menu of the main window."""

from __future__ import annotations

from casedesk.services.app import Services
from casedesk.ui.accounts.dialogs import FirstAdminDialog, LoginDialog, PasswordDialog
from casedesk.ui.accounts.lock import IdleLock
from casedesk.ui.accounts.users_dialog import UsersDialog
from casedesk.ui.qt import QDialog, QMainWindow, QMenu


def sign_in_at_start(services: Services, login: str = "") -> bool:
    """Ask until someone is signed in; False when the user gave up (the app then quits)."""
    if not services.accounts.has_users():
        first = FirstAdminDialog(services)
        if first.exec() != QDialog.DialogCode.Accepted:
            return False
        signed = first.result_value
    else:
        dialog = LoginDialog(services, login)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        signed = dialog.result_value
    if signed.must_change:
        change = PasswordDialog(services, signed.reason)
        if change.exec() != QDialog.DialogCode.Accepted:
            services.accounts.sign_out()
            return False
    return True


def add_account_menu(window: QMainWindow, services: Services, lock: IdleLock) -> QMenu:
    """账号: who is signed in, 修改密码…, 立即锁定."""
    menu = window.menuBar().addMenu("账号(&A)")
    who = menu.addAction(services.identity.name)
    who.setEnabled(False)
    menu.addSeparator()
    menu.addAction("修改密码…", lambda: PasswordDialog(services, parent=window).exec())
    menu.addAction("立即锁定", lock.lock_now)
    return menu


def open_users(window: QMainWindow, services: Services) -> None:
    UsersDialog(services, window).exec()
