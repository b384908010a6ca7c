"""Reading a lead list from a workbook (.xlsx, .xlsm, .xls, .ods) as the CSV reader would.

python-calamine reads all four formats (and formulas' cached values) without
Excel. Cells become the text a spreadsheet shows for them, so the importer
treats a workbook exactly as the same rows saved as CSV.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from dialsmile.errors import BadInput
from dialsmile.io.sniff import Table, find_header, read_bytes

FORMATS = {
    ".xlsx": "Excel workbook",
    ".xlsm": "Excel workbook",
    ".xlsb": "Excel workbook",
    ".xls": "Excel 97-2003 workbook",
    ".ods": "OpenDocument spreadsheet",
}
_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # zip (xlsx, ods), OLE (xls)


def is_workbook(path: Path) -> bool:
    """True for a workbook by its name, or by its first bytes whatever its name."""
    if path.suffix.lower() in FORMATS:
        return True
    try:
        with path.open("rb") as file:
            return file.read(8).startswith(_MAGIC)
    except OSError:
        return False  # the CSV reader says why it cannot read it


@dataclass
class SheetTable(Table):
    """A table read from one sheet of a workbook."""

    sheet: str = ""

    @property
    def description(self) -> str:
        return f"{FORMATS.get(self.path.suffix.lower(), 'spreadsheet')}, sheet {self.sheet!r}"


def open_sheet(
    path: Path,
    header_score: Callable[[list[str]], int],
    wanted: Callable[[list[str]], bool],
    *,
    sheet: str | None,
    max_cell: int,
) -> SheetTable:
    """The sheet named ``sheet``, else the first whose header is ``wanted`` (holds a
    phone column), else the only sheet with data; its header found as in a CSV."""
    import python_calamine as calamine

    read_bytes(path)  # the same refusals as a CSV: missing, a directory, too big
    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError:
        raise BadInput(
            f"{path} is protected by a password; remove it in your spreadsheet "
            "(or save the sheet as CSV) and import again."
        ) from None
    except Exception:  # calamine raises its own and zip/xml errors for damaged files
        raise BadInput(f"{path} is damaged or not a workbook dialsmile can read.") from None
    names = [
        m.name for m in book.sheets_metadata if m.typ == calamine.SheetTypeEnum.WorkSheet
    ] or list(book.sheet_names)
    listed = ", ".join(repr(n) for n in names)
    if sheet is not None:
        if sheet not in names:
            raise BadInput(f"{path} has no sheet named {sheet!r}; its sheets: {listed}.")
        candidates = [sheet]
    else:
        candidates = names
    found: list[tuple[str, int, list[str], Iterator[list[str]], int]] = []
    for name in candidates:
        try:
            rows = book.get_sheet_by_name(name)
        except Exception:
            raise BadInput(f"Sheet {name!r} of {path} is damaged.") from None
        if rows.height == 0:
            continue
        records = _records(rows.iter_rows(), path, name, max_cell)
        missing = f"Sheet {name!r} of {path} has no header row."
        index, header, rest = find_header(records, header_score, missing)
        found.append((name, index, header, rest, rows.height))
        if sheet is not None or wanted(header):
            break
    else:
        if not found:
            where = f"Sheet {sheet!r} of {path}" if sheet is not None else str(path)
            raise BadInput(f"{where} is empty.")
        if len(found) > 1:
            raise BadInput(
                f"No sheet of {path} has a header with a phone column (sheets: {listed}); "
                'choose one with --sheet and name its phone column with --map, e.g. --map "Tel=phone".'
            )
    name, index, header, rest, height = found[-1]
    counter = _Counter(rest, height)
    return SheetTable(path, path.suffix.lower().lstrip(".") or "workbook", ",", header, index,
                      counter, counter.share, sheet=name)  # fmt: skip


class _Counter(Iterator[list[str]]):
    """The records, counting how many were read for the progress bar."""

    def __init__(self, records: Iterator[list[str]], total: int) -> None:
        self._records, self._total, self._read = records, max(total, 1), 0

    def __next__(self) -> list[str]:
        record = next(self._records)
        self._read += 1
        return record

    def share(self) -> float:
        return min(self._read / self._total, 1.0)


def _records(
    rows: Iterator[Sequence[object]], path: Path, sheet: str, max_cell: int
) -> Iterator[list[str]]:
    for number, row in enumerate(rows, start=1):
        record = [cell_text(value) for value in row]
        while record and not record[-1]:
            record.pop()  # as a spreadsheet saving CSV, no padding past the last cell
        for cell in record:
            if len(cell) > max_cell:
                raise BadInput(
                    f"Row {number} of sheet {sheet!r} of {path} has a cell of {len(cell):,} "
                    f"characters (the limit is {max_cell:,}); shorten it or raise --max-cell."
                )
        yield record


def cell_text(value: object) -> str:
    """A cell as text: whole numbers without ".0" (phones stored as numbers), dates
    and times in ISO 8601, booleans as a spreadsheet shows them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        seconds = int(value.total_seconds())
        return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return str(value)
