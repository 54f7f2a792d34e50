"""Text normalisation for search, and the tokens of the search indexes.

Chinese has no spaces, and the commonest queries are one or two characters long (a surname, a
two-character name, 公司). SQLite's trigram index cannot answer those, so a second index holds
every character and every pair of adjacent characters of each searchable text as a token: a
query term of one or two characters is a single token lookup there, a longer term is an exact
substring match in the trigram index. Identifiers lose their punctuation so that “(2023)新01”
finds “（2023）新01民初123号”; free text is cut into segments at spaces and punctuation, and no
match crosses a segment boundary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from casedesk.domain.identifiers.result import fold_width

_NON_WORD = re.compile(r"[^0-9a-z\u3007\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", fold_width(text)).lower() if text else ""


def identifier_segment(value: str | None) -> str:
    """An identifier (案号, credit code, ID number) as one unbroken searchable segment."""
    return _NON_WORD.sub("", _fold(value or ""))


def free_text_segments(value: str | None) -> list[str]:
    """Free text split into searchable segments at spaces and punctuation."""
    folded = unicodedata.normalize("NFKC", (value or "")).lower()
    folded = "".join(chr(ord(ch) - 0xFEE0) if 0xFF01 <= ord(ch) <= 0xFF5E else ch for ch in folded)
    return [s for s in _NON_WORD.split(folded) if s]


def join_segments(segments: list[str]) -> str:
    """The stored search text: segments separated by single spaces, duplicates dropped."""
    return " ".join(dict.fromkeys(s for s in segments if s))


def case_search_text(
    case_number: str, cause: str, notes: str, parties: Iterable[tuple[str, str | None]]
) -> str:
    """The searchable text of a case: 案号, cause, notes, and each party's name and identifier."""
    segments = [identifier_segment(case_number), *free_text_segments(cause)]
    segments += free_text_segments(notes)
    for name, identifier in parties:
        segments += free_text_segments(name)
        segments.append(identifier_segment(identifier))
    return join_segments(segments)


def grams(text: str) -> str:
    """Every character and adjacent pair of each segment, space separated, without repeats."""
    tokens: dict[str, None] = {}
    for segment in text.split():
        for i, ch in enumerate(segment):
            tokens[ch] = None
            if i + 1 < len(segment):
                tokens[segment[i : i + 2]] = None
    return " ".join(tokens)


def query_terms(query: str) -> list[str]:
    """A typed query as normalised terms, split at spaces.

    A part with digits is taken as an identifier: its punctuation is dropped, as in the index
    (“(2023)新01”). Any other part is split at punctuation like the indexed free text, so that a
    name typed as written (“买买提·艾力”, “天山（集团）”) finds what the index holds in pieces.
    """
    terms: list[str] = []
    for part in (query or "").split():
        if any(ch.isdigit() for ch in part):
            terms.append(identifier_segment(part))
        else:
            terms.extend(free_text_segments(part))
    return [t for t in terms if t]


#: Longest term the character/pair index answers; longer terms go to the trigram index.
GRAM_TERM_MAX = 2


def term_match(term: str) -> tuple[str, str]:
    """Which index answers a normalised query term, and its FTS5 MATCH expression.

    ``("gram", '"王伟"')`` for one or two characters (a single token), ``("trigram",
    '"有限公司"')`` for three or more (an exact substring). Terms hold only letters, digits and
    Chinese characters, so quoting them is safe.
    """
    return ("gram" if len(term) <= GRAM_TERM_MAX else "trigram", f'"{term}"')
