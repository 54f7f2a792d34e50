"""Property tests with hostile input (issue 7, point 7): a reproducible hypothesis profile.

Every run draws the same examples (``derandomize``), so a failure in CI is a failure on every
desk; ``HYPOTHESIS_PROFILE=casedesk-explore`` draws new ones, and ``HYPOTHESIS_SCALE=20`` twenty
times as many (``tests.property.hostile.examples``), when hunting bugs.
One database serves all examples of a test (a fresh one per example would be too slow): each
example checks for itself that a refused write left it unchanged.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,
    "print_blob": True,
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
}
settings.register_profile("casedesk", derandomize=True, database=None, **_COMMON)
settings.register_profile("casedesk-explore", **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "casedesk"))
