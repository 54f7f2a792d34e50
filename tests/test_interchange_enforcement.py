"""Enforcement records (执行) in the case interchange file (docs/interchange.md §3.9, §6.10): the
record with its payments, actions, credit listings (失信) — their grace, term and deletion clocks
as positions in ``deadlines`` — and 限制消费 orders, kept through export → import → export; bad
records refused with their key path and nothing written; files without the key still imported.
Sources: 失信规定 法释〔2017〕7号 第1、2、10条; 法发〔2019〕35号 (宽限期); 限制消费规定
(law.md §3.4, §6)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from casedesk.domain.credit_list import (
    DeletionDraft,
    ListingDraft,
    SpendingBanDraft,
    WarningDraft,
)
from casedesk.domain.enforcement import (
    ActionDraft,
    ClosingDraft,
    PaymentDraft,
)
from casedesk.services.app import Services
from casedesk.services.interchange import export_cases, import_cases
from casedesk.store.backup import backup_sqlite
from casedesk.store.enforcement_models import (
    DishonestListing,
    EnforcementAction,
    EnforcementPayment,
    EnforcementRecord,
    SpendingBan,
)
from casedesk.store.models import AuditRecord, Deadline
from tests.test_enforcement import enforcement_case
from tests.test_interchange import IMPORTER, case, case_id, write
from tests.test_interchange_compliance import _set
from tests.test_interchange_deadlines import anonymous, written

TABLES = (EnforcementRecord, EnforcementPayment, EnforcementAction, DishonestListing, SpendingBan)
CLOCKS = ("grace_deadline_id", "term_deadline_id", "delete_deadline_id")


@pytest.fixture
def fresh(template_db: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A second, empty database."""
    sv = Services.open(backup_sqlite(template_db, tmp_path / "b.sqlite3"), IMPORTER)
    yield sv
    sv.close()


def all_rows(sv: Services) -> tuple[int, ...]:
    with sv.db.session() as s:
        counts = tuple(s.scalar(select(func.count()).select_from(m)) or 0 for m in TABLES)
    return (*written(sv), *counts)


def populate(sv: Services) -> dict[str, str]:
    """Three 执行 cases: (1) paid in part, 终本 and resumed, the firm warned with a grace period
    and listed after it for two years, a 限制消费 order lifted; (2) listed, then paid in full —
    the deletion clock ran and the deletion was recorded — closed 执行完毕; (3) listed without a
    term (ground 1), another ground of deletion arose (its clock pending), 终本 with the follow-up
    search reminder."""
    e = sv.enforcement
    one = enforcement_case(sv, 1)
    e.add_payment(one["case"], PaymentDraft(date(2026, 2, 10), 2_000_000, "天山建材", "强制扣划"))
    e.add_action(one["case"], ActionDraft("网络查控", date(2026, 1, 20), "查询到银行存款"))
    e.add_action(one["case"], ActionDraft("悬赏公告", date(2026, 3, 1), "无人举报", "悬赏〔1〕号"))
    firm = e.warn(one["case"], WarningDraft(one["firm"], date(2026, 2, 1), "预警〔1〕号", 1))
    e.list_debtor(one["case"], ListingDraft(one["firm"], date(2026, 3, 10), 2, "失信〔1〕号"))
    ban = e.order_spending_ban(one["case"], SpendingBanDraft(
        one["person"], date(2026, 2, 15), "限消〔1〕号", notes="限制高消费"))  # fmt: skip
    e.lift_spending_ban(ban, date(2026, 5, 1), "提供担保")
    e.terminate(one["case"], date(2026, 6, 1), "无财产可供执行")
    e.resume(one["case"], date(2026, 8, 3), "发现新财产")
    two = enforcement_case(sv, 2, claimed=5_000_000)
    listed = e.list_debtor(two["case"], ListingDraft(two["person"], date(2026, 3, 2), 3, "", 1))
    e.add_payment(two["case"], PaymentDraft(date(2026, 4, 1), 1_000_000))
    e.add_payment(two["case"], PaymentDraft(date(2026, 9, 30), 4_000_000, way="主动履行"))
    e.delete_listing(listed, DeletionDraft(date(2026, 10, 9), "履行完毕", "删除〔2〕号"))
    e.close(two["case"], ClosingDraft(date(2026, 10, 12), "执行完毕", "结〔2〕号"))
    three = enforcement_case(sv, 3, claimed=None)
    grounded = e.list_debtor(three["case"], ListingDraft(three["firm"], date(2026, 4, 1), 1))
    e.deletion_ground(grounded, date(2026, 11, 20), "终结执行")
    e.terminate(three["case"], date(2026, 7, 1))
    return {"one": one["case"], "two": two["case"], "three": three["case"], "firm": firm}


