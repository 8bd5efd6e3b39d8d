"""The one XLSX writer of the project (EUC lists, statistics, the data dictionary): like `core.csvfile` for CSV.

Decided once:
- xlsxwriter in constant-memory mode: rows are written one at a time, so a list of a million residents does
  not sit in memory.
- No row cap and no silent truncation: a sheet holds at most 1,048,575 data rows (Excel's 1,048,576 minus the
  header); the rows after that go on to a second sheet "<name> (2)" with the same header, and so on.
- Text is always written as a string cell (`write_string`), never parsed: `=1+2` stays text and cannot run as
  a formula; numbers as numbers, dates as dates (yyyy-mm-dd), booleans as 1/0, None as an empty cell.
- Names are kept exactly (IVS included): XLSX is UTF-8 XML.

API: `write_xlsx(out, sheets)` where `sheets` is a list of `Sheet(name, header, rows)`; `out` a path or a
binary file. `xlsx_response(sheets, filename=…)` is the download.
"""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

SHEET_ROWS = 1_048_575
"""Data rows per sheet: Excel's 1,048,576 rows minus the header row."""

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Sheet:
    name: str
    header: Sequence[Any]
    rows: Iterable[Sequence[Any]]


def _sheet_name(name: str, part: int) -> str:
    # Excel: ≤ 31 characters, none of []:*?/\ .
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in name) or "Sheet"
    suffix = f" ({part})" if part > 1 else ""
    return clean[: 31 - len(suffix)] + suffix


def write_xlsx(out: str | Path | BinaryIO, sheets: Sequence[Sheet], *, sheet_rows: int = SHEET_ROWS) -> dict:
    """Write the workbook; returns {sheet name: data rows} so callers can report where rows went."""
    import xlsxwriter

    target = str(out) if isinstance(out, (str, Path)) else out
    book = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False,
                                        "strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    time_format = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    bold = book.add_format({"bold": True})
    written: dict[str, int] = {}

    def new_sheet(sheet: Sheet, part: int):
        ws = book.add_worksheet(_sheet_name(sheet.name, part))
        for col, value in enumerate(sheet.header):
            ws.write_string(0, col, str(value), bold)
        ws.freeze_panes(1, 0)
        return ws

    for sheet in sheets:
        part, row_no = 1, 0
        ws = new_sheet(sheet, part)
        written[ws.name] = 0
        for row in sheet.rows:
            if row_no == sheet_rows:
                part, row_no = part + 1, 0
                ws = new_sheet(sheet, part)
                written[ws.name] = 0
            r = row_no + 1
            for col, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, bool):
                    ws.write_number(r, col, int(value))
                elif isinstance(value, (int, float, Decimal)):
                    ws.write_number(r, col, float(value))
                elif isinstance(value, datetime.datetime):
                    ws.write_datetime(r, col, value.replace(tzinfo=None), time_format)
                elif isinstance(value, datetime.date):
                    ws.write_datetime(r, col, datetime.datetime.combine(value, datetime.time()), date_format)
                else:
                    ws.write_string(r, col, str(value))
            row_no += 1
            written[ws.name] += 1
    book.close()
    return written


def xlsx_response(sheets: Sequence[Sheet], *, filename: str, ascii_filename: str | None = None):
    """A download (`attachment`) of the workbook, written to a temporary file first (xlsxwriter needs a
    seekable target) and streamed from it."""
    from django.http import FileResponse

    from jumin.core.csvfile import attachment

    handle = tempfile.TemporaryFile(suffix=".xlsx")
    write_xlsx(handle, sheets)
    handle.seek(0)
    response = FileResponse(handle, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = attachment(filename, ascii_filename)
    return response
