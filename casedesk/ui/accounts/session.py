"""Signing in at start (the first administrator on a new database, then the login, then a new
password when it expired or was reset), and what the main window adds for the signed-in user:
the 账号 menu (修改密码, 立即锁定) and the idle lock."""

from __future__ import annotations

from casedesk.domain import roles
from casedesk.services.app import Services
from casedesk.ui.accounts.dialogs import FirstAdminDialog, LoginDialog, PasswordDialog
from casedesk.ui.accounts.lock import IdleLock
from casedesk.ui.qt import QApplication, QDialog, QLabel, QMainWindow, Qt, QWidget


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


def operator(services: Services) -> str:
    """Who is acting, for the status bar: "王法官（wangfg）· 承办人"."""
    user = services.identity.user
    if user is None:
        return services.identity.name
    return f"{services.identity.name} · {user.role_text or '无角色'}"


def no_cases_page(services: Services) -> QWidget:
    """The main window of a user who may read no case (an administrator): what they may do."""
    label = QLabel(
        f"{operator(services)}\n\n"
        "管理员账号不查看案件内容（最小权限，GB/T 22239-2019 §8.1.4.2）。\n"
        "可在“管理”菜单中管理用户、代码表、节假日、期限规则、各项设置和备份。\n"
        f"查看和办理案件须由{roles.who_may('case.read')}的账号登录。"
    )
    label.setObjectName("noCasesPage")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label


class AccountSession:
    """The 账号 menu and the idle lock of a main window."""

    def __init__(self, window: QMainWindow, services: Services):
        self.window, self.services = window, services
        self.lock = IdleLock(services, self.quit)
        menu = window.menuBar().addMenu("账号(&A)")
        who = menu.addAction(operator(services))
        who.setEnabled(False)
        menu.addSeparator()
        menu.addAction("修改密码…", self.change_password)
        menu.addAction("立即锁定", self.lock.lock_now)

    def change_password(self) -> bool:
        dialog = PasswordDialog(self.services, parent=self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.window.statusBar().showMessage("密码已修改", 10_000)
        return True

    def quit(self) -> None:
        """Leave from the lock: nothing can be saved without the password."""
        self.services.accounts.sign_out()
        QApplication.instance().exit(0)

    def stop(self) -> None:
        self.lock.stop()
