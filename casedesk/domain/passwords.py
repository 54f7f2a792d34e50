"""Login names and the password policy: complexity, expiry, lockout after failed logins, idle lock.

The policy is data (``PasswordPolicy``) with defaults from the typical 等级保护 2.0 level-3
assessor settings (performance-reliability.md §6; GB/T 22239-2019 §8.1.4.1 a) 口令复杂度并定期
更换, b) 登录失败处理、连接超时自动退出): at least 8 characters of at least 3 of the 4 classes,
changed every 90 days, 5 failures lock the account for 10 minutes (the guides say 300–600 s), the
app locks after 10 minutes idle (~600 s). The administrator may change each value within
``SETTINGS``' bounds, which never fall below those settings' baseline where the standard asks for
one. Hashing (Argon2id) is not here: it belongs to the store.

Times passed in must be all aware or all naive (as the store keeps them).
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from casedesk.domain.errors import FieldErrors

#: Longest password accepted: long enough for passphrases, short enough to hash at once.
MAX_LENGTH = 128
LOGIN_MIN, LOGIN_MAX = 3, 32
_LOGIN = re.compile(r"[A-Za-z0-9._-]+")


@dataclass(frozen=True)
class PasswordPolicy:
    """The editable password settings (names as stored, e.g. ``password.min_length``)."""

    min_length: int = 8
    min_classes: int = 3
    max_age_days: int = 90
    max_failures: int = 5
    lockout_minutes: int = 10
    idle_lock_minutes: int = 10


DEFAULT_POLICY = PasswordPolicy()

#: Each setting: Chinese label, lowest and highest value the administrator may set, why.
SETTINGS: dict[str, tuple[str, int, int, str]] = {
    "min_length": ("密码最短长度（字符）", 8, 64, "等保测评常用值：不少于8位"),
    "min_classes": ("密码至少包含的字符类别数", 3, 4, "等保测评常用值：4类中至少3类"),
    "max_age_days": ("密码有效期（天）", 1, 365, "GB/T 22239-2019 §8.1.4.1 a) 定期更换；常用90天"),
    "max_failures": ("连续登录失败锁定次数", 3, 5, "§8.1.4.1 b) 限制非法登录次数；常用不超过5次"),
    "lockout_minutes": ("锁定时长（分钟）", 5, 1440, "常用300—600秒"),
    "idle_lock_minutes": ("无操作自动锁定（分钟）", 1, 30, "§8.1.4.1 b) 超时自动退出；常用约600秒"),
}

CLASS_NAMES = ("大写字母", "小写字母", "数字", "符号")
_SYMBOLS = frozenset(string.punctuation + " ")


def setting_key(name: str) -> str:
    """The key under which a setting is stored (``password.min_length`` …)."""
    return f"password.{name}"


def policy_values(policy: PasswordPolicy) -> dict[str, int]:
    """The policy as ``{setting name: value}``."""
    return asdict(policy)


def policy_from(values: Mapping[str, object]) -> PasswordPolicy:
    """A policy from edited or stored values (missing ones keep their defaults); a value that is
    not a whole number within its bounds raises ``FieldErrors`` naming the setting."""
    errors: dict[str, str] = {}
    out: dict[str, int] = {}
    for name, (label, low, high, _why) in SETTINGS.items():
        if name not in values:
            continue
        raw = values[name]
        value: int | None = None
        if isinstance(raw, int) and not isinstance(raw, bool):
            value = raw
        elif isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit():
            digits = raw.strip()
            value = int(digits) if len(digits) <= 9 else high + 1  # int() refuses 4300+ digits
        if value is None:
            errors[name] = f"{label}应为整数"
        elif not low <= value <= high:
            errors[name] = f"{label}应在{low}至{high}之间"
        else:
            out[name] = value
    if errors:
        raise FieldErrors(errors)
    return PasswordPolicy(**{**policy_values(DEFAULT_POLICY), **out})


def login_key(login: str) -> str:
    """The form two logins are compared in: "Zhang.San" and "zhang.san" are the same user."""
    return login.strip().casefold()


def check_login(login: object) -> list[str]:
    """What is wrong with a login name (empty list: nothing)."""
    if not isinstance(login, str) or not login:
        return ["请填写登录名"]
    problems = []
    if not _LOGIN.fullmatch(login):
        problems.append("登录名只能包含英文字母、数字和“.”“_”“-”（不能有汉字、空格或其他符号）")
    if not LOGIN_MIN <= len(login) <= LOGIN_MAX:
        problems.append(f"登录名应为{LOGIN_MIN}至{LOGIN_MAX}个字符（现有{len(login)}个）")
    return problems


def char_classes(password: str) -> frozenset[str]:
    """The character classes (``CLASS_NAMES``) the password uses."""
    found = set()
    for ch in password:
        if "A" <= ch <= "Z":
            found.add(CLASS_NAMES[0])
        elif "a" <= ch <= "z":
            found.add(CLASS_NAMES[1])
        elif "0" <= ch <= "9":
            found.add(CLASS_NAMES[2])
        elif ch in _SYMBOLS:
            found.add(CLASS_NAMES[3])
    return frozenset(found)


def check_password(
    password: object, login: str = "", policy: PasswordPolicy = DEFAULT_POLICY
) -> list[str]:
    """What is wrong with a new password for ``login`` (empty list: it may be used).

    Only printable ASCII is accepted: a password typed with the input method in 全角 or Chinese
    mode would not match the same keys typed later in 半角 mode."""
    if not isinstance(password, str) or not password:
        return ["请输入密码"]
    if len(password) > MAX_LENGTH:
        return [f"密码不能超过{MAX_LENGTH}个字符"]
    problems = []
    if any(not (ch.isascii() and ch.isprintable()) for ch in password):
        problems.append(
            "密码只能包含英文字母、数字、英文符号和空格（不能有汉字、全角字符或控制字符）"
        )
    if len(password) < policy.min_length:
        problems.append(f"密码至少需要{policy.min_length}个字符（现有{len(password)}个）")
    classes = char_classes(password)
    if len(classes) < policy.min_classes:
        used = "、".join(c for c in CLASS_NAMES if c in classes) or "无"
        problems.append(
            f"密码须包含{'、'.join(CLASS_NAMES)}中的至少{policy.min_classes}类"
            f"（现有{len(classes)}类：{used}）"
        )
    key = login_key(login) if isinstance(login, str) else ""
    if key and key in password.casefold():
        problems.append("密码不能包含登录名")
    return problems


def expires_at(changed_at: datetime | None, policy: PasswordPolicy = DEFAULT_POLICY
               ) -> datetime | None:  # fmt: skip
    """When a password changed at ``changed_at`` must be changed (None: it must be now, e.g.
    an initial password the administrator set)."""
    if changed_at is None:
        return None
    return changed_at + timedelta(days=policy.max_age_days)


def is_expired(
    changed_at: datetime | None, now: datetime, policy: PasswordPolicy = DEFAULT_POLICY
) -> bool:
    """Must the user change the password before going on? (No date: yes.)"""
    due = expires_at(changed_at, policy)
    return due is None or now >= due


def days_left(
    changed_at: datetime | None, now: datetime, policy: PasswordPolicy = DEFAULT_POLICY
) -> int:
    """Whole days until the password must be changed (0 when it must be changed now)."""
    due = expires_at(changed_at, policy)
    if due is None or now >= due:
        return 0
    return (due - now).days


def count_failure(
    failures: int,
    last_failure_at: datetime | None,
    now: datetime,
    policy: PasswordPolicy = DEFAULT_POLICY,
) -> int:
    """The failure count after one more failed login at ``now``. Earlier failures count only
    while the last one is less than the lockout time ago — so once a lock has run out, counting
    starts again at 1. A successful login resets the count to 0 (the store's business)."""
    if last_failure_at is None or failures <= 0:
        return 1
    if now - last_failure_at >= timedelta(minutes=policy.lockout_minutes):
        return 1
    return failures + 1


def lockout_state(
    failures: int,
    last_failure_at: datetime | None,
    now: datetime,
    policy: PasswordPolicy = DEFAULT_POLICY,
) -> tuple[bool, datetime | None]:
    """``(locked, until)``: locked while ``failures`` reached ``max_failures`` and the lockout
    time since the last failure has not run out; ``until`` is when it ends (None: not locked)."""
    if last_failure_at is None or failures < policy.max_failures:
        return False, None
    until = last_failure_at + timedelta(minutes=policy.lockout_minutes)
    if now >= until:
        return False, None
    return True, until


def lockout_message(until: datetime, policy: PasswordPolicy = DEFAULT_POLICY) -> str:
    """What the login dialog says to a locked account."""
    return (
        f"连续{policy.max_failures}次登录失败，账号已锁定至 {until:%Y-%m-%d %H:%M}。"
        "请届时再试，或请管理员解锁。"
    )


def idle_locked(
    last_activity: datetime, now: datetime, policy: PasswordPolicy = DEFAULT_POLICY
) -> bool:
    """Has the app been idle long enough to lock and ask for the password again?"""
    return now - last_activity >= timedelta(minutes=policy.idle_lock_minutes)
