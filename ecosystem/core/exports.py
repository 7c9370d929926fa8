"""Spreadsheet exports (CSV and XLSX): every cell goes through one formula guard.

A cell whose text starts with `=`, `+`, `-`, `@` (or their full-width forms, which some spreadsheet
programs read the same way), a tab, CR or LF, possibly after spaces, would be read as a formula by Excel,
LibreOffice or Google Sheets (`=HYPERLINK(...)` in a name is a phishing link in the coordinator's
spreadsheet). Such a cell gets a leading apostrophe and is stored as text. Numbers, dates and None pass.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")


def safe_cell(value):
    """The value, with text that a spreadsheet would read as a formula made plain text."""
    if not isinstance(value, str):
        return value
    stripped = value.lstrip(" \u3000")
    if stripped[:1] in FORMULA_STARTS or value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    return [safe_cell(value) for value in values]


def csv_bytes(rows: Iterable[Iterable]) -> bytes:
    """Rows (the header first) as CSV in UTF-8 with a BOM, so Excel reads Vietnamese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(safe_row(row))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def append_row(sheet, values: Iterable) -> None:
    """`sheet.append` for openpyxl with every cell guarded; text cells are stored as text, never as a formula."""
    sheet.append(safe_row(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