def pages(sv: Services) -> list:
    """What the enforcement page shows of each case, without the database's own ids."""
    out = []
    for number in ("（2026）新01执1号", "（2026）新01执2号", "（2026）新01执3号"):
        v = sv.enforcement.get(case_id(sv, number))
        out.append((
            v.claimed_fen, v.recovered_fen, v.rate_text, v.state,
            [(p.paid_on, p.amount_fen, p.way) for p in v.payments],
            [(a.kind, a.taken_on, a.result) for a in v.actions],
            [(x.id, x.state, x.grace_end, x.term_end, x.listed_on, x.deleted_on)
             for x in v.listings],
            [(b.id, b.ordered_on, b.lifted_on) for b in v.bans],
            [anonymous(c) for c in v.clocks],
        ))  # fmt: skip
    return out


def listing_clocks(sv: Services) -> list[tuple]:
    """Each listing's clocks, by rule, trigger, start and state."""
    out = []
    with sv.db.session() as s:
        for x in s.scalars(select(DishonestListing)):
            for column in CLOCKS:
                d = s.get(Deadline, getattr(x, column)) if getattr(x, column) else None
                out.append((x.id, column, d and (d.rule_id, d.trigger, d.start_on, d.status)))
    return sorted(out, key=repr)


def test_enforcement_records_keep_every_field(services, fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ids = populate(services)
    out = tmp_path / "cases.jsonl"
    assert export_cases(services.db, out) == 3
    lines = out.read_text(encoding="utf-8").splitlines()
    one, two, three = (json.loads(x)["enforcement"] for x in lines[1:])
    assert (one["state"], two["state"], three["state"]) == ("执行中", "已结案", "终结本次执行")
    assert (one["recovered_fen"], two["performed_on"]) == (2_000_000, "2026-09-30")
    (firm,) = one["listings"]
    assert firm["id"] == ids["firm"] and firm["debtor_party"] == 1
    deadlines = json.loads(lines[1])["deadlines"]
    assert deadlines[firm["grace_deadline"]]["rule_id"] == "dishonest.grace"
    assert deadlines[firm["term_deadline"]]["rule_id"] == "dishonest.term"
    (grounded,) = three["listings"]
    clock = json.loads(lines[3])["deadlines"][grounded["delete_deadline"]]
    assert (clock["trigger"], clock["status"]) == ("dishonest_deletion_ground", "open")
    assert one["spending_bans"][0]["lift_reason"] == "提供担保"

    report = import_cases(fresh.db, IMPORTER, out)
    assert report.ok, report.errors
    assert not report.warnings, report.warnings
    assert report.enforcement == 3 and "执行信息 3 件" in report.summary()
    assert pages(fresh) == pages(services)
    assert listing_clocks(fresh) == listing_clocks(services)
    assert all_rows(fresh)[-5:] == all_rows(services)[-5:]

    # The lists read the copy as the original: the credit list and the pending deletions.
    def lists(sv: Services) -> tuple[list, list]:
        return (
            [d._replace(case_id="") for d in sv.enforcement.listed_debtors()],
            [d._replace(case_id="", deadline_id="") for d in sv.enforcement.pending_deletions()],
        )

    assert lists(fresh) == lists(services)
    assert len(lists(services)[0]) == 2 and len(lists(services)[1]) == 1
    with fresh.db.session() as s:
        audited = dict(s.execute(
            select(AuditRecord.entity_type, func.count())
            .where(AuditRecord.action == "create").group_by(AuditRecord.entity_type)
        ).all())  # fmt: skip
    assert [audited.get(t.__tablename__) for t in TABLES] == list(all_rows(services)[-5:])
    again = tmp_path / "again.jsonl"
    export_cases(fresh.db, again)
    assert again.read_text(encoding="utf-8").splitlines()[1:] == lines[1:]


def test_a_file_without_enforcement_still_imports(services, fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    populate(services)
    out = tmp_path / "cases.jsonl"
    export_cases(services.db, out)
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()[1:]]
    for line in lines:
        del line["enforcement"], line["compliance_cases"]
    old = case(9, case_number="（2025）新01执9号", family="执行")
    report = import_cases(fresh.db, IMPORTER, write(tmp_path / "old.jsonl", *lines, old))
    assert report.ok, report.errors
    assert not [w for w in report.warnings if "已忽略" in w]
    assert report.enforcement == 0 and "执行信息" not in report.summary()
    assert all_rows(fresh)[-5:] == (0, 0, 0, 0, 0)
    assert fresh.enforcement.get(case_id(fresh, "（2026）新01执1号")) is None


# -- refusal ----------------------------------------------------------------------------------

E = "enforcement"
BAD = [
    (1, _set(f"{E}.state", "执行中止"),
     "enforcement.state：“执行中止”不是执行案件的状态"),
    (1, _set(f"{E}.state", "已结案"),
     "enforcement.state：按终本、恢复执行和结案日期，状态应为“执行中”"),
    (1, _set(f"{E}.listings.0.debtor_party", 9),
     "enforcement.listings[0].debtor_party：parties 中没有序号为 9 的当事人"),
    (1, _set(f"{E}.listings.0.grace_deadline", 99),
     "enforcement.listings[0].grace_deadline：deadlines 中没有序号为 99 的期限"),
    (1, _set(f"{E}.listings.0.grace_deadline", 0),
     "enforcement.listings[0].grace_deadline：deadlines[0] 是“执行期限”，应为“信用宽限期”"),
    # 法发〔2019〕35号: no listing within the grace period
    (1, _set(f"{E}.listings.0.listed_on", "2026-02-20"),
     "enforcement.listings[0].listed_on：宽限期至"),
    # 失信规定 第1条: six grounds
    (1, _set(f"{E}.listings.0.ground", 7),
     "enforcement.listings[0].ground：“7”不是纳入失信名单的情形"),
    # 失信规定 第2条: 2 years, 1–3 more for serious cases
    (1, _set(f"{E}.listings.0.term_spec", "7y"),
     "enforcement.listings[0].term_spec：纳入期限为二年"),
    (1, _set(f"{E}.listings.0.grace_months", 4),
     "enforcement.listings[0].grace_months：宽限期为一至三个月"),
    (1, _set(f"{E}.title_kind", "支付令"),
     "enforcement.title_kind：“支付令”不是执行依据"),
    # a payment larger than what remains of the claim
    (1, _set(f"{E}.payments.0.amount_fen", 20_000_000),
     "enforcement.payments[0].amount_fen：到位金额 200,000.00 元超出尚未执行到位的金额"),
    (1, _set(f"{E}.recovered_fen", 1),
     "enforcement.recovered_fen：已执行到位金额应为各笔到位款之和"),
    (1, _set(f"{E}.spending_bans.0.lift_reason", "其它理由"),
     "enforcement.spending_bans[0].lift_reason：请选择解除限制消费的理由"),
    # 失信规定 第10条: a deletion for performance cannot precede it
    (2, _set(f"{E}.listings.0.deleted_on", "2026-09-01"),
     "enforcement.listings[0].deleted_on：删除日期不能早于履行完毕的日期 2026-09-30"),
    (2, _set(f"{E}.performed_on", None),
     "enforcement.performed_on：以执行完毕结案的，应有履行完毕日期"),
    (3, _set(f"{E}.listings.0.term_spec", "2y"),
     "enforcement.listings[0].term_spec：纳入期限为二年"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("line", "change", "expected"), BAD, ids=[b[2].split("：")[0] for b in BAD]
)
def test_bad_enforcement_records_refuse_the_file(  # type: ignore[no-untyped-def]
    services, fresh, tmp_path: Path, line: int, change: Callable[[dict], None], expected: str
) -> None:
    populate(services)
    out = tmp_path / "cases.jsonl"
    export_cases(services.db, out)
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()[1:]]
    bad = copy.deepcopy(lines[line - 1])
    change(bad)
    lines[line - 1] = bad
    before = all_rows(fresh)
    report = import_cases(fresh.db, IMPORTER, write(tmp_path / "in.jsonl", *lines))
    assert {e.line for e in report.errors} == {line + 1}, report.errors
    assert any(e.message.startswith(expected) for e in report.errors), report.errors
    assert all_rows(fresh) == before


def test_enforcement_on_a_civil_case_refused(fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    line = case(1, case_number="（2025）新01民初9号", family="民事",
                enforcement={"title_kind": "判决书"})  # fmt: skip
    report = import_cases(fresh.db, IMPORTER, write(tmp_path / "in.jsonl", line))
    assert [e.message for e in report.errors] == [
        "enforcement：只有执行案件才能登记执行信息（本案为民事案件）"
    ]
