"""管理 → 用户管理 (administrators): the users with unit, roles and state; new user (with an
initial password to change at the first sign-in), edit (name, unit, roles, active), reset the
password, unlock; and the password policy (length, classes, expiry, lockout, idle lock)."""

from __future__ import annotations

from typing import Any

from casedesk.domain import passwords as pw
from casedesk.domain import roles
from casedesk.domain.errors import FieldErrors
from casedesk.services.accounts import UserDraft, UserView
from casedesk.services.app import Services
from casedesk.services.errors import ServiceError
from casedesk.ui.accounts.dialogs import new_password_errors, policy_hint, secret
from casedesk.ui.measures.forms import MeasureDialog
from casedesk.ui.ops import warn
from casedesk.ui.qt import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from casedesk.ui.widgets.buttons import close_button

HEADERS = ("登录名", "姓名", "部门", "角色", "状态", "最近登录")


def state_text(user: UserView) -> str:
    if not user.active:
        return "已停用"
    if user.locked_until is not None:
        return f"锁定至 {user.locked_until.astimezone():%m-%d %H:%M}"
    return "需改密码" if user.must_change else "正常"


class RolesField(QWidget):
    """One check box per role, with who holds it."""

    def __init__(self, chosen: frozenset[str] = frozenset()):
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for code, name in roles.ROLE_NAMES.items():
            box = QCheckBox(f"{name}　{roles.ROLE_HINTS[code]}")
            box.setChecked(code in chosen)
            layout.addWidget(box)
            self.boxes[code] = box

    def value(self) -> frozenset[str]:
        return frozenset(c for c, b in self.boxes.items() if b.isChecked())


