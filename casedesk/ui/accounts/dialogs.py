"""The sign-in dialogs: the first administrator, signing in, choosing a new password, and the
idle lock's unlock. Each checks as typed with the domain's rules (passwords.check_login,
check_password) and shows a refusal at the field it concerns; nothing is saved half-way."""

from __future__ import annotations

from typing import Any

from casedesk.domain import passwords as pw
from casedesk.domain.errors import FieldErrors
from casedesk.services.accounts import SignedIn, UserDraft
from casedesk.services.app import Services
from casedesk.services.errors import SignInRefused
from casedesk.ui.measures.forms import MeasureDialog
from casedesk.ui.qt import QLineEdit, QMessageBox, QWidget


def secret() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(pw.MAX_LENGTH)
    return field


def new_password_errors(login: str, new: str, again: str, policy: pw.PasswordPolicy,
                         name: str = "password") -> dict[str, str]:  # fmt: skip
    errors: dict[str, str] = {}
    problems = pw.check_password(new, login, policy)
    if problems:
        errors[name] = "；".join(problems)
    elif new != again:
        errors["again"] = "两次输入的密码不一致"
    return errors


def policy_hint(policy: pw.PasswordPolicy) -> str:
    return (f"至少{policy.min_length}位，包含大写字母、小写字母、数字、符号中的至少"
            f"{policy.min_classes}类，不含登录名")  # fmt: skip


class FirstAdminDialog(MeasureDialog):
    """首次启动: the administrator's account, then signed in as them."""

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__("创建管理员账号", "firstAdminDialog", parent)
        self.services = services
        self.policy = services.accounts.policy()
        self.set_head(
            "这是 CaseDesk 在此数据库上的首次启动。请先创建管理员账号；管理员登录后可在"
            "“管理 → 用户管理”中为法官、检察官和书记员建立账号。"
        )
        self.login, self.name, self.unit = QLineEdit(), QLineEdit(), QLineEdit()
        self.password, self.again = secret(), secret()
        g = self.grid()
        self.add(g, "login", "登录名", self.login, hint="英文字母、数字或 . _ -，3至32位")
        self.add(g, "display_name", "姓名", self.name)
        self.add(g, "unit", "部门", self.unit, hint="如 办公室、信息技术科（可不填）")
        self.add(g, "password", "密码", self.password, hint=policy_hint(self.policy))
        self.add(g, "again", "确认密码", self.again)
        self.finish("创建并登录")
        self.setMinimumWidth(720)

    def read(self) -> tuple[Any, dict[str, str]]:
        return (self.login.text().strip(), self.name.text(), self.unit.text(),
                self.password.text(), self.again.text()), {}  # fmt: skip

    def check(self, value: Any) -> None:
        login, name, _unit, password, again = value
        errors = {"login": "；".join(pw.check_login(login))} if pw.check_login(login) else {}
        if not name.strip():
            errors["display_name"] = "请填写姓名"
        errors |= new_password_errors(login, password, again, self.policy)
        if errors:
            raise FieldErrors(errors)

    def submit(self, value: Any) -> SignedIn:
        login, name, unit, password, _again = value
        self.services.accounts.create_first_admin(UserDraft(login, name, unit), password)
        return self.services.accounts.sign_in(login, password)


class LoginDialog(MeasureDialog):
    """登录: ``result_value`` the :class:`SignedIn` (must the password be changed now?)."""

    def __init__(self, services: Services, login: str = "", parent: QWidget | None = None):
        super().__init__("登录 CaseDesk 涉企案件办案台", "loginDialog", parent)
        self.services = services
        self.set_head(f"数据库：{services.path}")
        self.login, self.password = QLineEdit(login), secret()
        g = self.grid()
        self.add(g, "login", "登录名", self.login)
        self.add(g, "password", "密码", self.password)
        self.finish("登录")
        self.setMinimumWidth(580)
        (self.password if login else self.login).setFocus()

    def read(self) -> tuple[Any, dict[str, str]]:
        return (self.login.text().strip(), self.password.text()), {}

    def check(self, value: Any) -> None:
        login, password = value
        errors = {}
        if not login:
            errors["login"] = "请填写登录名"
        if not password:
            errors["password"] = "请输入密码"
        if errors:
            raise FieldErrors(errors)

    def submit(self, value: Any) -> SignedIn:
        try:
            return self.services.accounts.sign_in(*value)
        except SignInRefused as exc:
            self.password.clear()
            raise FieldErrors({"password": str(exc)}) from exc


class PasswordDialog(MeasureDialog):
    """修改密码 (also forced after an administrator's reset or when the password expired)."""

    def __init__(self, services: Services, reason: str = "", parent: QWidget | None = None):
        super().__init__("修改密码", "passwordDialog", parent)
        self.services = services
        self.policy = services.accounts.policy()
        user = services.identity.user
        self.user_login = user.login if user else ""
        self.set_head(reason or f"为 {services.identity.name} 设置新密码。")
        self.old, self.new, self.again = secret(), secret(), secret()
        g = self.grid()
        self.add(g, "old", "原密码", self.old)
        self.add(g, "new", "新密码", self.new, hint=policy_hint(self.policy))
        self.add(g, "again", "确认新密码", self.again)
        self.finish("修改")
        self.setMinimumWidth(720)

    def read(self) -> tuple[Any, dict[str, str]]:
        return (self.old.text(), self.new.text(), self.again.text()), {}

    def check(self, value: Any) -> None:
        old, new, again = value
        errors = {} if old else {"old": "请输入原密码"}
        errors |= new_password_errors(self.user_login, new, again, self.policy, name="new")
        if errors:
            raise FieldErrors(errors)

    def submit(self, value: Any) -> None:
        old, new, _again = value
        self.services.accounts.change_password(old, new)


class UnlockDialog(MeasureDialog):
    """The idle lock: the same user types the password again; 退出 leaves the program."""

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__("CaseDesk 已锁定", "unlockDialog", parent)
        self.services = services
        policy = services.accounts.policy()
        self.set_head(f"{policy.idle_lock_minutes} 分钟无操作，程序已锁定。未保存的内容仍在，"
                      f"请 {services.identity.name} 输入密码继续。")  # fmt: skip
        self.password = secret()
        g = self.grid()
        self.add(g, "password", "密码", self.password)
        self.finish("解锁")
        self.setMinimumWidth(580)
        self.password.setFocus()

    def read(self) -> tuple[Any, dict[str, str]]:
        return self.password.text(), {}

    def check(self, value: Any) -> None:
        if not value:
            raise FieldErrors({"password": "请输入密码"})

    def reject(self) -> None:
        """取消 or Esc: only after saying that leaving loses what is not saved."""
        answer = QMessageBox.question(
            self, "退出 CaseDesk",
            "不输入密码将退出 CaseDesk，尚未保存的内容会丢失。确定退出吗？",
        )  # fmt: skip
        if answer == QMessageBox.StandardButton.Yes:
            super().reject()

    def submit(self, value: Any) -> None:
        try:
            self.services.accounts.unlock_session(value)
        except SignInRefused as exc:
            self.password.clear()
            raise FieldErrors({"password": str(exc)}) from exc
