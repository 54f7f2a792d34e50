"""Search: the text rules (casedesk/domain/search_text.py) and search through the services.

DESIGN.md: "search as you type (any query of 1+ characters, Chinese included)". Terms of one or
two characters are looked up among every character and adjacent pair; longer terms are exact
substrings through the trigram index (casedesk/domain/search_text.py docstring).
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from casedesk.domain.drafts import CaseDraft, EnterpriseDraft, PersonDraft
from casedesk.domain.search_text import (
    case_search_text,
    free_text_segments,
    grams,
    identifier_segment,
    join_segments,
    query_terms,
    term_match,
)
from casedesk.services.lists import CaseFilter

# -- text rules -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "segment"),
    [
        ("（2023）新01民初123号", "2023新01民初123号"),
        ("(2023)新01民初123号", "2023新01民初123号"),
        ("〔２０２３〕新０１", "2023新01"),
        ("91330100799655058B", "91330100799655058b"),
        ("１１０１０５ １９４９", "1101051949"),
        ("", ""),
        (None, ""),
    ],
)
def test_identifier_segment_drops_punctuation_and_folds(value: str | None, segment: str) -> None:
    assert identifier_segment(value) == segment


@pytest.mark.parametrize(
    ("value", "segments"),
    [
        ("买卖合同纠纷", ["买卖合同纠纷"]),
        ("新疆ＡＢＣ有限公司，买卖合同（二审）", ["新疆abc有限公司", "买卖合同", "二审"]),
        ("王伟\u3000李娜  张三", ["王伟", "李娜", "张三"]),
        ("Hello-World 2023", ["hello", "world", "2023"]),
        ("、。！", []),
        (None, []),
    ],
)
def test_free_text_segments(value: str | None, segments: list[str]) -> None:
    assert free_text_segments(value) == segments


def test_join_segments_drops_empty_and_repeated() -> None:
    assert join_segments(["王伟", "", "买卖", "王伟"]) == "王伟 买卖"


def test_grams_are_characters_and_adjacent_pairs_within_segments() -> None:
    tokens = grams("王伟 买卖合同 王伟").split()
    assert sorted(tokens) == sorted(
        ["王", "伟", "王伟", "买", "卖", "合", "同", "买卖", "卖合", "合同"]
    )
    assert "伟买" not in tokens  # no pair across a segment boundary
    assert len(tokens) == len(set(tokens))


def test_grams_of_a_one_character_segment() -> None:
    assert grams("王") == "王"


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("王伟 买卖", ["王伟", "买卖"]),
        ("  (2023)新01  ", ["2023新01"]),
        ("ＡＢ", ["ab"]),
        ("王伟\u3000，", ["王伟"]),
        ("买买提·艾力", ["买买提", "艾力"]),  # names split at punctuation, as indexed
        ("天山（集团）", ["天山", "集团"]),
        ("（2023）新01民初1号", ["2023新01民初1号"]),  # identifiers stay whole
        ("、 。", []),
        ("", []),
    ],
)
def test_query_terms(query: str, terms: list[str]) -> None:
    assert query_terms(query) == terms


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("王", ("gram", '"王"')),
        ("王伟", ("gram", '"王伟"')),
        ("91", ("gram", '"91"')),
        ("王伟明", ("trigram", '"王伟明"')),
        ("买卖合同", ("trigram", '"买卖合同"')),
        ("91650", ("trigram", '"91650"')),
    ],
)
def test_term_match_picks_the_index_by_length(term: str, expected: tuple[str, str]) -> None:
    assert term_match(term) == expected


def test_case_search_text_joins_number_cause_notes_and_parties() -> None:
    text = case_search_text(
        "（2023）新01民初123号",
        "买卖合同纠纷",
        "已调解，待履行",
        [("新疆天山（集团）有限公司", "91330100799655058B"), ("王伟", None)],
    )
    assert text == (
        "2023新01民初123号 买卖合同纠纷 已调解 待履行 新疆天山 集团 有限公司 "
        "91330100799655058b 王伟"
    )


# -- search through the services ------------------------------------------------------------


def credit_code(first17: str) -> str:
    """GB 32100-2015 check character computed from the printed weights."""
    charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    value = 31 - sum(charset.index(c) * w for c, w in zip(first17, weights, strict=True)) % 31
    return first17 + charset[value % 31]


CODE_A = credit_code("91650100MA77TKB1X")  # 乌鲁木齐 650100
CODE_D = credit_code("91650200MA78QK4P2")  # 克拉玛依 650200


@pytest.fixture
def corpus(services):  # type: ignore[no-untyped-def]
    """Four cases. Names are chosen so that every query below has a known answer."""
    sv = services
    ids = {}

    def case(key: str, number: str, family: str, cause: str, notes: str = "") -> str:
        year = int(number[1:5])
        ids[key] = sv.cases.create(
            CaseDraft(number, family, date(year, 3, 1), cause=cause, notes=notes)
        ).id
        return ids[key]

    case("A", "（2023）新01民初123号", "民事", "买卖合同纠纷")
    sv.parties.add(ids["A"], "原告", new_enterprise=EnterpriseDraft("新疆天山建设有限公司", CODE_A))
    sv.parties.add(ids["A"], "被告", new_person=PersonDraft("王伟", "11010519491231002X"))
    case("B", "（2023）新0102民初45号", "民事", "借款合同纠纷")
    sv.parties.add(ids["B"], "被告", new_person=PersonDraft("王伟明"))
    # 王伟 and 伟明 both occur here, 王伟明 does not: only the substring check tells them apart.
    case("C", "（2024）新02执12号", "执行", "申请执行", notes="王伟的朋友伟明到庭")
    case("D", "（2022）兵08刑初3号", "刑事", "合同诈骗")
    sv.parties.add(ids["D"], "被告单位", new_enterprise=EnterpriseDraft("天山物流有限公司", CODE_D))
    return ids


def found(services, query: str) -> set[str]:  # type: ignore[no-untyped-def]
    return set(services.case_list.ids(CaseFilter(search=query), "accepted_on", True))


def keys(corpus: dict, *names: str) -> set[str]:
    return {corpus[n] for n in names}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("王", "ABC", id="1-char"),
        pytest.param("纠", "AB", id="1-char-cause"),
        pytest.param("伟明", "BC", id="2-chars"),
        pytest.param("合同", "ABD", id="2-chars-cause"),
        pytest.param("天山", "AD", id="2-chars-enterprise"),
        pytest.param("王伟明", "B", id="3-chars-substring-verified"),
        pytest.param("伟的朋", "C", id="3-chars-notes"),
        pytest.param("买卖合同", "A", id="4-chars"),
        pytest.param("天山物流", "D", id="4-chars-enterprise"),
        pytest.param("(2023)新01", "AB", id="case-number-prefix-half-width-brackets"),
        pytest.param("（2023）新0102", "B", id="case-number-prefix-full-width"),
        pytest.param("新01民初", "A", id="case-number-middle"),
        pytest.param("民初45号", "B", id="case-number-end"),
        pytest.param("兵08", "D", id="兵团-court"),
        pytest.param("9165", "AD", id="credit-code-prefix-both"),
        pytest.param("91650100", "A", id="credit-code-prefix-one"),
        pytest.param(CODE_A.lower(), "A", id="credit-code-lower-case"),
        pytest.param("110105194912", "A", id="id-number-prefix"),
        pytest.param("王伟 买卖", "A", id="two-terms"),
        pytest.param("王伟 合同", "AB", id="two-terms-2"),
        pytest.param("合同 天山 王", "A", id="three-terms"),
        pytest.param("王伟明 合同", "B", id="long-and-short-term"),
        pytest.param("买卖合同纠纷二审", "", id="longer-than-any-text"),
        pytest.param("合同买卖", "", id="reversed-bigrams"),
        pytest.param("昆仑", "", id="absent"),
        pytest.param("、，", "ABCD", id="punctuation-only-is-no-filter"),
    ],
)
def test_search(services, corpus, query: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert found(services, query) == keys(corpus, *expected)


def test_search_after_enterprise_renamed(services, corpus) -> None:  # type: ignore[no-untyped-def]
    enterprise_id = services.cases.get(corpus["A"]).parties[0].subject_id
    detail = services.enterprises.get(enterprise_id)
    renamed = dataclasses.replace(detail.draft, name="新疆昆仑建设有限公司")
    services.enterprises.update(enterprise_id, renamed, detail.version)

    assert found(services, "昆仑") == keys(corpus, "A")
    assert found(services, "昆仑建设") == keys(corpus, "A")
    assert found(services, "天山") == keys(corpus, "D")  # 2 chars: decided by the gram index
    assert found(services, "天山建设") == set()
    assert found(services, "天") == keys(corpus, "D")


def test_search_after_credit_code_changed(services, corpus) -> None:  # type: ignore[no-untyped-def]
    enterprise_id = services.cases.get(corpus["D"]).parties[0].subject_id
    detail = services.enterprises.get(enterprise_id)
    new_code = credit_code("91650102MA79XYW3Q")
    services.enterprises.update(
        enterprise_id, dataclasses.replace(detail.draft, credit_code=new_code), detail.version
    )
    assert found(services, "91650200") == set()
    assert found(services, new_code[:10]) == keys(corpus, "D")


def test_search_after_person_renamed(services, corpus) -> None:  # type: ignore[no-untyped-def]
    person_id = services.cases.get(corpus["B"]).parties[0].subject_id
    detail = services.persons.get(person_id)
    services.persons.update(person_id, dataclasses.replace(detail.draft, name="李娜"), 1)
    assert found(services, "李娜") == keys(corpus, "B")
    assert found(services, "王伟明") == set()
    assert found(services, "伟明") == keys(corpus, "C")


def test_search_after_party_removed(services, corpus) -> None:  # type: ignore[no-untyped-def]
    party = next(p for p in services.cases.get(corpus["A"]).parties if p.name == "王伟")
    services.parties.remove(party.id)
    assert found(services, "王伟 买卖") == set()
    assert found(services, "王") == keys(corpus, "B", "C")
    assert found(services, "110105") == set()
    assert found(services, "天山建设") == keys(corpus, "A")  # the other party stays


def test_search_after_case_edited(services, corpus) -> None:  # type: ignore[no-untyped-def]
    b = services.cases.get(corpus["B"])
    services.cases.update(
        corpus["B"], dataclasses.replace(b.to_draft(), cause="租赁合同纠纷"), b.version
    )
    assert found(services, "借款") == set()
    assert found(services, "租赁") == keys(corpus, "B")
    assert found(services, "租赁合同") == keys(corpus, "B")

    a = services.cases.get(corpus["A"])
    services.cases.update(
        corpus["A"],
        dataclasses.replace(a.to_draft(), case_number="（2023）新01民初124号", notes="调解结案"),
        a.version,
    )
    assert found(services, "民初123") == set()
    assert found(services, "民初124") == keys(corpus, "A")
    assert found(services, "调解") == keys(corpus, "A")


def test_deleted_case_is_not_found_and_restored_case_is(services, corpus) -> None:  # type: ignore[no-untyped-def]
    services.cases.delete(corpus["D"])
    assert found(services, "天山") == keys(corpus, "A")
    services.cases.restore(corpus["D"])
    assert found(services, "天山") == keys(corpus, "A", "D")


def test_search_combines_with_filters(services, corpus) -> None:  # type: ignore[no-untyped-def]
    ids = services.case_list.ids(CaseFilter(search="王", family="执行"), "accepted_on", True)
    assert ids == [corpus["C"]]


def test_names_with_punctuation_are_found_as_typed(services) -> None:  # type: ignore[no-untyped-def]
    # Uyghur names are written with a middle dot and company names often carry a bracketed
    # part; a user types or pastes them exactly so.
    a = services.cases.create(CaseDraft("（2023）新01民初1号", "民事", date(2023, 3, 1))).id
    services.parties.add(a, "被告", new_person=PersonDraft("买买提·艾力"))
    services.parties.add(a, "原告", new_enterprise=EnterpriseDraft("新疆天山（集团）有限责任公司"))
    b = services.cases.create(CaseDraft("（2023）新01民初2号", "民事", date(2023, 3, 1))).id
    services.parties.add(b, "被告", new_person=PersonDraft("艾力·买买提"))
    assert found(services, "买买提·艾力") == {a, b}  # both pieces in both names
    assert found(services, "买买提•艾力") == {a, b}  # another dot
    assert found(services, "买买提") == {a, b}
    assert found(services, "新疆天山（集团）有限责任公司") == {a}
    assert found(services, "天山(集团)") == {a}
    assert found(services, "买买提·艾力 集团") == {a}
