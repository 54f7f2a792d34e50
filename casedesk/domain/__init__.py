"""Pure rules of CaseDesk: identifiers, code tables, case vocabulary.

Nothing in this package imports Qt or SQLAlchemy; everything here is plain, table-tested Python.
"""
