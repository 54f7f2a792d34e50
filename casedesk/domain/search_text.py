"""Text normalisation for search, and the gram tokens of the search index.

Chinese has no spaces, and the commonest queries are one or two characters long (a surname, a
two-character name, 公司). The index therefore holds every character and every pair of adjacent
characters of each searchable text as a token. A one-character query looks up its token; a query
of two or more characters looks up all of its pairs and, when longer than two, the candidates are
checked for the whole substring. Identifiers lose their punctuation so that “(2023)新01” finds
“（2023）新01民初123号”.
"""

from __future__ import annotations

import re
import unicodedata

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


def term_grams(term: str) -> list[str]:
    """The index tokens one query term must all have: itself if one character, else its pairs."""
    if len(term) == 1:
        return [term]
    return list(dict.fromkeys(term[i : i + 2] for i in range(len(term) - 1)))


def fts_match_expression(terms: list[str]) -> str:
    """An FTS5 MATCH expression requiring every gram of every term (tokens are quoted)."""
    return " AND ".join(f'"{g}"' for term in terms for g in term_grams(term))
