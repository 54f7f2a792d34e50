"""``casedesk deadline``, ``casedesk rules`` and ``casedesk board --json``: output shape, the
issue's examples, errors.

Expected dates are worked out from the rule cited next to each case (law.md §4) and the State
Council's 2025/2026 holiday notices, as in tests/test_periods.py."""

from __future__ import annotations

import json
import re
import uuid
from datetime import date

import pytest
from sqlalchemy import select

from casedesk.cli import deadlines
from casedesk.cli.main import main
from casedesk.domain.deadline_rules import default_rule_map
from casedesk.domain.drafts import CaseDraft, EnterpriseDraft, PersonDraft
from casedesk.domain.holidays import packaged_days
from casedesk.domain.work_calendar import WorkCalendar
from casedesk.services.cases import load_case
from casedesk.services.deadline_sync import create_deadline, load_context
from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store import audit
from casedesk.store.models import CaseParty, CustodyReview, PersonalMeasure, PropertyMeasure

CJK = re.compile(r"[\u4e00-\u9fff]")


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def due_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    code, out, err = cli(capsys, "deadline", *argv, "--json")
    assert code == 0, err
    return json.loads(out)


# -- the issue's examples ------------------------------------------------------------------------


def test_issue_example_json(capsys: pytest.CaptureFixture[str]) -> None:
    # 民诉法 第85条第3款: 3 Oct 2026 is 国庆节 (10/1–10/7) → 8 Oct.
    result = due_json(capsys, "--from", "2026-09-30", "--period", "3d")
    assert set(result) == {"due", "steps", "warnings"}
    assert result["due"] == "2026-10-08"
    assert result["warnings"] == []
    assert result["steps"] == [
        "自 2026-09-30 的次日起计算 3日，期间届满日为 2026-10-03",
        "最后一日 2026-10-03 为法定节假日（国庆节），顺延至 2026-10-08",
    ]


def test_issue_example_in_custody(capsys: pytest.CaptureFixture[str]) -> None:
    # 刑诉法 第105条第4款: a custody period is not extended because of holidays.
    result = due_json(capsys, "--from", "2026-09-30", "--period", "3d", "--custody")
    assert result["due"] == "2026-10-03"
    assert "第105条第4款" in result["steps"][-1]


def test_issue_example_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "deadline", "--from", "2026-09-30", "--period", "3d")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "届满：2026-10-08"
    assert "  最后一日 2026-10-03 为法定节假日（国庆节），顺延至 2026-10-08" in lines


# -- hours ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["2026-03-01T10:25", "2026-03-01 10:25", "2026-03-01T10:25:40"])
def test_hours_give_a_date_and_time(capsys: pytest.CaptureFixture[str], start: str) -> None:
    # 刑诉法 第119条 拘传 12 h, counted from the next hour (民诉法解释 第125条): 11:00 + 12 h.
    assert due_json(capsys, "--from", start, "--period", "12h")["due"] == "2026-03-01T23:00"


def test_hours_text_and_24h(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "deadline", "--from", "2026-03-01T10:25", "--period", "24h")
    assert code == 0
    assert out.splitlines()[0] == "届满：2026-03-02 11:00"


