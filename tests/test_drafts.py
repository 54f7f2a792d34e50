"""What a user submits for a case, an enterprise, a person or a stage (casedesk/domain/drafts.py).

Sources: 案号 rules from 《最高人民法院关于人民法院案件案号的若干规定》 (law.md §8.1:
the 收案年度 is the calendar year of acceptance; the 类型代字 names the case family);
credit codes GB 32100-2015 (§8.3); ID numbers GB 11643-1999 (§8.4); the rest are CaseDesk's
own data-quality rules (DESIGN.md "case register", "enterprise register").
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from casedesk.domain.drafts import (
    LIMITS,
    CaseDraft,
    EnterpriseDraft,
    PersonDraft,
    StageDraft,
    check_case,
    check_enterprise,
    check_person,
    check_role,
    check_stage,
)
from casedesk.domain.errors import FieldErrors

TODAY = date(2026, 6, 1)
NUMBER = "（2023）新01民初123号"


def case(**kw) -> CaseDraft:  # type: ignore[no-untyped-def]
    values = {"case_number": NUMBER, "family": "民事", "accepted_on": date(2023, 3, 1)} | kw
    return CaseDraft(**values)


def errors_of(draft: CaseDraft) -> dict[str, str]:
    with pytest.raises(FieldErrors) as info:
        check_case(draft, today=TODAY)
    return info.value.errors


# -- a good case ----------------------------------------------------------------------------


def test_good_case_is_normalised_and_has_parts_and_no_warnings() -> None:
    checked = check_case(
        case(
            case_number="(2023)新01 民初１２３号",
            cause="  买卖合同纠纷 ",
            handler=" 王法官",
            notes="第一行\n第二行\t缩进",
            tags=(" 涉企 ", "涉企", "", "涉外"),
            amount_fen=0,
            closed_on=date(2023, 3, 1),
        ),
        today=TODAY,
    )
    d = checked.draft
    assert d.case_number == NUMBER
    assert (d.cause, d.handler) == ("买卖合同纠纷", "王法官")
    assert d.notes == "第一行\n第二行\t缩进"  # line breaks and tabs are allowed
    assert d.tags == ("涉企", "涉外")  # trimmed, empty and repeated tags dropped, order kept
    assert checked.parts["year"] == 2023 and checked.parts["type_code"] == "民初"
    assert checked.warnings == []


# -- required fields --------------------------------------------------------------------------


def test_required_fields_are_all_reported_at_once() -> None:
    errors = errors_of(CaseDraft(case_number="", family="", accepted_on=None))
    assert errors == {
        "case_number": "案号不能为空",
        "family": "请选择案件类别",
        "accepted_on": "请填写收案日期",
    }


def test_unknown_family_is_refused() -> None:
    assert errors_of(case(family="民商事"))["family"] == "请选择案件类别"


def test_invalid_case_number_carries_the_identifier_message() -> None:
    assert (
        "案件编号“0123”不应以0开头"
        in errors_of(case(case_number="（2023）新01民初0123号"))["case_number"]
    )


# -- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kw", "field", "message"),
    [
        pytest.param(
            {"accepted_on": date(2023, 3, 2), "closed_on": date(2023, 3, 1)},
            "closed_on",
            "结案日期不能早于收案日期",
            id="closed-before-accepted",
        ),
        pytest.param(
            {"case_number": "（2026）新01民初1号", "accepted_on": date(2026, 6, 2)},
            "accepted_on",
            "收案日期不能晚于今天",
            id="accepted-in-future",
        ),
        pytest.param(
            {"closed_on": date(2026, 6, 2)},
            "closed_on",
            "结案日期不能晚于今天",
            id="closed-in-future",
        ),
    ],
)
def test_date_rules(kw: dict, field: str, message: str) -> None:
    assert errors_of(case(**kw))[field] == message


def test_closed_on_the_day_of_acceptance_and_today_are_allowed() -> None:
    check_case(case(accepted_on=date(2023, 3, 1), closed_on=date(2023, 3, 1)), today=TODAY)
    check_case(
        case(case_number="（2026）新01民初1号", accepted_on=TODAY, closed_on=TODAY), today=TODAY
    )


# -- amounts and text -----------------------------------------------------------------------


def test_negative_amount_is_refused() -> None:
    assert errors_of(case(amount_fen=-1)) == {"amount": "标的额不能为负数"}


@pytest.mark.parametrize(
    ("field", "label", "limit"),
    [
        ("procedure", "程序", LIMITS["short"]),
        ("cause", "案由/罪名", LIMITS["name"]),
        ("handler", "承办人", LIMITS["short"]),
        ("notes", "备注", LIMITS["notes"]),
    ],
)
def test_text_too_long(field: str, label: str, limit: int) -> None:
    check_case(case(**{field: "字" * limit}), today=TODAY)  # exactly at the limit is fine
    errors = errors_of(case(**{field: "字" * (limit + 1)}))
    assert errors == {field: f"{label}过长（最多{limit}个字，实为{limit + 1}个）"}


def test_length_is_counted_after_trimming() -> None:
    check_case(case(handler="  " + "字" * LIMITS["short"] + "  "), today=TODAY)


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\r\x0b"])
def test_control_characters_are_refused(char: str) -> None:
    errors = errors_of(case(cause=f"买卖{char}合同"))
    assert errors == {"cause": "案由/罪名含有不可见的控制字符"}


# -- warnings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "family", "warns"),
    [
        pytest.param(NUMBER, "刑事", True, id="民初-in-刑事"),
        pytest.param(NUMBER, "执行", True, id="民初-in-执行"),
        pytest.param(NUMBER, "民事", False, id="民初-in-民事"),
        pytest.param(NUMBER, "商事", False, id="民初-in-商事-shares-民-codes"),
        pytest.param("（2023）新01财保1号", "商事", False, id="财保-in-商事"),
        pytest.param(NUMBER, "检察监督", False, id="民初-in-检察监督-any-code"),
        pytest.param(NUMBER, "其他", False, id="民初-in-其他"),
        pytest.param("（2023）新01刑初1号", "民事", True, id="刑初-in-民事"),
        pytest.param("（2023）新01执1号", "执行", False, id="执-in-执行"),
        pytest.param("（2023）新01破申1号", "民事", True, id="破申-in-民事"),
    ],
)
def test_family_and_type_code_mismatch_is_a_warning(number: str, family: str, warns: bool) -> None:
    checked = check_case(case(case_number=number, family=family), today=TODAY)
    mismatch = [w for w in checked.warnings if "与案件类别" in w]
    assert bool(mismatch) == warns, checked.warnings
    if warns:
        assert f"与案件类别“{family}”不一致" in mismatch[0]


def test_accepted_year_differs_from_case_number_year_is_a_warning() -> None:
    # 案号规定: 收案年度 is the calendar year of acceptance (law.md §8.1).
    checked = check_case(case(accepted_on=date(2024, 1, 2)), today=TODAY)
    assert checked.warnings == ["案号收案年度（2023）与收案日期的年份（2024）不一致"]


def test_court_code_missing_from_table_is_a_warning() -> None:
    checked = check_case(case(), court_codes={"新"}, today=TODAY)
    assert checked.warnings == ["法院代字“新01”不在法院代字表中，请核对"]


# -- stages ---------------------------------------------------------------------------------


def test_initial_stage_must_belong_to_the_family() -> None:
    assert errors_of(case(stage="执行中")) == {"stage": "“执行中”不是民事案件的阶段"}
    assert check_case(case(stage="审理中"), today=TODAY).draft.stage == "审理中"


def stage(**kw) -> StageDraft:  # type: ignore[no-untyped-def]
    return StageDraft(**({"occurred_on": date(2023, 5, 1), "stage": "审理中"} | kw))


def stage_errors(draft: StageDraft, family: str = "民事") -> dict[str, str]:
    with pytest.raises(FieldErrors) as info:
        check_stage(draft, family, date(2023, 3, 1), today=TODAY)
    return info.value.errors


def test_good_stage_is_trimmed() -> None:
    d = check_stage(stage(note=" 开庭 "), "民事", date(2023, 3, 1), today=TODAY)
    assert d == StageDraft(date(2023, 5, 1), "审理中", "开庭")


@pytest.mark.parametrize(
    ("draft", "family", "errors"),
    [
        pytest.param(stage(occurred_on=None), "民事", {"occurred_on": "请填写日期"}, id="no-date"),
        pytest.param(
            stage(occurred_on=date(2026, 6, 2)),
            "民事",
            {"occurred_on": "日期不能晚于今天"},
            id="future",
        ),
        pytest.param(
            stage(occurred_on=date(2023, 2, 28)),
            "民事",
            {"occurred_on": "日期不能早于收案日期 2023-03-01"},
            id="before-acceptance",
        ),
        pytest.param(
            stage(stage="执行中"), "民事", {"stage": "请选择民事案件的阶段"}, id="other-family"
        ),
        pytest.param(
            stage(stage="审理中"),
            "执行",
            {"stage": "请选择执行案件的阶段"},
            id="民事-stage-in-执行",
        ),
        pytest.param(
            stage(note="a\x00"), "民事", {"note": "说明含有不可见的控制字符"}, id="control-char"
        ),
    ],
)
def test_stage_rules(draft: StageDraft, family: str, errors: dict) -> None:
    assert stage_errors(draft, family) == errors


def test_stage_on_the_acceptance_day_and_today_are_allowed() -> None:
    check_stage(stage(occurred_on=date(2023, 3, 1)), "民事", date(2023, 3, 1), today=TODAY)
    check_stage(stage(occurred_on=TODAY), "民事", date(2023, 3, 1), today=TODAY)


# -- enterprise and person ------------------------------------------------------------------


def test_enterprise_is_normalised() -> None:
    d = check_enterprise(
        EnterpriseDraft(" 新疆某某有限公司 ", "91330100799655058b", "民营", "小", " 制造业 ")
    )
    assert d == EnterpriseDraft("新疆某某有限公司", "91330100799655058B", "民营", "小", "制造业")


def test_enterprise_credit_code_is_optional() -> None:
    assert check_enterprise(EnterpriseDraft("某商行", "  ")).credit_code == ""


def test_enterprise_errors() -> None:
    with pytest.raises(FieldErrors) as info:
        check_enterprise(
            EnterpriseDraft(" ", "914403001922038217", ownership="私营", size="巨", contact="\x01")
        )
    assert info.value.errors == {
        "name": "请填写企业名称",
        "credit_code": "校验码应为 6，实为 7",  # GB 32100-2015
        "ownership": "所有制应为：国有、民营、外资、个体",
        "size": "企业规模应为：大、中、小、微",
        "contact": "联系方式含有不可见的控制字符",
    }


def test_enterprise_name_too_long() -> None:
    with pytest.raises(FieldErrors) as info:
        check_enterprise(EnterpriseDraft("企" * 201))
    assert info.value.errors == {"name": "企业名称过长（最多200个字，实为201个）"}


def test_person_is_normalised() -> None:
    d = check_person(PersonDraft(" 王伟 ", "110105491231002", " 138 "), today=TODAY)
    assert d == PersonDraft("王伟", "11010519491231002X", "138", "")  # GB 11643-1999 15 → 18


def test_person_errors() -> None:
    with pytest.raises(FieldErrors) as info:
        check_person(PersonDraft("", "110105194912310021", address="x" * 201), today=TODAY)
    assert info.value.errors == {
        "name": "请填写姓名",
        "id_number": "校验码应为 X，实为 1",  # GB 11643-1999 example with a wrong check
        "address": "住址过长（最多200个字，实为201个）",
    }


def test_person_birth_date_is_judged_against_today() -> None:
    number = "65010220260601001"
    total = sum(
        int(c) * w
        for c, w in zip(number, [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], strict=True)
    )
    number += "10X98765432"[total % 11]
    assert check_person(PersonDraft("新生儿", number), today=TODAY).id_number == number
    with pytest.raises(FieldErrors) as info:
        check_person(PersonDraft("新生儿", number), today=date(2026, 5, 31))
    assert info.value.errors == {"id_number": "出生日期 2026-06-01 晚于今天"}


def test_role_must_come_from_the_list() -> None:
    assert check_role("被告") == "被告"
    with pytest.raises(FieldErrors) as info:
        check_role("路人")
    assert info.value.errors == {"role": "请选择诉讼地位"}


def test_field_errors_message_joins_all_messages() -> None:
    err = FieldErrors({"a": "甲错", "b": "乙错"})
    assert str(err) == "甲错；乙错"


def test_drafts_are_not_mutated() -> None:
    draft = case(cause=" x ")
    check_case(draft, today=TODAY)
    assert draft.cause == " x " and dataclasses.is_dataclass(draft)
