"""The validators of typed text — 案号, 统一社会信用代码, 身份证号码, dates, amounts, periods —
fed hostile text and wrong types: each answers with its own result (a ``Validation``) or its
documented error with a Chinese message, and what it accepts reads back the same."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal, localcontext

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from casedesk.domain.amounts import MAX_FEN, AmountError, format_amount, parse_amount
from casedesk.domain.dates import DateError, format_date, parse_date
from casedesk.domain.holidays import packaged_days, packaged_years
from casedesk.domain.identifiers import (
    credit_code_check_char,
    id_number_check_char,
    validate_case_number,
    validate_credit_code,
    validate_id_number,
)
from casedesk.domain.periods import (
    DAYS,
    HOURS,
    MONTHS,
    WORKDAYS,
    YEARS,
    Period,
    PeriodError,
    Suspension,
    compute_due,
)
from casedesk.domain.work_calendar import WorkCalendar
from tests.property.hostile import (
    any_day,
    assert_chinese,
    clean_stored_text,
    date_text,
    examples,
    hostile_text,
    not_text,
    overlong,
    text_or_wrong,
)

TODAY = date(2026, 6, 15)
VALIDATORS = {
    "case_number": lambda raw: validate_case_number(raw, today=TODAY),
    "credit_code": validate_credit_code,
    "id_number": lambda raw: validate_id_number(raw, today=TODAY),
}


def _check_validation(name: str, raw: object) -> None:
    result = VALIDATORS[name](raw)
    if result.valid:
        assert not result.errors
        assert isinstance(result.normalized, str) and result.normalized
        clean_stored_text(result.normalized)
        # what is stored validates to itself
        again = VALIDATORS[name](result.normalized)
        assert again.valid and again.normalized == result.normalized
    else:
        assert result.errors, f"{name}({raw!r}) invalid without a reason"
        for message in result.errors:
            assert_chinese(message)
        assert_chinese(result.message)
    for warning in result.warnings:
        assert_chinese(warning)
    result.as_json()  # the --json output is built without error


def valid_credit_code() -> st.SearchStrategy[str]:
    body = st.tuples(
        st.sampled_from(["91", "92", "93", "11", "12", "13", "19", "51", "52", "53", "59"]),
        st.from_regex(r"\A[0-9]{6}\Z"),
        st.from_regex(r"\A[0-9A-HJ-NPQRTUWXY]{9}\Z"),
    ).map("".join)
    return body.map(lambda b: b + credit_code_check_char(b))


def valid_id_number() -> st.SearchStrategy[str]:
    born = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
    return st.tuples(
        st.sampled_from(["110101", "650102", "810000"]), born, st.integers(0, 999)
    ).map(lambda t: (f := f"{t[0]}{t[1]:%Y%m%d}{t[2]:03d}") + id_number_check_char(f))


def valid_case_number() -> st.SearchStrategy[str]:
    return st.builds(
        lambda y, court, kind, n: f"（{y}）{court}{kind}{n}号",
        st.integers(1949, TODAY.year),
        st.sampled_from(["新01", "新0102", "最高法", "京", "兵09"]),
        st.sampled_from(["民初", "刑终", "执", "行初", "民申"]),
        st.integers(1, 10**12),
    )


def disguised(valid: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A valid value as a clerk might type it: full-width, spaced, zero-width marks inside."""

    def wrap(value: str, how: int) -> str:
        if how == 0:
            return "".join(
                chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in value
            )
        if how == 1:
            return " ".join(value)
        if how == 2:
            return "\u200b".join(value) + "\ufeff"
        return value.lower()

    return st.tuples(valid, st.integers(0, 3)).map(lambda t: wrap(*t))


@pytest.mark.parametrize("name", list(VALIDATORS))
@examples(150)
@given(raw=text_or_wrong())
@example(raw="（2023）新" + "1" * 20_000 + "a号")  # took minutes: the pattern backtracked
@example(raw="（" + "2" * 5000 + "）新01民初1号")  # int() refused 5000 digits: ValueError
@example(raw="（2023）新01民初\ud800号")  # a lone surrogate quoted in the message
@example(raw=12345)
@example(raw=["（2023）新01民初1号"])
def test_identifier_validators_answer_every_input(name: str, raw: object) -> None:
    _check_validation(name, raw)