# -- rules, extensions, suspensions --------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "due", "law"),
    [
        # 3 Mar + 2 months = 3 May 2026 (劳动节): custody, kept.
        (["--rule", "criminal.custody.investigation", "--from", "2026-03-03"], "2026-05-03",
         "刑诉法 第156条；第105条第4款"),
        # 2+1+2+2 = 7 months → 3 Oct 2026 (国庆节): custody, kept.
        (["--rule", "criminal.custody.investigation", "--from", "2026-03-03", "--extensions", "3"],
         "2026-10-03", "刑诉法 第156–159条；第105条第4款"),
        (["--rule", "criminal.custody.investigation", "--from", "2026-01-15", "--extensions", "1"],
         "2026-04-15", "刑诉法 第156条"),
        # 3 working days across 国庆 2026, the last a 调休上班 Saturday.
        (["--rule", "dishonest.delete_after_performance", "--from", "2026-09-30"], "2026-10-10",
         "失信规定 第10条"),
        # A civil freeze lapses on its last day even on 国庆节.
        (["--rule", "property.civil.freeze_deposit", "--from", "2025-10-01"], "2026-10-01",
         "民诉法解释 第485条"),
        # --custody on a rule that is not a custody rule (审查起诉 with the suspect in custody).
        (["--rule", "criminal.prosecution.review", "--from", "2026-09-03", "--custody"],
         "2026-10-03", "刑诉法 第172条；第105条第4款"),
        (["--rule", "criminal.prosecution.review", "--from", "2026-09-03"], "2026-10-08",
         "刑诉法 第172条；第105条第3款"),
        # 6 months from 2 Mar → 2 Sep; 20 days not counted → 22 Sep (民诉法解释 第243条).
        (["--rule", "civil.first.ordinary", "--from", "2026-03-02", "--suspend", "20"],
         "2026-09-22", "民诉法 第152条；民诉法解释 第243条"),
        # ... 30 days not counted → 2 Oct (国庆节) → 8 Oct.
        (["--period", "6m", "--from", "2026-03-02", "--suspend", "30"], "2026-10-08",
         "民诉法解释 第243条；民诉法 第85条第3款"),
        # Month ends: 刑诉法解释 第202条 vs 民法典 第202条.
        (["--period", "1m", "--from", "2025-02-28", "--criminal"], "2025-03-31",
         "刑诉法解释 第202条"),
        (["--period", "1m", "--from", "2025-02-28"], "2025-03-28", "民法典 第202条"),
        (["--period", "1y", "--from", "2024-02-29"], "2025-02-28", "民法典 第202条"),
        # A time of day on a day period: the day counts from the next day.
        (["--period", "3d", "--from", "2026-09-30T15:00"], "2026-10-08", "民诉法 第85条"),
        # Other date spellings the clerks type.
        (["--period", "3d", "--from", "2026年9月30日"], "2026-10-08", "民诉法 第85条第3款"),
    ],
)  # fmt: skip
def test_deadline_cases(
    capsys: pytest.CaptureFixture[str], argv: list[str], due: str, law: str
) -> None:
    assert due_json(capsys, *argv)["due"] == due, law


def test_extensions_and_suspension_are_explained(capsys: pytest.CaptureFixture[str]) -> None:
    result = due_json(
        capsys, "--rule", "civil.first.ordinary", "--from", "2025-03-10", "--extensions", "1",
        "--suspend", "5",
    )  # fmt: skip
    # 10 Mar 2025 + 6m + 6m = 10 Mar 2026; + 5 days = 15 Mar (Sun) → 16 Mar.
    assert result["due"] == "2026-03-16"
    text = "\n".join(result["steps"])
    assert "延长 6个月（自起算日累计 12个月）：2025-09-10 → 2026-03-10" in text
    assert "扣除期间 5 日：2026-03-10 → 2026-03-15" in text
    assert "顺延至 2026-03-16" in text


# -- a year without holiday data -----------------------------------------------------------------


@pytest.fixture
def calendar_2026_only(monkeypatch: pytest.MonkeyPatch) -> None:
    cal = WorkCalendar.build([s for s in packaged_days() if s.day.year == 2026], {2026})
    monkeypatch.setattr(deadlines, "load_calendar", lambda db=None: cal)


@pytest.mark.usefixtures("calendar_2026_only")
def test_year_without_data_warns(capsys: pytest.CaptureFixture[str]) -> None:
    result = due_json(capsys, "--from", "2026-06-15", "--period", "1y")
    assert result["due"] == "2027-06-15"
    assert len(result["warnings"]) == 1 and "2027年" in result["warnings"][0]
    code, out, _ = cli(capsys, "deadline", "--from", "2026-06-15", "--period", "1y")
    assert code == 0
    assert any(line.startswith("  注意：2027年") for line in out.splitlines())


