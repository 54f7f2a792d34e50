"""Lists to Excel (.xlsx): one sheet per table, as a clerk's 台账 looks.

Each sheet has a title row (and an optional subtitle such as "截至 2026-11-25，共 12 件") across
all columns, a bold header row that stays in view when scrolling (frozen) and repeats on every
printed page, an auto-filter, and columns as wide as their text (a Chinese character counts
twice). Dates are real dates, amounts and counts real numbers, so Excel / WPS can sort, filter
and add them up. Every cell names a CJK font (宋体 by default) that Chinese Office installs have.

Written through :func:`casedesk.export.output.atomic_output` in openpyxl's write-only (streaming)
mode, so a long list neither half-writes a file nor holds every cell object in memory.
Text that would start a formula (=, +, -, @) is stored as text, never evaluated. openpyxl is
imported on the first export, not with this module (it would add ~0.1 s to the app's start).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from casedesk.export.output import ExportError, atomic_output

FONT_NAME = "宋体"
TEXT, DATE, DATETIME, INT, AMOUNT, NUMBER = "text", "date", "datetime", "int", "amount", "number"
KINDS = (TEXT, DATE, DATETIME, INT, AMOUNT, NUMBER)
FORMATS = {
    DATE: "yyyy-mm-dd",
    DATETIME: "yyyy-mm-dd hh:mm",
    INT: "0",
    AMOUNT: "#,##0.00",
    NUMBER: "General",
}
MIN_WIDTH, MAX_WIDTH = 6, 60
#: Text starting with one of these is stored as text, never as a formula.
FORMULA_STARTS = ("=", "+", "-", "@")
#: Excel's sheet name limits: 31 characters, none of these.
_SHEET_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})
#: Control characters an .xlsx cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE).
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


@dataclass(frozen=True)
class Column:
    """A column: its header, what its values are, and the widest it may grow (characters)."""

    title: str
    kind: str = TEXT  # text / date / datetime / int / amount (分 → 元) / number
    max_width: int = MAX_WIDTH

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


@dataclass(frozen=True)
class Table:
    """One sheet: a title, the columns and the rows (one value per column; None is empty)."""

    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    subtitle: str = ""
    sheet_name: str = ""


def display_width(text: str) -> int:
    """Columns the text takes in a fixed-width view: wide (CJK) and full-width characters 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _amount(value: Any) -> Decimal | None:
    """分 as 元 (exact): 123456 → 1234.56."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ExportError(f"金额应为整数（分），实为“{value}”")
    return (Decimal(value) / 100).quantize(Decimal("0.01"))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return _ILLEGAL.sub("", str(value))


def _value(column: Column, value: Any) -> Any:
    """The value as stored in the cell."""
    if value is None or (isinstance(value, str) and not value):
        return None
    if column.kind == AMOUNT:
        return _amount(value)
    if column.kind == DATE:
        if isinstance(value, datetime):
            return value.date()
        if not isinstance(value, date):
            raise ExportError(f"“{column.title}”应为日期，实为“{value}”")
        return value
    if column.kind == DATETIME:
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)  # Excel has no time zones
        return value
    if column.kind in (INT, NUMBER):
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise ExportError(f"“{column.title}”应为数字，实为“{value}”")
        return value
    return _text(value)


def _shown(column: Column, value: Any) -> str:
    """The value as Excel will show it, to size the column."""
    if value is None:
        return ""
    if column.kind == DATE:
        return "0000-00-00"
    if column.kind == DATETIME:
        return "0000-00-00 00:00"
    if column.kind == AMOUNT:
        return f"{value:,.2f}"
    return str(value)


def _widths(table: Table, values: list[list[Any]]) -> list[int]:
    widths = []
    for i, column in enumerate(table.columns):
        longest = max(
            [display_width(column.title)]
            + [max(map(display_width, _shown(column, row[i]).split("\n"))) for row in values],
        )
        widths.append(max(MIN_WIDTH, min(column.max_width, longest + 2)))
    return widths


def _sheet_name(table: Table, taken: set[str]) -> str:
    base = (table.sheet_name or table.title or "Sheet").translate(_SHEET_FORBIDDEN)[:31]
    name, n = base, 2
    while name in taken:
        suffix = f"({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


class _Styles:
    """The few styles every sheet shares (openpyxl imported here, on the first export)."""

    def __init__(self, font_name: str):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self.cell_class = WriteOnlyCell
        thin = Side(style="thin", color="808080")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.title_font = Font(name=font_name, size=16, bold=True)
        self.subtitle_font = Font(name=font_name, size=10)
        self.header_font = Font(name=font_name, size=11, bold=True)
        self.body_font = Font(name=font_name, size=11)
        self.header_fill = PatternFill("solid", fgColor="D9D9D9")
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.text = Alignment(vertical="top", wrap_text=True)
        self.number = Alignment(vertical="top")


def _cell(ws: Any, styles: _Styles, value: Any, font: Any, **style: Any) -> Any:
    cell = styles.cell_class(ws, value=value)
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        cell.data_type = "s"  # user text, never a formula
    cell.font = font
    for key, item in style.items():
        setattr(cell, key, item)
    return cell


def _checked_values(table: Table) -> list[list[Any]]:
    """The table's values as the cells will hold them; ExportError on the first misfit."""
    ncols = len(table.columns)
    if ncols == 0:
        raise ExportError("表格没有任何列")
    values = []
    for row in table.rows:
        if len(row) != ncols:
            raise ExportError(f"“{table.title}”的一行有 {len(row)} 项，应为 {ncols} 项")
        values.append([_value(c, v) for c, v in zip(table.columns, row, strict=True)])
    return values


