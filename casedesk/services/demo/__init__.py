"""Realistic synthetic demo data: ten years of enterprise-related cases of Xinjiang courts.

:func:`generate_demo` fills a database that has no cases with cases, the enterprises and persons
taking part in them, stage timelines, trigger events and deadlines, compulsory measures (property
and personal, with their renewals, releases, custody reviews and 挂案 supervision) and their
clocks, tags, the search index and one audit record per case and per measure. The same seed on
the same day gives the same data.

Modules: :mod:`~casedesk.services.demo.generate` writes the data,
:mod:`~casedesk.services.demo.cases` makes the cases, :mod:`~casedesk.services.demo.subjects`
the enterprises, public bodies and persons taking part in them,
:mod:`~casedesk.services.demo.deadlines` and :mod:`~casedesk.services.demo.triggers` their
deadlines and the events that start them, :mod:`~casedesk.services.demo.measures` their
compulsory measures, and :mod:`~casedesk.services.demo.names` and
:mod:`~casedesk.services.demo.measure_words` hold the word lists and case patterns.
"""

from __future__ import annotations

from casedesk.services.demo.generate import DemoSummary, generate_demo

__all__ = ["DemoSummary", "generate_demo"]
