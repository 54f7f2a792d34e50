"""Login names and the password policy (issue 7, point 1), table by table.

Defaults are the typical 等保2.0 level-3 assessor settings of performance-reliability.md §6
(GB/T 22239-2019 §8.1.4.1 a) 复杂度、定期更换; b) 登录失败处理、超时自动退出): ≥8 characters of
3 of 4 classes, 90-day change, 5 failures → 10 minutes' lock, 10 minutes idle → lock."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from casedesk.domain.errors import FieldErrors
from casedesk.domain.passwords import (
    DEFAULT_POLICY,
    MAX_LENGTH,
    SETTINGS,
    PasswordPolicy,
    char_classes,
    check_login,
    check_password,
    count_failure,
    days_left,
    expires_at,
    idle_locked,
    is_expired,
    lockout_message,
    lockout_state,
    login_key,
    policy_from,
    policy_values,
    setting_key,
)

T0 = datetime(2026, 3, 2, 9, 0)


def test_defaults_are_the_assessor_settings() -> None:
    # performance-reliability.md §6 "Typical assessor settings"
    assert policy_values(DEFAULT_POLICY) == {
        "min_length": 8,
        "min_classes": 3,
        "max_age_days": 90,
        "max_failures": 5,
        "lockout_minutes": 10,
        "idle_lock_minutes": 10,
    }
    assert set(SETTINGS) == set(policy_values(DEFAULT_POLICY))
    for name, (label, low, high, why) in SETTINGS.items():
        assert low <= getattr(DEFAULT_POLICY, name) <= high, name
        assert label and why
    assert setting_key("min_length") == "password.min_length"


# -- login names ----------------------------------------------------------------------------------
LOGINS = [
    # login, problems expected (substrings; empty: valid)
    ("zhang.san", []),
    ("li_si-2", []),
    ("abc", []),
    ("a" * 32, []),
    ("ab", ["3至32个字符（现有2个）"]),
    ("a" * 33, ["3至32个字符（现有33个）"]),
    ("", ["请填写登录名"]),
    ("张三", ["只能包含英文字母", "3至32个字符（现有2个）"]),
    ("zhang san", ["只能包含英文字母"]),
    ("zhang@court", ["只能包含英文字母"]),
    ("ｚｈａｎｇ", ["只能包含英文字母"]),  # full-width letters
    ("zhang\n", ["只能包含英文字母"]),
    ("' OR 1=1 --", ["只能包含英文字母"]),
    (None, ["请填写登录名"]),
    (12345, ["请填写登录名"]),
]


@pytest.mark.parametrize(("login", "expected"), LOGINS)
def test_check_login(login: object, expected: list[str]) -> None:
    problems = check_login(login)
    assert len(problems) == len(expected)
    for problem, part in zip(problems, expected, strict=True):
        assert part in problem


def test_logins_compare_without_case_or_outer_spaces() -> None:
    assert login_key(" Zhang.San ") == login_key("zhang.san")


# -- passwords ------------------------------------------------------------------------------------
PASSWORDS = [
    # password, login, problems expected (substrings)
    ("Court2026", "zhang", []),  # upper, lower, digit
    ("court2026!", "zhang", []),  # lower, digit, symbol
    ("COURT-2026", "zhang", []),  # upper, digit, symbol
    ("Court-Desk", "zhang", []),  # upper, lower, symbol
    ("Ab1 cd ef", "zhang", []),  # a space is a symbol
    ("Ab1!" * 32, "zhang", []),  # exactly MAX_LENGTH
    ("Ab1!efg", "zhang", ["至少需要8个字符（现有7个）"]),
    ("courtdesk", "zhang", ["至少3类（现有1类：小写字母）"]),
    ("court2026", "zhang", ["至少3类（现有2类：小写字母、数字）"]),
    ("12345678", "zhang", ["现有1类：数字"]),
    ("Zhang2026!", "zhang", ["不能包含登录名"]),  # case does not hide the login
    ("xxZHANG.SAN1", "zhang.san", ["不能包含登录名"]),
    ("Court2026", "", []),  # no login yet: nothing to compare
    ("法院Court2026", "zhang", ["不能有汉字"]),
    ("Ｃｏｕｒｔ２０２６！", "zhang", ["不能有汉字", "至少3类（现有0类：无）"]),
    ("Court\t2026", "zhang", ["控制字符"]),
    ("", "zhang", ["请输入密码"]),
    (None, "zhang", ["请输入密码"]),
    ("Ab1!" * 32 + "x", "zhang", [f"不能超过{MAX_LENGTH}个字符"]),
    ("a" * 10_000, "zhang", [f"不能超过{MAX_LENGTH}个字符"]),
    ("ab", "zhang", ["至少需要8个字符", "至少3类"]),
]


@pytest.mark.parametrize(("password", "login", "expected"), PASSWORDS)
def test_check_password(password: object, login: str, expected: list[str]) -> None:
    problems = check_password(password, login)
    assert len(problems) == len(expected), problems
    for problem, part in zip(problems, expected, strict=True):
        assert part in problem


def test_a_stricter_policy_is_applied() -> None:
    strict = PasswordPolicy(min_length=12, min_classes=4)
    assert check_password("Court2026!", "zhang", strict) == ["密码至少需要12个字符（现有10个）"]
    assert "至少4类（现有3类" in check_password("Court2026abcd", "zhang", strict)[0]
    assert check_password("Court-2026-ab", "zhang", strict) == []


@pytest.mark.parametrize(
    ("password", "classes"),
    [("A", {"大写字母"}), ("z9", {"小写字母", "数字"}), ("~ ", {"符号"}), ("汉", set())],
)
def test_char_classes(password: str, classes: set[str]) -> None:
    assert char_classes(password) == classes


# -- expiry ---------------------------------------------------------------------------------------
EXPIRY = [
    # changed days before now, expired?, days left
    (0, False, 90),
    (1, False, 89),
    (89, False, 1),
    (90, True, 0),  # the 90th day after the change: change it now
    (400, True, 0),
]


@pytest.mark.parametrize(("days_ago", "expired", "left"), EXPIRY)
def test_expiry(days_ago: int, expired: bool, left: int) -> None:
    changed = T0 - timedelta(days=days_ago)
    assert is_expired(changed, T0) is expired
    assert days_left(changed, T0) == left
    assert expires_at(changed) == changed + timedelta(days=90)


def test_a_password_without_a_change_date_must_be_changed() -> None:
    # an initial password set by the administrator
    assert is_expired(None, T0) is True
    assert days_left(None, T0) == 0
    assert expires_at(None) is None


def test_expiry_follows_the_policy() -> None:
    monthly = PasswordPolicy(max_age_days=30)
    assert is_expired(T0 - timedelta(days=30), T0, monthly)
    assert not is_expired(T0 - timedelta(days=29, hours=23), T0, monthly)


# -- lockout --------------------------------------------------------------------------------------
LOCKOUT = [
    # failures, last failure minutes before now, locked?, minutes until unlocked
    (0, None, False, None),
    (4, 0, False, None),
    (5, 0, True, 10),  # the fifth failure locks for 10 minutes
    (5, 9, True, 1),
    (5, 10, False, None),  # the lock has run out
    (7, 3, True, 7),
    (5, None, False, None),
]


@pytest.mark.parametrize(("failures", "ago", "locked", "minutes"), LOCKOUT)
def test_lockout_state(failures: int, ago: int | None, locked: bool, minutes: int | None) -> None:
    last = None if ago is None else T0 - timedelta(minutes=ago)
    state, until = lockout_state(failures, last, T0)
    assert state is locked
    assert until == (None if minutes is None else T0 + timedelta(minutes=minutes))


COUNTING = [
    # failures so far, last failure minutes before now, count after this failure
    (0, None, 1),
    (0, 1, 1),
    (1, 1, 2),
    (4, 9, 5),
    (4, 10, 1),  # old failures no longer count
    (5, 10, 1),  # after a lock has run out counting starts again
    (3, 600, 1),
]


@pytest.mark.parametrize(("failures", "ago", "after"), COUNTING)
def test_count_failure(failures: int, ago: int | None, after: int) -> None:
    last = None if ago is None else T0 - timedelta(minutes=ago)
    assert count_failure(failures, last, T0) == after


def test_five_quick_failures_lock_and_the_lock_runs_out() -> None:
    failures, last = 0, None
    for minute in range(5):
        now = T0 + timedelta(minutes=minute)
        assert lockout_state(failures, last, now)[0] is False
        failures, last = count_failure(failures, last, now), now
    locked, until = lockout_state(failures, last, last)
    assert locked and until == T0 + timedelta(minutes=14)
    assert lockout_state(failures, last, until)[0] is False
    assert count_failure(failures, last, until) == 1


def test_lockout_message_is_chinese_and_says_until_when() -> None:
    message = lockout_message(T0 + timedelta(minutes=10))
    assert message == "连续5次登录失败，账号已锁定至 2026-03-02 09:10。请届时再试，或请管理员解锁。"


# -- idle lock ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("idle_minutes", "policy", "locked"),
    [
        (9.9, DEFAULT_POLICY, False),
        (10, DEFAULT_POLICY, True),
        (4, PasswordPolicy(idle_lock_minutes=5), False),
        (5, PasswordPolicy(idle_lock_minutes=5), True),
    ],
)
def test_idle_lock(idle_minutes: float, policy: PasswordPolicy, locked: bool) -> None:
    assert idle_locked(T0 - timedelta(minutes=idle_minutes), T0, policy) is locked


# -- the policy as edited settings ----------------------------------------------------------------
SETTING_VALUES = [
    # values, error expected on (field → substring) or None
    ({}, None),
    ({"min_length": 12, "max_age_days": "180"}, None),
    ({"min_length": 7}, {"min_length": "密码最短长度（字符）应在8至64之间"}),
    ({"min_classes": 2}, {"min_classes": "应在3至4之间"}),
    ({"max_failures": 6}, {"max_failures": "应在3至5之间"}),
    ({"max_age_days": 0}, {"max_age_days": "应在1至365之间"}),
    ({"lockout_minutes": "十"}, {"lockout_minutes": "锁定时长（分钟）应为整数"}),
    ({"idle_lock_minutes": 2.5}, {"idle_lock_minutes": "应为整数"}),
    ({"idle_lock_minutes": True}, {"idle_lock_minutes": "应为整数"}),
    ({"min_length": "８"}, {"min_length": "应为整数"}),  # full-width digit
    ({"min_length": 7, "max_failures": 99}, {"min_length": "8至64", "max_failures": "3至5"}),
]


@pytest.mark.parametrize(("values", "errors"), SETTING_VALUES)
def test_policy_from_settings(values: dict, errors: dict[str, str] | None) -> None:
    if errors is None:
        policy = policy_from(values)
        expected = {**policy_values(DEFAULT_POLICY), **{k: int(v) for k, v in values.items()}}
        assert policy_values(policy) == expected
        return
    with pytest.raises(FieldErrors) as caught:
        policy_from(values)
    assert set(caught.value.errors) == set(errors)
    for name, part in errors.items():
        assert part in caught.value.errors[name]


def test_policy_values_round_trip() -> None:
    policy = PasswordPolicy(min_length=10, lockout_minutes=30)
    assert policy_from(policy_values(policy)) == policy