# -- errors: exit code 2 and a Chinese message on stderr --------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--from", "2026-09-30", "--period", "3x"], "无法识别期间"),
        (["--from", "2026-09-30", "--period", "三天"], "无法识别期间"),
        (["--from", "2026-09-30", "--period", "0d"], "期间应大于0"),
        (["--from", "2026-09-30", "--rule", "no.such.rule"], "没有编号为“no.such.rule”的期限规则"),
        (["--from", "2026-09-30", "--rule", "criminal.custody.investigation", "--extensions", "4"],
         "只有 3 次延长"),
        (["--from", "2026-09-30", "--rule", "filing.review", "--extensions", "1"], "只有 0 次延长"),
        (["--from", "2026-09-30", "--rule", "criminal.custody.investigation", "--extensions", "-1"],
         "延长次数不能为负数"),
        (["--from", "2026-09-30", "--period", "3d", "--extensions", "1"], "只能与 --rule 同用"),
        (["--from", "2026-09-30", "--period", "3d", "--suspend", "-1"], "扣除天数不能为负数"),
        (["--from", "2026-02-30", "--period", "3d"], "起算日"),
        (["--from", "yesterday", "--period", "3d"], "起算日"),
        (["--from", "2026-09-30", "--period", "12h"], "起算的时刻"),
        (["--from", "2026-03-01T10:25", "--period", "12h", "--suspend", "2"], "按日扣除"),
        (["--from", "2026-09-30", "--period", "99999y"], "超出"),
        (["--from", "9999-12-30", "--period", "3d"], "超出"),
    ],
)  # fmt: skip
def test_errors(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    code, out, err = cli(capsys, "deadline", *argv)
    assert code == 2
    assert out == ""
    assert err.startswith("错误：") and message in err
    assert CJK.search(err)


@pytest.mark.parametrize(
    "argv",
    [
        ["--from", "2026-09-30"],  # neither --period nor --rule
        ["--from", "2026-09-30", "--period", "3d", "--rule", "filing.review"],
        ["--period", "3d"],  # no --from
    ],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["deadline", *argv])
    assert exit_info.value.code == 2
    capsys.readouterr()


# -- casedesk rules ------------------------------------------------------------------------------


def test_rules_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "rules", "--json")
    assert (code, err) == (0, "")
    rules = json.loads(out)
    assert [r["id"] for r in rules] == list(default_rule_map())
    keys = {"id", "name", "trigger", "trigger_name", "period", "custody", "criminal",
            "roll_forward", "extensions", "max_rounds", "reminders", "families", "procedures",
            "source", "confidence", "editable", "note"}  # fmt: skip
    assert all(set(r) == keys for r in rules)
    by_id = {r["id"]: r for r in rules}
    custody = by_id["criminal.custody.investigation"]
    assert custody["period"] == "2m" and custody["custody"] is True
    assert [e["period"] for e in custody["extensions"]] == ["1m", "2m", "2m"]
    assert custody["extensions"][1]["source"] == "《刑事诉讼法》第158条"
    assert by_id["property.civil.seal_realty"]["period"] == "3y"
    assert by_id["property.civil.seal_realty"]["roll_forward"] is False
    deletion = by_id["dishonest.delete_after_performance"]
    assert (deletion["period"], deletion["confidence"], deletion["editable"]) == ("3wd", "M", True)
    assert by_id["criminal.supplementary_investigation"]["max_rounds"] == 2


def test_rules_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "rules")
    assert code == 0
    lines = out.splitlines()
    for rule_id in default_rule_map():
        assert any(line.startswith(f"{rule_id}  ") for line in lines), rule_id
    custody = next(line for line in lines if line.startswith("criminal.custody.investigation"))
    assert "2个月，羁押期间不顺延" in custody and "延长1个月（上一级人民检察院）" in custody
    assert "    依据：《刑事诉讼法》第156条［H］" in lines


