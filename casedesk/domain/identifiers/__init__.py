"""Validators for the identifiers the courts and procuratorates use (law.md §8).

Each validator takes the raw text a user typed and returns a :class:`Validation`: whether it is
valid, its normalised form, its parts, and every problem found, in Chinese.
"""

from casedesk.domain.identifiers.case_number import validate_case_number
from casedesk.domain.identifiers.credit_code import credit_code_check_char, validate_credit_code
from casedesk.domain.identifiers.id_number import id_number_check_char, validate_id_number
from casedesk.domain.identifiers.result import Validation

__all__ = [
    "Validation",
    "credit_code_check_char",
    "id_number_check_char",
    "validate_case_number",
    "validate_credit_code",
    "validate_id_number",
]
