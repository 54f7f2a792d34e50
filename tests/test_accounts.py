"""Accounts (issue 7, point 1; GB/T 22239-2019 §8.1.4.1 身份鉴别): the first administrator,
Argon2id hashes at OWASP's minimum, the complexity rule, sign-in refusals in Chinese, 5 failures
locking the account, the expiry and reset prompts, the idle unlock, the audit of each event, and
every audit record naming the signed-in user."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update

from casedesk.domain import roles
from casedesk.domain.drafts import CaseDraft
from casedesk.domain.errors import FieldErrors
from casedesk.services import accounts as acc
from casedesk.services.accounts import UserDraft
from casedesk.services.errors import Conflict, NotPermitted, SignInRefused
from casedesk.store.account_models import UserAccount
from casedesk.store.models import AuditRecord

ADMIN_PW = "Guard#2026x"
JUDGE_PW = "Judge#2026x"


@pytest.fixture
def admin(services):  # type: ignore[no-untyped-def]
    services.accounts.create_first_admin(UserDraft("admin", "系统管理员", "办公室"), ADMIN_PW)
    services.accounts.sign_in("admin", ADMIN_PW)
    return services


def audit_actions(services, entity_type: str = acc.ENTITY) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with services.db.session() as s:
        rows = s.execute(
            select(AuditRecord.action, AuditRecord.actor)
            .where(AuditRecord.entity_type == entity_type)
            .order_by(AuditRecord.id)
        ).all()
    return [tuple(r) for r in rows]


def add_judge(
    services, login: str = "wangfg", unit: str = "民一庭", role: str = roles.HANDLER
) -> str:  # type: ignore[no-untyped-def]
    user = services.accounts.create_user(
        UserDraft(login, "王法官", unit, frozenset({role})), JUDGE_PW
    )
    return user.id


def test_first_start_creates_the_administrator_once(services):  # type: ignore[no-untyped-def]
    assert not services.accounts.has_users()
    with pytest.raises(FieldErrors) as bad:
        services.accounts.create_first_admin(UserDraft("ad", "", ""), "short")
    assert set(bad.value.errors) == {"login", "display_name"}  # checked before the password
    made = services.accounts.create_first_admin(UserDraft("Admin", "系统管理员"), ADMIN_PW)
    assert made.login == "admin" and made.roles == {roles.ADMIN} and not made.must_change
    with pytest.raises(Conflict, match="已有用户"):
        services.accounts.create_first_admin(UserDraft("admin2", "另一个"), ADMIN_PW)


def test_password_hash_is_argon2id_at_owasp_minimum(admin):  # type: ignore[no-untyped-def]
    with admin.db.session() as s:
        stored = s.scalar(select(UserAccount.password_hash).where(UserAccount.login == "admin"))
    # OWASP Password Storage Cheat Sheet: Argon2id, m=19456 KiB, t=2, p=1
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert ADMIN_PW not in stored


def test_a_weaker_stored_hash_is_upgraded_at_sign_in(admin):  # type: ignore[no-untyped-def]
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(ADMIN_PW)
    with admin.db.session() as s, s.begin():
        s.execute(update(UserAccount).values(password_hash=weak))
    admin.accounts.sign_in("admin", ADMIN_PW)
    with admin.db.session() as s:
        assert "m=19456,t=2" in s.scalar(select(UserAccount.password_hash))


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("Ab1!", "至少需要8个字符"),
        ("abcdefgh1", "至少3类"),
        ("Wangfg#2026", "不能包含登录名"),
        ("密码Abc12345", "不能有汉字"),
    ],
)
def test_new_users_get_the_complexity_rule(admin, password, fragment):  # type: ignore[no-untyped-def]
    with pytest.raises(FieldErrors) as bad:
        admin.accounts.create_user(
            UserDraft("wangfg", "王法官", "民一庭", {roles.HANDLER}), password
        )
    assert fragment in bad.value.errors["password"]
    assert [u.login for u in admin.accounts.users()] == ["admin"]  # nothing half-saved


def test_login_names_are_unique_case_insensitively(admin):  # type: ignore[no-untyped-def]
    add_judge(admin)
    with pytest.raises(FieldErrors) as bad:
        admin.accounts.create_user(UserDraft("WangFG", "另一王法官", "", {roles.CLERK}), JUDGE_PW)
    assert "已被使用" in bad.value.errors["login"]


def test_wrong_password_and_unknown_login_say_the_same(services):  # type: ignore[no-untyped-def]
    services.accounts.create_first_admin(UserDraft("admin", "系统管理员"), ADMIN_PW)
    with pytest.raises(SignInRefused, match="登录名或密码不正确") as unknown:
        services.accounts.sign_in("nobody", ADMIN_PW)
    with pytest.raises(SignInRefused, match="登录名或密码不正确") as wrong:
        services.accounts.sign_in("admin", "Wrong#2026x")
    assert "再错 4 次" in str(wrong.value) and "再错" not in str(unknown.value)
    assert not services.identity.signed_in
    assert [a for a, _ in audit_actions(services)] == ["create", "login_fail", "login_fail"]


def test_five_failures_lock_the_account_for_the_set_time(services):  # type: ignore[no-untyped-def]
    # GB/T 22239-2019 §8.1.4.1 b) 限制非法登录次数; policy: 5 failures, 10 minutes
    services.accounts.create_first_admin(UserDraft("admin", "系统管理员"), ADMIN_PW)
    for attempt in range(1, 5):
        with pytest.raises(SignInRefused, match=f"再错 {5 - attempt} 次"):
            services.accounts.sign_in("admin", "Wrong#2026x")
    with pytest.raises(SignInRefused, match="连续5次登录失败，账号已锁定至"):
        services.accounts.sign_in("admin", "Wrong#2026x")
    with pytest.raises(SignInRefused, match="已锁定"):  # the right password does not help now
        services.accounts.sign_in("admin", ADMIN_PW)
    actions = [a for a, _ in audit_actions(services)]
    assert actions.count("lockout") == 1 and actions[-1] == "login_fail"
    # the lock runs out after lockout_minutes
    later = datetime.now(UTC) - timedelta(minutes=11)
    with services.db.session() as s, s.begin():
        s.execute(update(UserAccount).values(last_failed_at=later, locked_until=later))
    assert services.accounts.sign_in("admin", ADMIN_PW).user.login == "admin"


def test_an_administrator_unlocks_and_resets(admin):  # type: ignore[no-untyped-def]
    uid = add_judge(admin)
    admin.accounts.sign_out()
    for _ in range(5):
        with pytest.raises(SignInRefused):
            admin.accounts.sign_in("wangfg", "Wrong#2026x")
    admin.accounts.sign_in("admin", ADMIN_PW)
    assert next(u for u in admin.accounts.users() if u.id == uid).locked_until is not None
    admin.accounts.unlock(uid)
    admin.accounts.reset_password(uid, "Reset#2026y")
    admin.accounts.sign_out()
    signed = admin.accounts.sign_in("wangfg", "Reset#2026y")
    assert signed.must_change and "重置" in signed.reason


def test_a_new_user_and_an_expired_password_must_be_changed(admin):  # type: ignore[no-untyped-def]
    add_judge(admin)
    admin.accounts.sign_out()
    first = admin.accounts.sign_in("wangfg", JUDGE_PW)
    assert first.must_change  # the initial password the administrator set
    with pytest.raises(FieldErrors) as bad:
        admin.accounts.change_password("Wrong#2026x", "Better#2026z")
    assert "原密码不正确" in bad.value.errors["old"]
    with pytest.raises(FieldErrors) as same:
        admin.accounts.change_password(JUDGE_PW, JUDGE_PW)
    assert "不能与原密码相同" in same.value.errors["new"]
    admin.accounts.change_password(JUDGE_PW, "Better#2026z")
    assert not admin.accounts.sign_in("wangfg", "Better#2026z").must_change
    old = datetime.now(UTC) - timedelta(days=91)  # policy: 90 days (§8.1.4.1 a) 定期更换)
    with admin.db.session() as s, s.begin():
        s.execute(update(UserAccount).where(UserAccount.login == "wangfg")
                  .values(password_changed_at=old))  # fmt: skip
    expired = admin.accounts.sign_in("wangfg", "Better#2026z")
    assert expired.must_change and "90天" in expired.reason


def test_a_deactivated_account_cannot_sign_in(admin):  # type: ignore[no-untyped-def]
    uid = add_judge(admin)
    user = next(u for u in admin.accounts.users() if u.id == uid)
    draft = UserDraft(user.login, user.display_name, user.unit, user.roles, active=False)
    admin.accounts.update_user(uid, user.version, draft)
    admin.accounts.sign_out()
    with pytest.raises(SignInRefused, match="已停用"):
        admin.accounts.sign_in("wangfg", JUDGE_PW)


def test_an_administrator_cannot_demote_themselves(admin):  # type: ignore[no-untyped-def]
    me = admin.accounts.users()[0]
    with pytest.raises(FieldErrors) as bad:
        admin.accounts.update_user(me.id, me.version, UserDraft("admin", "管", "", {roles.CLERK}))
    assert "不能取消自己的管理员角色" in bad.value.errors["roles"]


def test_only_administrators_manage_users(admin):  # type: ignore[no-untyped-def]
    add_judge(admin)
    admin.accounts.sign_out()
    admin.accounts.sign_in("wangfg", JUDGE_PW)
    with pytest.raises(NotPermitted, match="承办人无权管理用户和角色"):
        admin.accounts.users()
    with pytest.raises(NotPermitted):
        admin.accounts.create_user(UserDraft("x.y", "某", "", {roles.ADMIN}), JUDGE_PW)


def test_every_audit_record_names_the_signed_in_user(admin):  # type: ignore[no-untyped-def]
    add_judge(admin, role=roles.CLERK)
    admin.accounts.sign_out()
    admin.accounts.sign_in("wangfg", JUDGE_PW)
    admin.cases.create(CaseDraft("（2026）新01民初1号", "民事", datetime.now().date()))
    admin.accounts.sign_out()
    names = [actor for _a, actor in audit_actions(admin, "case")]
    assert names == ["王法官（wangfg）"]
    login_events = [(a, n) for a, n in audit_actions(admin) if a in ("login", "logout")]
    assert login_events[-2:] == [("login", "王法官（wangfg）"), ("logout", "王法官（wangfg）")]


def test_the_idle_lock_asks_the_same_user_again(admin):  # type: ignore[no-untyped-def]
    with pytest.raises(SignInRefused):
        admin.accounts.unlock_session("Wrong#2026x")
    admin.accounts.unlock_session(ADMIN_PW)
    assert admin.identity.user.login == "admin"


def test_the_policy_is_editable_within_bounds(admin):  # type: ignore[no-untyped-def]
    with pytest.raises(FieldErrors) as bad:
        admin.accounts.set_policy({"max_failures": 9})
    assert "3至5" in bad.value.errors["max_failures"]
    admin.accounts.set_policy({"max_failures": 3, "min_length": 10})
    assert admin.accounts.policy().max_failures == 3
    with pytest.raises(FieldErrors) as short:
        admin.accounts.create_user(UserDraft("li.si", "李四", "", {roles.CLERK}), "Abc#12345")
    assert "至少需要10个字符" in short.value.errors["password"]


@pytest.mark.parametrize(
    ("role", "may_import", "may_export"),
    [  # roles.py: data.import clerk/head (unit), leader; data.export leader, admin
        (roles.CLERK, True, False),
        (roles.HANDLER, False, False),
        (roles.HEAD, True, False),
        (roles.LEADER, True, True),
        (roles.ADMIN, False, True),
    ],
)
def test_whole_ledger_import_and_export_follow_the_table(admin, tmp_path, role, may_import,  # type: ignore[no-untyped-def]
                                                         may_export):  # fmt: skip
    add_judge(admin, login="some.one", role=role)
    admin.accounts.sign_out()  # the system (command line) may do anything
    admin.cases.create(CaseDraft("（2026）新01民初2号", "民事", datetime.now().date()))
    out = tmp_path / "all.jsonl"
    assert admin.data.export_cases(out) == 1
    admin.accounts.sign_in("some.one", JUDGE_PW)
    for may, call in ((may_export, lambda: admin.data.export_cases(tmp_path / "again.jsonl")),
                      (may_import, lambda: admin.data.import_cases(out))):  # fmt: skip
        if may:
            call()
        else:
            with pytest.raises(NotPermitted, match=roles.ROLE_NAMES[role]):
                call()
