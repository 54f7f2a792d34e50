"""Errors the domain raises, carrying Chinese messages keyed by the field they concern."""

from __future__ import annotations


class FieldErrors(ValueError):
    """One or more fields are invalid; ``errors`` maps a field name to its Chinese message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        super().__init__("；".join(self.errors.values()))
