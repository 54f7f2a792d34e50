"""Accounts: the first administrator, signing in and out, the password and its policy, and the
administrator's user management (issue 7, point 1).

Passwords are hashed with Argon2id at OWASP's minimum (m = 19 MiB, t = 2, p = 1; a stored hash
made with weaker parameters is upgraded at the next sign-in). Five failed sign-ins (the policy's
``max_failures``) lock the account for ``lockout_minutes``; a password older than
``max_age_days`` or reset by an administrator must be changed before going on. Every sign-in,
sign-out, failure, lock, unlock, password change and user change is audited, the failures in
their own transaction (a refused sign-in still leaves its trace).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casedesk.domain import passwords as pw
from casedesk.domain import roles
from casedesk.domain.drafts import clean_text
from casedesk.domain.errors import FieldErrors
from casedesk.domain.field_types import text_problem
from casedesk.services.base import Service, parse_id
from casedesk.services.errors import Conflict, NotFound, SignInRefused
from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store.account_models import UserAccount
from casedesk.store.audit import as_utc
from casedesk.store.models import AppSetting

#: OWASP Password Storage Cheat Sheet, Argon2id minimum: 19 MiB, 2 iterations, 1 lane.
HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
#: Verified against when the login is unknown, so both refusals take the same time.
_DUMMY_HASH = HASHER.hash("CaseDesk-no-such-user-1")
ENTITY = "user_account"


def now_utc() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    return None if value is None else as_utc(value)


@dataclass(frozen=True)
class UserView:
    id: str
    version: int
    login: str
    display_name: str
    unit: str
    roles: frozenset[str]
    active: bool
    locked_until: datetime | None
    password_changed_at: datetime | None
    must_change: bool
    last_login_at: datetime | None

    @property
    def role_text(self) -> str:
        return "、".join(n for r, n in roles.ROLE_NAMES.items() if r in self.roles)

    def actor(self) -> roles.Actor:
        return roles.Actor(self.login, self.display_name, self.unit, self.roles)


@dataclass(frozen=True)
class SignedIn:
    """A successful sign-in: the user, and whether the password must be changed now."""

    user: UserView
    must_change: bool
    reason: str = ""  # why it must be changed (expired, reset by the administrator)
    days_left: int = 0


@dataclass(frozen=True)
class UserDraft:
    login: str
    display_name: str
    unit: str = ""
    roles: frozenset[str] = frozenset()
    active: bool = True


def view(row: UserAccount, now: datetime | None = None) -> UserView:
    locked = _aware(row.locked_until)
    if locked is not None and locked <= (now or now_utc()):
        locked = None
    return UserView(
        row.id.hex, row.version, row.login, row.display_name, row.unit,
        frozenset(r for r in row.roles.split(",") if r), row.active, locked,
        _aware(row.password_changed_at), row.must_change, _aware(row.last_login_at),
    )  # fmt: skip


def load_policy(session: Session) -> pw.PasswordPolicy:
    keys = {pw.setting_key(n): n for n in pw.SETTINGS}
    rows = session.execute(select(AppSetting.key, AppSetting.value).where(AppSetting.key.in_(keys)))
    try:
        return pw.policy_from({keys[k]: v for k, v in rows})
    except FieldErrors:  # a value edited outside the app: the defaults rather than no sign-in
        return pw.DEFAULT_POLICY


def _by_login(session: Session, login: str) -> UserAccount | None:
    key = pw.login_key(login) if isinstance(login, str) else ""
    return session.scalars(select(UserAccount).where(UserAccount.login == key)).first()


def _verify(stored: str, password: str) -> bool:
    try:
        return HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


class AccountService(Service):
    """Signing in, passwords and (for administrators) the users."""

    # -- reading ----------------------------------------------------------------------------------
    def has_users(self) -> bool:
        with self._read() as s:
            return bool(s.scalar(select(func.count()).select_from(UserAccount)))

    def policy(self) -> pw.PasswordPolicy:
        with self._read() as s:
            return load_policy(s)

    def users(self) -> list[UserView]:
        self._require("admin.users")
        with self._read() as s:
            rows = s.scalars(select(UserAccount).order_by(UserAccount.unit, UserAccount.login))
            return [view(r) for r in rows]

    # -- the first start --------------------------------------------------------------------------
    def create_first_admin(self, draft: UserDraft, password: str) -> UserView:
        """The administrator the first start creates; refused once any user exists."""
        with UnitOfWork(self.db, "首次启动") as uow:
            if uow.session.scalar(select(func.count()).select_from(UserAccount)):
                raise Conflict("已有用户，不能再创建首个管理员；请用管理员账号登录后添加用户。")
            admin = UserDraft(draft.login, draft.display_name, draft.unit,
                              draft.roles | {roles.ADMIN})  # fmt: skip
            row = self._new_user(uow, admin, password, must_change=False)
            uow.commit()
            return view(row)

    # -- signing in and out -----------------------------------------------------------------------
    def sign_in(self, login: str, password: str) -> SignedIn:
        """Check the password; the shared identity becomes the user. Refused with the reason
        (wrong login or password, locked until …, deactivated); failures are counted."""
        now = now_utc()
        with UnitOfWork(self.db, login[:50] if isinstance(login, str) else "?") as uow:
            s = uow.session
            policy = load_policy(s)
            row = _by_login(s, login)
            if row is None:
                _verify(_DUMMY_HASH, password if isinstance(password, str) else "")
                typed = str(login)[:40]
                uow.audit("login_fail", ENTITY, typed, f"登录失败：无此登录名“{typed}”")
                uow.commit()
                raise SignInRefused("登录名或密码不正确。")
            locked, until = pw.lockout_state(row.failed_logins, _aware(row.last_failed_at),
                                             now, policy)  # fmt: skip
            if locked and until is not None:
                uow.audit("login_fail", ENTITY, row.id, f"登录被拒：{row.login} 锁定中")
                uow.commit()
                raise SignInRefused(pw.lockout_message(until.astimezone(), policy))
            if not _verify(row.password_hash, password if isinstance(password, str) else ""):
                message = self._failed(uow, row, now, policy)
                uow.commit()
                raise SignInRefused(message)
            if not row.active:
                raise SignInRefused("该账号已停用，请联系管理员。")
            if HASHER.check_needs_rehash(row.password_hash):
                row.password_hash = HASHER.hash(password)
            row.failed_logins, row.last_failed_at, row.locked_until = 0, None, None
            row.last_login_at = now
            uow.actor = f"{row.display_name}（{row.login}）"
            uow.audit("login", ENTITY, row.id, f"登录 {row.login}")
            uow.commit()
            user = view(row, now)
        self.identity.user = user.actor()
        expired = pw.is_expired(user.password_changed_at, now, policy)
        if row.must_change:
            return SignedIn(user, True, "管理员已重置您的密码，请设置新密码。")
        if expired:
            return SignedIn(user, True, f"密码已超过{policy.max_age_days}天有效期，请设置新密码。")
        return SignedIn(user, False, days_left=pw.days_left(user.password_changed_at, now, policy))

    def _failed(self, uow: UnitOfWork, row: UserAccount, now: datetime,
                policy: pw.PasswordPolicy) -> str:  # fmt: skip
        row.failed_logins = pw.count_failure(row.failed_logins, _aware(row.last_failed_at),
                                             now, policy)  # fmt: skip
        row.last_failed_at = now
        uow.audit("login_fail", ENTITY, row.id, f"登录失败 {row.login}（第{row.failed_logins}次）")
        locked, until = pw.lockout_state(row.failed_logins, now, now, policy)
        if locked and until is not None:
            row.locked_until = until
            uow.audit("lockout", ENTITY, row.id, f"账号锁定至 {until.astimezone():%Y-%m-%d %H:%M}")
            return pw.lockout_message(until.astimezone(), policy)
        left = policy.max_failures - row.failed_logins
        return f"登录名或密码不正确（再错 {left} 次账号将被锁定 {policy.lockout_minutes} 分钟）。"

    def unlock_session(self, password: str) -> None:
        """The idle lock: the signed-in user types the password again. Failures count as for
        signing in; a locked account raises and the app signs out."""
        user = self.identity.user
        if user is None:
            raise SignInRefused("尚未登录。")
        self.sign_in(user.login, password)

    def sign_out(self) -> None:
        user = self.identity.user
        if user is None:
            return
        with self._uow() as uow:
            row = _by_login(uow.session, user.login)
            if row is not None:
                uow.audit("logout", ENTITY, row.id, f"退出 {row.login}")
                uow.commit()
        self.identity.user = None

    def change_password(self, old: str, new: str) -> None:
        """The signed-in user's own password: the old one checked, the new one by the policy
        and different from the old."""
        user = self.identity.user
        if user is None:
            raise SignInRefused("尚未登录。")
        with self._uow() as uow:
            row = _by_login(uow.session, user.login)
            if row is None:
                raise NotFound("找不到该用户")
            if not _verify(row.password_hash, old if isinstance(old, str) else ""):
                raise FieldErrors({"old": "原密码不正确"})
            policy = load_policy(uow.session)
            problems = pw.check_password(new, row.login, policy)
            if not problems and _verify(row.password_hash, new):
                problems = ["新密码不能与原密码相同"]
            if problems:
                raise FieldErrors({"new": "；".join(problems)})
            self._set_password(row, new, must_change=False)
            uow.audit("password", ENTITY, row.id, f"修改密码 {row.login}")
            uow.commit()

    # -- administration ---------------------------------------------------------------------------
    def create_user(self, draft: UserDraft, initial_password: str, *,
                    must_change: bool = True) -> UserView:  # fmt: skip
        """A new user with an initial password they must change at the first sign-in (demo
        accounts, whose password is published with the demo, need not)."""
        self._require("admin.users")
        with self._uow() as uow:
            row = self._new_user(uow, draft, initial_password, must_change=must_change)
            uow.commit()
            return view(row)

    def update_user(self, user_id: str, version: int, draft: UserDraft) -> UserView:
        """Name, unit, roles and whether the account is active (the login stays)."""
        self._require("admin.users")
        values = self._checked(draft, login_too=False)
        with self._uow() as uow:
            row = self._load(uow.session, user_id)
            if row.version != version:
                raise Conflict("该用户已被他人修改，请刷新后重新编辑")
            me = self.identity.user
            demoted = roles.ADMIN not in draft.roles or not draft.active
            if me and row.login == me.login and demoted:
                raise FieldErrors({"roles": "不能取消自己的管理员角色或停用自己的账号"})
            changes = {k: (getattr(row, k), v) for k, v in values.items() if getattr(row, k) != v}
            for key, (_old, new) in changes.items():
                setattr(row, key, new)
            uow.audit("update", ENTITY, row.id, f"修改用户 {row.login}", changes)
            uow.commit()
            return view(row)

    def reset_password(self, user_id: str, new: str) -> None:
        self._require("admin.users")
        with self._uow() as uow:
            row = self._load(uow.session, user_id)
            problems = pw.check_password(new, row.login, load_policy(uow.session))
            if problems:
                raise FieldErrors({"password": "；".join(problems)})
            self._set_password(row, new, must_change=True)
            row.failed_logins, row.last_failed_at, row.locked_until = 0, None, None
            uow.audit("password", ENTITY, row.id, f"重置密码 {row.login}")
            uow.commit()

    def unlock(self, user_id: str) -> None:
        self._require("admin.users")
        with self._uow() as uow:
            row = self._load(uow.session, user_id)
            row.failed_logins, row.last_failed_at, row.locked_until = 0, None, None
            uow.audit("unlock", ENTITY, row.id, f"解锁 {row.login}")
            uow.commit()

    def set_policy(self, values: dict[str, object]) -> pw.PasswordPolicy:
        self._require("admin.settings")
        policy = pw.policy_from(values)
        with self._uow() as uow:
            s = uow.session
            old = load_policy(s)
            changes = {}
            for name, value in pw.policy_values(policy).items():
                key = pw.setting_key(name)
                row = s.get(AppSetting, key)
                if row is None:
                    s.add(AppSetting(key=key, value=str(value)))
                else:
                    row.value = str(value)
                if getattr(old, name) != value:
                    changes[name] = (getattr(old, name), value)
            uow.audit("update", "app_setting", "password", "密码策略", changes)
            uow.commit()
        return policy

    # -- helpers ----------------------------------------------------------------------------------
    def _checked(self, draft: UserDraft, login_too: bool = True) -> dict[str, object]:
        errors: dict[str, str] = {}
        if login_too and (problems := pw.check_login(draft.login)):
            errors["login"] = "；".join(problems)
        name, unit = draft.display_name or "", draft.unit or ""
        for field, label, value, limit in (("display_name", "姓名", name, 50),
                                           ("unit", "部门", unit, 100)):  # fmt: skip
            if why := text_problem(value):
                errors[field] = f"{label}{why}"
            elif any(unicodedata.category(ch) == "Cc" for ch in value):
                errors[field] = f"{label}含有换行或不可见的控制字符"
            elif len(clean_text(value)) > limit:
                errors[field] = f"{label}不能超过{limit}个字"
        if "display_name" not in errors and not clean_text(name):
            errors["display_name"] = "请填写姓名"
        name = clean_text(name) if "display_name" not in errors else ""
        unit = clean_text(unit) if "unit" not in errors else ""
        try:
            chosen = roles.roles_from(draft.roles)
        except FieldErrors as exc:
            errors.update(exc.errors)
            chosen = frozenset()
        if not chosen and "roles" not in errors:
            errors["roles"] = "请至少选择一个角色"
        if errors:
            raise FieldErrors(errors)
        order = list(roles.ROLE_NAMES)
        return {
            "display_name": name, "unit": unit, "active": bool(draft.active),
            "roles": ",".join(sorted(chosen, key=order.index)),
        }  # fmt: skip

    def _new_user(self, uow: UnitOfWork, draft: UserDraft, password: str,
                  must_change: bool) -> UserAccount:  # fmt: skip
        values = self._checked(draft)
        s = uow.session
        problems = pw.check_password(password, draft.login, load_policy(s))
        if problems:
            raise FieldErrors({"password": "；".join(problems)})
        login = pw.login_key(draft.login)
        if _by_login(s, login) is not None:
            raise FieldErrors({"login": f"登录名“{login}”已被使用"})
        now = now_utc()
        row = UserAccount(login=login, created_at=now, updated_at=now, **values)
        self._set_password(row, password, must_change)
        s.add(row)
        s.flush()
        shown = {k: (None, v) for k, v in values.items()} | {"login": (None, login)}
        uow.audit("create", ENTITY, row.id, f"新建用户 {login}", shown)
        return row

    @staticmethod
    def _set_password(row: UserAccount, password: str, must_change: bool) -> None:
        row.password_hash = HASHER.hash(password)
        row.password_changed_at = now_utc()
        row.must_change = must_change

    @staticmethod
    def _load(session: Session, user_id: str) -> UserAccount:
        row = session.get(UserAccount, parse_id(user_id, "用户"))
        if row is None:
            raise NotFound("找不到该用户")
        return row
