"""Demo accounts (issue 7): made with the demo data so each role can be tried — per unit a head
who handles cases, two handlers and a clerk, and one leader; each signs in with the published
password and reads only what its role may."""

from __future__ import annotations

from casedesk.domain import roles
from casedesk.services.accounts import UserDraft
from casedesk.services.demo import generate_demo
from casedesk.services.demo.accounts import DEMO_PASSWORD, create_demo_accounts
from casedesk.store.case_list import CaseFilter


def test_demo_accounts_sign_in_and_see_their_scope(services):  # type: ignore[no-untyped-def]
    generate_demo(services.db, 300, seed=1)
    services.accounts.create_first_admin(UserDraft("admin", "管理员"), "Guard#2026x")
    services.accounts.sign_in("admin", "Guard#2026x")
    made = create_demo_accounts(services.db, services.accounts)
    units = {a.unit for a in made if a.unit != "院领导"}
    assert len(units) >= 3
    for unit in units:
        kinds = sorted(a.role_text for a in made if a.unit == unit)
        assert "书记员" in kinds and "承办人、部门负责人" in kinds
    assert [a.role_text for a in made if a.login == "yuanzhang"] == ["院领导"]
    services.accounts.sign_out()

    total = services.case_list.total()
    head = next(a for a in made if a.login == "tz01")
    signed = services.accounts.sign_in("tz01", DEMO_PASSWORD)
    assert not signed.must_change and roles.HEAD in signed.user.roles
    ids = services.case_list.ids(CaseFilter(), "accepted_on", False)
    assert 0 < len(ids) < total  # the unit's cases only
    assert {services.cases.get(i).unit for i in ids[:20]} == {head.unit}
    services.accounts.sign_out()
    services.accounts.sign_in("yuanzhang", DEMO_PASSWORD)
    assert len(services.case_list.ids(CaseFilter(), "accepted_on", False)) == total
