"""Renderers of domain documents: PDF via reportlab now, DOCX (python-docx) and XLSX (openpyxl)
later.

Each renderer takes a small frozen description of a document (built by a service from domain
data) and a target path, writes the file atomically and returns an ``ExportReport``. This
package imports ``casedesk.domain`` at most, never Qt or SQLAlchemy, so renderers run in a
worker thread and in tests without a database.

- ``fonts``: finds and registers, once per process, an embeddable Chinese TrueType font.
- ``output``: atomic writing and the ``ExportReport`` a renderer returns.
- ``daily_sheet``: the printable 今日期限一览.
"""