# -- casedesk board --json: measure clocks --------------------------------------------------------


def _measure_clocks(services) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A criminal case with its own deadline (刑事立案 → stalled.no_measure) and three measure
    clocks: a police freeze of deposits (公安规定 第243条, 6 months), a 取保候审 (刑诉法 第79条,
    12 months) and the 10-day reply to a custody review (刑诉法 第95条). The measure and review
    rows are written directly (their services are built elsewhere); the clocks through the
    deadline engine. Returns the ids by kind."""
    today = date.today()
    case_id = services.cases.create(CaseDraft("（2026）新01刑初7号", "刑事", today)).id
    services.parties.add(case_id, "犯罪嫌疑单位", new_enterprise=EnterpriseDraft("丙公司"))
    services.parties.add(case_id, "犯罪嫌疑人", new_person=PersonDraft("钱某"))
    services.deadlines.record_trigger(case_id, "case_filed_criminal", today)
    now = audit.utcnow()
    with UnitOfWork(services.db, "测试员") as uow:
        s = uow.session
        case = load_case(s, case_id)
        person = s.scalars(
            select(CaseParty.person_id).where(CaseParty.person_id.is_not(None))
        ).one()
        prop = PropertyMeasure(id=uuid.uuid4(), case_id=case.id, kind="冻结", object_kind="存款",
                               start_on=today, created_at=now, updated_at=now)  # fmt: skip
        bail = PersonalMeasure(id=uuid.uuid4(), case_id=case.id, person_id=person,
                               kind="取保候审", decided_on=today, created_at=now,
                               updated_at=now)  # fmt: skip
        s.add_all([prop, bail])
        s.flush()
        review = CustodyReview(id=uuid.uuid4(), case_id=case.id, measure_id=bail.id,
                               person_id=person, trigger="依职权", started_on=today,
                               created_at=now, updated_at=now)  # fmt: skip
        s.add(review)
        s.flush()
        ctx = load_context(uow)
        for rule_id, trigger, link in (
            ("property.police.freeze_deposit", "deposit_frozen_police",
             {"property_measure_id": prop.id}),
            ("bail.max", "bail_decided", {"personal_measure_id": bail.id}),
            ("custody_review.reply", "custody_review_served", {"custody_review_id": review.id}),
        ):  # fmt: skip
            create_deadline(uow, ctx, case, ctx.rules[rule_id], trigger, today, **link)
        uow.commit()
    return {"property": prop.id.hex, "personal": bail.id.hex, "custody_review": review.id.hex}


def test_board_json_shows_measure_clocks(capsys: pytest.CaptureFixture[str], services) -> None:  # type: ignore[no-untyped-def]
    ids = _measure_clocks(services)
    code, out, err = cli(capsys, "board", "--db", str(services.path), "--json")
    assert (code, err) == (0, "")
    result = json.loads(out)
    keys = {"case_number", "rule_id", "rule", "subject", "due", "days_left", "status", "handler",
            "verified", "measure_kind", "measure_id"}  # fmt: skip
    assert all(set(row) == keys for row in result["deadlines"])
    clocks = {
        row["rule_id"]: (row["measure_kind"], row["measure_id"]) for row in result["deadlines"]
    }
    assert clocks == {
        "stalled.no_measure": ("", ""),
        "property.police.freeze_deposit": ("property", ids["property"]),
        "bail.max": ("personal", ids["personal"]),
        "custody_review.reply": ("custody_review", ids["custody_review"]),
    }
    # the service's board carries the same link
    items = {i.rule_id: i for i in services.deadlines.board(everything=True).items}
    assert (items["bail.max"].measure_kind, items["bail.max"].measure_id) == (
        "personal", ids["personal"],
    )  # fmt: skip


def test_board_errors(capsys: pytest.CaptureFixture[str], tmp_path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli(capsys, "board", "--db", str(tmp_path / "none.sqlite3"), "--json")
    assert (code, out) == (2, "") and err.startswith("错误：") and CJK.search(err)
