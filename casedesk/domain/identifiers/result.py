"""The result every identifier validator returns."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Validation:
    """Outcome of validating one identifier.

    ``normalized`` is the canonical form to store (``None`` when the input cannot be read at all);
    ``errors`` say in Chinese what is wrong; ``warnings`` are doubts that do not block saving.
    """

    valid: bool
    normalized: str | None
    parts: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The shape the command line prints with ``--json``."""
        return {
            "valid": self.valid,
            "normalized": self.normalized if self.valid else None,
            "parts": self.parts,
            "errors": list(self.errors),
            "warnings": list(self.warnings),
        }

    @property
    def message(self) -> str:
        """All errors joined for a single-line field message ("" when valid)."""
        return "；".join(self.errors)


#: Longest text an identifier validator reads: several times any real identifier (a 案号 has
#: about 20 characters, spaced out 40), short enough that no pattern backtracks on it for long.
MAX_INPUT = 100


def unreadable(raw: object, label: str) -> Validation | None:
    """The refusal of input that cannot be the identifier at all: not text, text holding a lone
    surrogate (no character: it cannot be stored or printed), or text far too long. None when
    the validator can read it (``None`` itself reads as empty)."""
    if raw is None:
        return None
    if not isinstance(raw, str):
        return Validation(False, None, errors=[f"{label}应填写为文字"])
    if has_surrogate(raw):
        return Validation(False, None, errors=[f"{label}含有无法识别的字符（不完整的编码）"])
    if len(raw) > MAX_INPUT:
        return Validation(False, None, errors=[f"{label}过长（{len(raw)}个字符）"])
    return None


def has_surrogate(text: str) -> bool:
    """Whether ``text`` holds a lone surrogate (from a broken file or clipboard): such text can be
    neither stored in the database nor printed."""
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def fold_width(text: str) -> str:
    """Full-width ASCII letters and digits to half-width, and every kind of space removed."""
    out = []
    for ch in text:
        if ch.isspace() or unicodedata.category(ch) == "Cf":
            continue
        code = ord(ch)
        if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
            ch = chr(code - 0xFEE0)
        out.append(ch)
    return "".join(out)
