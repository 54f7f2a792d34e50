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