@pytest.mark.parametrize("name", list(VALIDATORS))
@examples(20)
@given(raw=overlong())
def test_identifier_validators_answer_overlong_input(name: str, raw: str) -> None:
    _check_validation(name, raw)


@examples(60)
@given(raw=st.one_of(disguised(valid_case_number()), valid_case_number()))
def test_valid_case_numbers_are_accepted_however_typed(raw: str) -> None:
    result = validate_case_number(raw, today=TODAY)
    assert result.valid, result.errors
    _check_validation("case_number", raw)


@examples(60)
@given(raw=st.one_of(disguised(valid_credit_code()), valid_credit_code()))
def test_valid_credit_codes_are_accepted_however_typed(raw: str) -> None:
    result = validate_credit_code(raw)
    assert result.valid, result.errors
    _check_validation("credit_code", raw)


@examples(60)
@given(raw=st.one_of(disguised(valid_id_number()), valid_id_number()))
def test_valid_id_numbers_are_accepted_however_typed(raw: str) -> None:
    result = validate_id_number(raw, today=TODAY)
    assert result.valid, result.errors
    _check_validation("id_number", raw)


# -- dates ------------------------------------------------------------------------------------
@examples(150)
@given(text=st.one_of(date_text(), not_text()))
@example(text=12)
@example(text=date(2023, 3, 1))
def test_parse_date_answers_every_input(text: object) -> None:
    try:
        day = parse_date(text)  # type: ignore[arg-type]
    except DateError as exc:
        assert_chinese(str(exc))
    else:
        assert day is None or isinstance(day, date)


#: Typed text → the day it means (None: refused with a message).
DATES = {
    "2023-02-30": None,
    "2023年2月30日": None,
    "2023/2/29": None,
    "2024-02-29": date(2024, 2, 29),
    "0000-01-01": None,
    "0001-01-01": date(1, 1, 1),
    "9999-12-31": date(9999, 12, 31),
    "10000-01-01": None,
    "2023-13-01": None,
    "2023-00-10": None,
    "20230230": None,
    "２０２３－０２－３０": None,
    "2023-3-1-": None,
    "2023--03-01": None,
    "2023-03-01T10:00": None,
    "2023-03-01 ": date(2023, 3, 1),
    "-2023-03-01": None,
    "2023.3.1": date(2023, 3, 1),
    "2023年3月1": date(2023, 3, 1),
    "二〇二三年三月一日": None,
    "2023-03-01\x00": None,
    "2023-0３-01": date(2023, 3, 1),
    "２０２３年３月１日": date(2023, 3, 1),
}


@pytest.mark.parametrize(("text", "expected"), DATES.items())
def test_impossible_dates_are_refused_real_ones_read(text: str, expected: date | None) -> None:
    """Feb 30, month 13, year 0, year 10000 — refused with a message; real days, however typed
    (full-width digits, 年月日, a trailing space) — read."""
    if expected is None:
        with pytest.raises(DateError) as caught:
            parse_date(text)
        assert_chinese(str(caught.value))
    else:
        assert parse_date(text) == expected


@examples(100)
@given(day=any_day())
def test_dates_read_back_in_every_spelling(day: date) -> None:
    assert parse_date(format_date(day)) == day
    assert parse_date(f"{day.year:04d}年{day.month}月{day.day}日") == day
    assert parse_date(f"{day.year:04d}/{day.month}/{day.day}") == day
    assert parse_date(f"{day.year:04d}{day.month:02d}{day.day:02d}") == day


# -- amounts ----------------------------------------------------------------------------------
@examples(150)
@given(text=st.one_of(hostile_text(), not_text()))
@example(text="1.00000000000000000000000000001")  # silently rounded to 1.00 yuan
@example(text="1" + "0" * 40)
@example(text=1234)
def test_parse_amount_answers_every_input(text: object) -> None:
    try:
        fen = parse_amount(text)  # type: ignore[arg-type]
    except AmountError as exc:
        assert_chinese(str(exc))
    else:
        assert fen is None or (isinstance(fen, int) and 0 <= fen < MAX_FEN)