def _write_sheet(
    wb: Any, table: Table, values: list[list[Any]], styles: _Styles, name: str
) -> None:
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(name)
    # write-only sheets take their layout before the first row
    for i, width in enumerate(_widths(table, values), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    last = get_column_letter(len(table.columns))
    header_row = 3 if table.subtitle else 2
    ws.merged_cells.add(f"A1:{last}1")
    if table.subtitle:
        ws.merged_cells.add(f"A2:{last}2")
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.auto_filter.ref = f"A{header_row}:{last}{header_row + len(values)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4 (ECMA-376 paper size code)
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    ws.row_dimensions[1].height = 28
    ws.append([_cell(ws, styles, table.title, styles.title_font, alignment=styles.center)])
    if table.subtitle:
        ws.append([_cell(ws, styles, table.subtitle, styles.subtitle_font)])
    ws.append([
        _cell(ws, styles, c.title, styles.header_font, alignment=styles.center,
              fill=styles.header_fill, border=styles.border)
        for c in table.columns
    ])  # fmt: skip
    # Setting a style on a cell looks it up in the workbook's style tables: done once per
    # column, each data cell then takes the column's style as it is (about 10× faster).
    looks = [_data_cell(ws, c, None, styles)._style for c in table.columns]
    make = styles.cell_class
    for row in values:
        cells = []
        for value, look in zip(row, looks, strict=True):
            cell = make(ws, value=value)
            cell._style = copy(look)
            if isinstance(value, str) and value[:1] in FORMULA_STARTS:
                cell.data_type = "s"
            cells.append(cell)
        ws.append(cells)


def _data_cell(ws: Any, column: Column, value: Any, styles: _Styles) -> Any:
    if column.kind == TEXT:
        return _cell(ws, styles, value, styles.body_font, alignment=styles.text,
                     border=styles.border)  # fmt: skip
    return _cell(ws, styles, value, styles.body_font, alignment=styles.number, border=styles.border,
                 number_format=FORMATS[column.kind])  # fmt: skip


def write_xlsx(path: Path, *tables: Table, font_name: str = FONT_NAME) -> int:
    """Write ``tables`` (one sheet each) to ``path`` atomically; returns the data rows written.
    Raises ExportError with a Chinese message when a value does not fit its column or the
    file cannot be written."""
    if not tables:
        raise ExportError("没有要导出的表格")
    # every value is checked before anything is written: a misfit leaves no file behind
    checked = [(table, _checked_values(table)) for table in tables]
    from openpyxl import Workbook

    styles, taken = _Styles(font_name), set[str]()
    with atomic_output(Path(path)) as fh:
        wb = Workbook(write_only=True)
        for table, values in checked:
            _write_sheet(wb, table, values, styles, _sheet_name(table, taken))
        try:
            wb.save(fh)
        except OSError as exc:
            raise ExportError(f"无法写入 {path}：{exc.strerror or exc}") from exc
    return sum(len(values) for _table, values in checked)