class UserDialog(MeasureDialog):
    """新建用户 / 修改用户: ``result_value`` the saved user."""

    def __init__(self, services: Services, user: UserView | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__("修改用户" if user else "新建用户", "userDialog", parent)
        self.services, self.user = services, user
        self.policy = services.accounts.policy()
        self.login = QLineEdit(user.login if user else "")
        self.login.setReadOnly(user is not None)
        self.name = QLineEdit(user.display_name if user else "")
        self.unit = QLineEdit(user.unit if user else "")
        self.roles = RolesField(user.roles if user else frozenset())
        self.active = QCheckBox("账号可用")
        self.active.setChecked(user.active if user else True)
        g = self.grid()
        self.add(g, "login", "登录名", self.login, hint="" if user else "英文字母、数字或 . _ -")
        self.add(g, "display_name", "姓名", self.name,
                 hint="与案件“承办人”一栏所填姓名一致，本人承办的案件据此认定")  # fmt: skip
        self.add(g, "unit", "部门", self.unit, hint="庭或部门，如 民一庭、第二检察部")
        self.add(g, "roles", "角色", self.roles)
        self.add(g, "active", "状态", self.active)
        self.password = secret()
        self.again = secret()
        if user is None:
            self.add(g, "password", "初始密码", self.password, hint=policy_hint(self.policy)
                     + "；首次登录时须修改")  # fmt: skip
            self.add(g, "again", "确认密码", self.again)
        for box in self.roles.boxes.values():
            box.toggled.connect(lambda _on: self.field_edited("roles"))
        self.finish("保存")
        self.setMinimumWidth(760)

    def read(self) -> tuple[Any, dict[str, str]]:
        draft = UserDraft(self.login.text().strip(), self.name.text(), self.unit.text(),
                          self.roles.value(), self.active.isChecked())  # fmt: skip
        return (draft, self.password.text(), self.again.text()), {}

    def check(self, value: Any) -> None:
        draft, password, again = value
        errors: dict[str, str] = {}
        if self.user is None and (problems := pw.check_login(draft.login)):
            errors["login"] = "；".join(problems)
        if not draft.display_name.strip():
            errors["display_name"] = "请填写姓名"
        if not draft.roles:
            errors["roles"] = "请至少选择一个角色"
        if self.user is None:
            errors |= new_password_errors(draft.login, password, again, self.policy)
        if errors:
            raise FieldErrors(errors)

    def submit(self, value: Any) -> UserView:
        draft, password, _again = value
        if self.user is None:
            return self.services.accounts.create_user(draft, password)
        return self.services.accounts.update_user(self.user.id, self.user.version, draft)


class ResetDialog(MeasureDialog):
    """重置密码: a new initial password the user must change at the next sign-in."""

    def __init__(self, services: Services, user: UserView, parent: QWidget | None = None):
        super().__init__(f"重置密码 — {user.display_name}（{user.login}）", "resetDialog", parent)
        self.services, self.user = services, user
        self.policy = services.accounts.policy()
        self.password, self.again = secret(), secret()
        g = self.grid()
        self.add(g, "password", "新的初始密码", self.password, hint=policy_hint(self.policy))
        self.add(g, "again", "确认密码", self.again)
        self.finish("重置")

    def read(self) -> tuple[Any, dict[str, str]]:
        return (self.password.text(), self.again.text()), {}

    def check(self, value: Any) -> None:
        errors = new_password_errors(self.user.login, *value, self.policy)
        if errors:
            raise FieldErrors(errors)

    def submit(self, value: Any) -> None:
        self.services.accounts.reset_password(self.user.id, value[0])


class PolicyDialog(MeasureDialog):
    """密码策略: each setting within the bounds the domain allows."""

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__("密码与锁定策略", "policyDialog", parent)
        self.services = services
        current = pw.policy_values(services.accounts.policy())
        self.inputs: dict[str, QLineEdit] = {}
        g = self.grid()
        for name, (label, low, high, why) in pw.SETTINGS.items():
            field = QLineEdit(str(current[name]))
            field.setMaximumWidth(120)
            self.inputs[name] = field
            self.add(g, name, label, field, hint=f"{low}—{high}；{why}")
        self.finish("保存")

    def read(self) -> tuple[Any, dict[str, str]]:
        return {n: f.text() for n, f in self.inputs.items()}, {}

    def check(self, value: Any) -> None:
        pw.policy_from(value)

    def submit(self, value: Any) -> pw.PasswordPolicy:
        return self.services.accounts.set_policy(value)


class UsersDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("用户管理")
        self.setObjectName("usersDialog")
        self.services = services
        self.users: list[UserView] = []
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, label, act in (("new", "新建用户…", self.new), ("edit", "修改…", self.edit),
                                ("reset", "重置密码…", self.reset), ("unlock", "解锁", self.unlock),
                                ("policy", "密码策略…", self.policy)):  # fmt: skip
            button = QPushButton(label)
            button.setObjectName(f"users_{key}")
            button.clicked.connect(act)
            row.addWidget(button)
            self.buttons[key] = button
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table)
        layout.addWidget(close_button(self.accept))
        self.resize(900, 480)
        self.reload()

    def reload(self) -> None:
        self.users = self.services.accounts.users()
        self.table.setRowCount(len(self.users))
        for r, u in enumerate(self.users):
            last = f"{u.last_login_at.astimezone():%Y-%m-%d %H:%M}" if u.last_login_at else ""
            for c, text in enumerate((u.login, u.display_name, u.unit, u.role_text,
                                      state_text(u), last)):  # fmt: skip
                self.table.setItem(r, c, QTableWidgetItem(text))

    def current(self) -> UserView | None:
        row = self.table.currentRow()
        return self.users[row] if 0 <= row < len(self.users) else None

    def _run(self, dialog: QDialog) -> bool:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.reload()
        return True

    def new(self) -> bool:
        return self._run(UserDialog(self.services, None, self))

    def edit(self) -> bool:
        user = self.current()
        return user is not None and self._run(UserDialog(self.services, user, self))

    def reset(self) -> bool:
        user = self.current()
        return user is not None and self._run(ResetDialog(self.services, user, self))

    def unlock(self) -> bool:
        user = self.current()
        if user is None:
            return False
        try:
            self.services.accounts.unlock(user.id)
        except ServiceError as exc:
            warn(self, str(exc), "解锁")
            return False
        self.reload()
        return True

    def policy(self) -> bool:
        return self._run(PolicyDialog(self.services, self))