@examples(100)
@given(fen=st.integers(0, MAX_FEN - 1))
def test_amounts_read_back(fen: int) -> None:
    assert parse_amount(format_amount(fen)) == fen
    assert parse_amount(format_amount(fen).replace(",", "")) == fen


@examples(100)
@given(
    value=st.decimals(
        min_value=0, max_value=10**15, places=None, allow_nan=False, allow_infinity=False
    ),
    unit=st.sampled_from(["", "万", "亿"]),
)
@example(value=Decimal("1.00000000000000000000000000001"), unit="")
def test_an_accepted_amount_is_exact(value: Decimal, unit: str) -> None:
    """An amount is taken to the fen exactly, or refused — never rounded."""
    text = f"{value:f}{unit}"
    with localcontext() as ctx:
        ctx.prec = 200
        exact = value * {"": 1, "万": 10**4, "亿": 10**8}[unit] * 100
    try:
        fen = parse_amount(text)
    except AmountError as exc:
        assert_chinese(str(exc))
        assert exact != int(exact) or exact >= MAX_FEN
    else:
        assert fen == exact


# -- periods ----------------------------------------------------------------------------------
@examples(150)
@given(spec=st.one_of(hostile_text(), not_text()))
@example(spec="9" * 5000 + "d")  # int() refused it: ValueError, not PeriodError
@example(spec="0" * 5000 + "3d")
@example(spec="99999999wd")  # counted one working day at a time: minutes
@example(spec=6)
@example(spec=None)  # the message quoted “None”
def test_period_parse_answers_every_input(spec: object) -> None:
    try:
        period = Period.parse(spec)  # type: ignore[arg-type]
    except PeriodError as exc:
        assert_chinese(str(exc))
    else:
        assert period.amount > 0
        assert Period.parse(period.spec) == period
        assert Period.parse(str(period)) == period


CALENDAR = WorkCalendar.build(packaged_days(), packaged_years())


@examples(200)
@given(
    start=st.one_of(any_day(), st.datetimes()),
    spec=st.builds(
        lambda n, u: f"{n}{u}",
        st.integers(1, 9999),
        st.sampled_from([DAYS, WORKDAYS, MONTHS, YEARS, HOURS]),
    ),
    custody=st.booleans(),
    criminal=st.booleans(),
    suspended=st.lists(st.integers(0, 10**6), max_size=2),
    extended=st.lists(st.sampled_from(["1m", "2m", "15d", "3wd", "12h"]), max_size=2),
)
@example(
    start=date(9999, 12, 31), spec="1d", custody=False, criminal=False, suspended=[], extended=[]
)
@example(
    start=date(2027, 9, 30), spec="3d", custody=False, criminal=False, suspended=[], extended=[]
)
def test_compute_due_answers_every_period(
    start: date,
    spec: str,
    custody: bool,
    criminal: bool,
    suspended: list[int],
    extended: list[str],
) -> None:
    """Any start day (year 1 to 9999, years without holiday data), any period: a due day, or a
    PeriodError in Chinese; a year without holiday data is said, never silently assumed."""
    period = Period.parse(spec)
    try:
        due = compute_due(
            start,
            period,
            CALENDAR,
            custody=custody,
            criminal=criminal,
            extensions=[Period.parse(e) for e in extended],
            suspensions=[Suspension(d, "鉴定") for d in suspended],
        )
    except PeriodError as exc:
        assert_chinese(str(exc))
        return
    first = start.date() if isinstance(start, datetime) else start
    assert due.day >= first
    for step in due.steps:
        assert_chinese(step)
    for warning in due.warnings:
        assert_chinese(warning)
    if period.unit != HOURS and due.day.year not in packaged_years():
        assert not due.verified and any("节假日" in w for w in due.warnings)


def test_a_year_without_holiday_data_is_reported() -> None:
    """2027 has no State Council notice in the packaged data (law.md §4): the answer is marked
    unverified and says so, in Chinese."""
    later = max(packaged_years()) + 1
    due = compute_due(date(later, 9, 30), Period.parse("3d"), CALENDAR)
    assert not due.verified
    assert any(f"{later}年的节假日安排尚无数据" in w for w in due.warnings)
    assert due.day >= date(later, 10, 3) - timedelta(days=0)
