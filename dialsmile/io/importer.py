"""Lead import: every row ends imported, duplicate or rejected with a reason."""

from __future__ import annotations

import csv
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any

from dialsmile.compliance.engine import zones_in_country
from dialsmile.core.imports import ImportCounts
from dialsmile.core.models import LeadRecord, Phone, PhoneKind
from dialsmile.core.names import first_name_of, split_name
from dialsmile.core.phone import (
    PhoneNormalizer,
    clean,
    digit_count,
    national_regions,
    rounded_digits,
    split_numbers,
)
from dialsmile.core.places import country_name, region_for_country, state_code
from dialsmile.core.regions import (
    Guess,
    RowSignals,
    guess_region,
    in_region,
    region_counts,
)
from dialsmile.errors import BadInput
from dialsmile.io.cells import restored_cells
from dialsmile.io.crm import record_column
from dialsmile.io.export import LEADS_HEADER, SESSION_HEADER
from dialsmile.io.headers import ColumnMap, build_map, header_score, phone_kind, signal_columns
from dialsmile.io.location import location_columns, location_countries, settle_place
from dialsmile.io.sniff import Table, open_table, repair_mojibake
from dialsmile.io.spreadsheet import SheetTable, is_workbook, open_sheet

MAX_CELL = 20_000
SAMPLE = 500  # rows read ahead to find phone columns and the file's region
HINT_SAMPLE = 20  # rejected numbers tried in every country for the --region hint
UNREAD_SHOWN = 5  # unreadable Country cells named in the summary
REJECTS_SHOWN = 5  # rejected rows named in the summary
BATCH = 2000  # rows handed on at a time: memory stays flat however long the file is
_FOOTER_START = frozenset("GgCc")
_NOT_PHONE_HEADER = re.compile(
    r"(?i)\b(id|code|zip|post|postal|postcode|plz|date|year|amount|revenue|employees|count|fax)\b"
)
_LABELS = {kind: kind.label for kind in PhoneKind}
_RANKS = {kind: kind.value for kind in PhoneKind}  # call order: a plain dict is faster
_SALESFORCE_FOOTER = (
    "grand totals",
    "confidential information - do not distribute",
    "copyright (c)",
    "copyright ©",
)

# A spreadsheet's totals line under the data ("Total", "Summe:", "Grand total (3)"), in
# the languages lead files come in; only looked for in rows without a number.
_TOTALS = re.compile(
    r"(?i)(grand |sub-?)?(total|totals|sum|summe|gesamt|gesamtsumme|totaal|totale|totalt"
    r"|summa|yhteensä|razem|итого|всего|合計|合计|总计)\s*:?\s*(\(.*\))?"
)


@dataclass
class Reject:
    row: int
    reason: str
    cells: list[str]
    who: str = ""  # the row's name or company, to find it in the file


class RejectSpill:
    """Every rejected row, written to a temporary file as the import reads on.

    A file of any length keeps memory flat; the rejects file (``--rejects``)
    and the JSON report read the rows back at the end.
    """

    def __init__(self) -> None:
        # The file lives as long as the report: it is read back when the report is shown.
        self._file = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115
        self._writer = csv.writer(self._file)
        self.width = 0  # cells in the widest rejected row

    def add(self, reject: Reject) -> None:
        self._writer.writerow([reject.row, reject.reason, *reject.cells])
        self.width = max(self.width, len(reject.cells))

    def __iter__(self) -> Iterator[tuple[int, str, list[str]]]:
        """(row, reason, cells) of each reject, in the order they were met."""
        self._file.flush()
        self._file.seek(0)
        for row, reason, *cells in csv.reader(self._file):
            yield int(row), reason, cells
        self._file.seek(0, 2)


@dataclass(kw_only=True)
class ImportReport(ImportCounts):
    """What an import did (or, with --dry-run, would do)."""

    file: str
    list_name: str
    encoding: str
    delimiter: str
    description: str
    header: list[str]
    mapping: list[str]
    batch: int | None = None
    dry_run: bool = False
    first_rejects: list[Reject] = field(default_factory=list)  # shown in the summary
    reasons: Counter[str] = field(default_factory=Counter)  # reason -> rejected rows
    rejects: RejectSpill = field(default_factory=RejectSpill)
    hint: str = ""  # one sentence on how to read more of the file
    region: str = "US"  # the file's main region, for national numbers without a country
    region_source: str = "default"  # "--region", "default", "inferred" or "country column"
    guess: Guess | None = None  # the evidence, when the region was inferred
    unread_countries: Counter[str] = field(default_factory=Counter)  # cell -> rows
    read_in_main_region: int = 0  # rows whose number fit the main region, not their country
    # The main region holds most of the rows that name a country: only then is a
    # number invalid in its row's country read as a national number of the main region.
    majority: bool = True
    repaired_cells: int = 0  # cells whose garbled accents were repaired
    repaired_example: str = ""
    sheet: str | None = None  # the sheet read, for a workbook

    def reject(self, reject: Reject) -> None:
        self.rejected += 1
        self.reasons[reject.reason.split(":")[0]] += 1
        if len(self.first_rejects) < REJECTS_SHOWN:
            self.first_rejects.append(reject)
        self.rejects.add(reject)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "list": self.list_name,
            "batch": self.batch,
            "dry_run": self.dry_run,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "rows": self.rows,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "skipped_blank": self.skipped_blank,
            "on_dnc": self.on_dnc,
            "mapping": self.mapping,
            "rejects": [{"row": row, "reason": reason} for row, reason, _ in self.rejects],
            "hint": self.hint or None,
            "region": {
                "region": self.region,
                "source": self.region_source,
                **({"evidence": self.guess.as_json()} if self.guess else {}),
            },
            "unread_countries": {
                "rows": sum(self.unread_countries.values()),
                "values": [v for v, _ in self.unread_countries.most_common(UNREAD_SHOWN)],
                "read_as": self.region,
            },
            "read_in_main_region": self.read_in_main_region,
            "repaired_cells": self.repaired_cells,
            "sheet": self.sheet,
        }

    @property
    def region_sentence(self) -> str:
        """ "National numbers read as Australia: 500/500 numbers valid there, ..." """
        if self.guess is None or self.guess.region is None:
            return ""
        return f"National numbers read as {country_name(self.region)}: {self.guess.evidence()}"

    def write_rejects(self, path: Path) -> None:
        """The rejected rows as they were, plus a reason column, ready to fix and re-import.

        The file is UTF-8 with a BOM and uses the export's own delimiter, so a
        spreadsheet opens it as it opened the export (accents and columns intact).
        """
        from dialsmile.io.export import write_csv

        width = max(len(self.header), self.rejects.width)
        header = [*self.header, *(f"column {i + 1}" for i in range(len(self.header), width))]
        rows = ([*cells, *[""] * (width - len(cells)), reason] for _, reason, cells in self.rejects)
        write_csv(path, [*header, "reject_reason"], rows, delimiter=self.delimiter, bom=True)


@dataclass
class ImportOptions:
    list_name: str
    region: str = "US"
    region_given: bool = False  # --region was given, so national numbers were read with it
    overrides: dict[str, str] = field(default_factory=dict)
    kind: str = "consumer"
    dry_run: bool = False
    max_cell: int = MAX_CELL
    sheet: str | None = None  # a workbook's sheet to read (default: the one with phones)


@dataclass
class LeadReading:
    """A file being read: the report so far and the valid rows, in batches, as they are read."""

    report: ImportReport
    batches: Iterator[list[LeadRecord]]


def read_leads(
    path: Path,
    options: ImportOptions,
    progress: Callable[[float], None] | None = None,
) -> LeadReading:
    """Open ``path`` and read its first rows, to map its columns and find its region.

    Errors in what those rows show are raised here; the rest of the file is
    read as ``batches`` is, which counts every row in ``report`` and raises a
    ``BadInput`` for a file with no rows.
    """
    table = _open(path, options)
    cmap = build_map(table.header, options.overrides)
    head = [_padded(r, len(table.header)) for r in islice(table.records, SAMPLE)]
    table.records = chain(head, table.records)
    if not cmap.phones:
        _find_phone_columns(cmap, head)
    if not cmap.phones:
        raise BadInput(
            f"No column in {path.name} looks like a phone number; columns seen: "
            + ", ".join(repr(h) for h in table.header)
            + '. Name the phone column with --map, e.g. --map "Tel. privat=phone".'
        )
    region, source, guess, majority = _main_region(head, cmap, options)
    if guess is not None and guess.region is None and guess.close:
        raise BadInput(
            f"Cannot tell which country the national numbers in {path.name} are from "
            f"(numbers valid in {region_counts(guess)}); give their country with --region."
        )
    report = ImportReport(
        file=str(path),
        list_name=options.list_name,
        encoding=table.encoding,
        delimiter=table.delimiter,
        description=table.description,
        header=table.header,
        mapping=cmap.describe(),
        dry_run=options.dry_run,
        region=region,
        region_source=source,
        majority=majority,
        guess=guess if source == "inferred" else None,
        sheet=table.sheet if isinstance(table, SheetTable) else None,
    )
    rows = _read_rows(table, cmap, report, options, progress)
    return LeadReading(report, _batched(rows))


def _batched(rows: Iterator[LeadRecord]) -> Iterator[list[LeadRecord]]:
    while batch := list(islice(rows, BATCH)):
        yield batch


def _open(path: Path, options: ImportOptions) -> Table:
    """A CSV export or a workbook's sheet, as one table of text cells."""
    if is_workbook(path):
        return open_sheet(
            path,
            header_score,
            lambda header: bool(build_map(header, options.overrides).phones),
            sheet=options.sheet,
            max_cell=options.max_cell,
        )
    if options.sheet is not None:
        raise BadInput(f"--sheet is for workbooks; {path.name} is read as CSV.")
    return open_table(path, header_score, max_cell=options.max_cell)


def _read_rows(
    table: Table,
    cmap: ColumnMap,
    report: ImportReport,
    options: ImportOptions,
    progress: Callable[[float], None] | None,
) -> Iterator[LeadRecord]:
    """Each row with a valid number, as a lead; the rest counted (and kept) in ``report``."""
    width = len(table.header)
    main_region = report.region
    normalizer = PhoneNormalizer()
    # dialsmile's own exports hold the text exactly as it was stored: never 'repaired',
    # nor its placeholders blanked.
    own = tuple(table.header) in (LEADS_HEADER, SESSION_HEADER)
    repair = table.garbled and not own
    unread: list[str] = []  # a sample of rejected numbers long enough to be national numbers
    record = record_column(table.header)
    single = [(name, idx[0]) for name, idx in cmap.scalars.items() if len(idx) == 1]
    several = cmap.fallbacks
    places = location_columns(cmap)
    for offset, cells in enumerate(table.records, start=2):
        if progress is not None and offset % 5000 == 0:
            progress(table.progress())
        # One string for the whole row: its checks run in C instead of once per cell.
        joined = "".join(cells)
        if not joined or joined.isspace():
            report.skipped_blank += 1
            continue
        report.rows += 1
        cells = _padded(cells, width)
        if "'" in joined or "\x00" in joined:
            cells = restored_cells(cells)  # undo the formula guard of dialsmile's own exports
        if repair:
            cells = _repaired(cells, report)
        values = {name: cells[i].strip() for name, i in single}
        for name, idx in several:
            values[name] = next((cells[i].strip() for i in idx if cells[i].strip()), "")
        if not own:
            settle_place(values, cells, places, cmap.phones[0].index, main_region)
        if cells[0][:1] in _FOOTER_START and _is_footer(cells):
            report.reject(Reject(offset, "report footer: not a lead", cells))
            continue
        region = _row_region(values, main_region, report)
        phones, invalid, had_text = _row_phones(cells, cmap, region, normalizer)
        if (
            report.majority
            and not phones
            and region != main_region
            and any(digit_count(n) >= 7 for n in invalid)
        ):
            # Not valid in the row's own country: a national number of the file's country?
            phones, invalid, had_text = _row_phones(cells, cmap, main_region, normalizer)
            report.read_in_main_region += bool(phones)
        if not phones:
            reason = "no phone"
            if _repeats_header(cells, table.header):
                reason = "repeated header row: not a lead"
            elif _TOTALS.fullmatch(next((c.strip() for c in cells if c.strip()), "")):
                reason = "totals row: not a lead"
            elif invalid:
                reason = "invalid phone: " + ", ".join(map(_why_invalid, invalid))[:200]
                if len(unread) < HINT_SAMPLE:
                    unread.extend(raw for raw in invalid if digit_count(raw) >= 7)
            elif had_text:
                reason = "no phone: " + had_text[:200]
            who = values.get("name") or " ".join(
                v for v in (values.get("first_name"), values.get("last_name")) if v
            )
            who = who or values.get("company", "")
            if reason.endswith("not a lead"):
                who = ""  # its "name" is a header, or the word Total
            report.reject(Reject(offset, reason, cells, who))
            continue
        lead = _make_lead(offset, values, cells, cmap, phones, invalid, region)
        if record is not None:
            lead.crm, lead.crm_id = record.crm, record.record_id(cells)
        yield lead
    if progress is not None:
        progress(1.0)
    if report.rows == 0:
        raise BadInput(f"{report.file} has a header but no rows.")
    many = 4 * report.reasons["invalid phone"] >= report.rows  # a quarter of the rows or more
    if many and "country" not in cmap.scalars and not options.region_given:
        report.hint = _region_hint(unread[:HINT_SAMPLE], main_region)


def _region_hint(invalid: list[str], region: str) -> str:
    """Name --region when the rejected numbers' own signals point to one country."""
    guess = guess_region([RowSignals(phones=[raw]) for raw in invalid], region)
    if guess.region is None or guess.region == region:
        return ""
    return (
        "No country column found; if these are national numbers, give their country "
        f"with --region, e.g. --region {guess.region}."
    )


def _padded(cells: list[str], width: int) -> list[str]:
    return [*cells, *[""] * (width - len(cells))] if len(cells) < width else cells


def _repaired(cells: list[str], report: ImportReport) -> list[str]:
    """Cells with UTF-8 read as Windows-1252 ("JÃ¼rgen") put right ("Jürgen"), counted."""
    out = cells
    for i, cell in enumerate(cells):
        fixed = repair_mojibake(cell)
        if fixed != cell:
            out = out if out is not cells else list(cells)
            out[i] = fixed
            report.repaired_cells += 1
            report.repaired_example = report.repaired_example or f"{cell} -> {fixed}"
    return out


def _find_phone_columns(cmap: ColumnMap, head: list[list[str]]) -> None:
    """Columns no header names as phones, taken when most of their cells are phone numbers."""
    for i in list(cmap.unconsumed):
        if _NOT_PHONE_HEADER.search(cmap.header[i]):
            continue
        cells = [row[i].strip() for row in head if i < len(row) and row[i].strip()]
        if len(cells) >= 2 and 2 * sum(map(_reads_as_phone, cells)) > len(cells):
            cmap.add_phone(i, "most cells are phone numbers")


def _reads_as_phone(cell: str) -> bool:
    """A cell that is a valid number in some country (any, or its +CC's)."""
    text, _ = clean(cell)
    compact = re.sub(r"[\s().\-/]", "", text)
    if not re.fullmatch(r"\+?\d{6,15}", compact):
        return False
    if compact.startswith("+"):
        return PhoneNormalizer().parse(compact, "") is not None
    return bool(national_regions(compact))


def _main_region(
    head: list[list[str]], cmap: ColumnMap, options: ImportOptions
) -> tuple[str, str, Guess | None, bool]:
    """The region for national numbers without a readable country.

    Returns (region, source, guess, majority). --region wins; else the Country
    column's most common country; else the region the file's own signals point
    to, the default_region setting while nothing contradicts it. ``majority`` is
    False when the most common country holds no more than half of the rows that
    name one: in a mixed file, a US row's bad number is not a German number.
    """
    if options.region_given:
        return options.region, "--region", None, True
    countries = Counter(
        found
        for row in head
        for i in cmap.scalars.get("country", ())
        if (found := region_for_country(row[i].strip()) if row[i].strip() else None)
    )
    if not countries:  # a Location column names the countries instead ("Lagos, Nigeria")
        countries = location_countries(head, location_columns(cmap), options.region)
    if countries:
        (top, count), total = countries.most_common(1)[0], countries.total()
        return top, "country column", None, 2 * count > total
    extra = signal_columns(cmap.header, cmap)
    guess = guess_region((_signals(row, cmap, extra) for row in head), options.region)
    if guess.region is None or guess.region == options.region:
        return options.region, "default", guess, True
    return guess.region, "inferred", guess, True


def _signals(row: list[str], cmap: ColumnMap, extra: dict[str, list[int]]) -> RowSignals:
    """What a row says about its country; ``extra`` holds its web, county and postcode columns."""
    return RowSignals(
        phones=[row[p.index] for p in cmap.phones],
        addresses=[row[i] for i in (*cmap.scalars.get("email", ()), *extra.get("web", ()))],
        states=[row[i] for i in (*cmap.scalars.get("state", ()), *extra.get("county", ()))],
        postcodes=[row[i] for i in extra.get("postcode", ())],
    )


def _repeats_header(cells: list[str], header: list[str]) -> bool:
    """A header line again inside the data: files pasted together, or a report's pages."""
    return [c.strip().casefold() for c in cells[: len(header)]] == [
        h.strip().casefold() for h in header
    ]


def _why_invalid(raw: str) -> str:
    """A rejected number, with what a spreadsheet did to it when that is why."""
    kept = rounded_digits(raw)
    if kept is None:
        return raw
    return (
        f"{raw} (a spreadsheet rounded it to {kept} digits; format the column as text"
        " in the source and export again)"
    )


def _is_footer(cells: list[str]) -> bool:
    """Salesforce report footers are one-cell records after the data."""
    first = cells[0].strip().lower()
    return first.startswith(_SALESFORCE_FOOTER) and not any(c.strip() for c in cells[1:])


def _row_region(values: dict[str, str], main_region: str, report: ImportReport) -> str:
    """The row's Country cell, else its US state or Canadian province, else the main region.

    A state the main region also has ("WA" in an Australian file) is the main region's.
    """
    country = values.get("country", "")
    if country:
        region = region_for_country(country)
        if region:
            return region
        report.unread_countries[country] += 1
        return main_region
    state = values.get("state", "")
    if state:
        found = state_code(state)
        if found and not in_region(state, main_region):
            return found[0]
    return main_region


PhoneFound = tuple[Phone, str, tuple[str, ...]]  # phone, region, zones


def _row_phones(
    cells: list[str], cmap: ColumnMap, region: str, normalizer: PhoneNormalizer
) -> tuple[list[PhoneFound], list[str], str]:
    """Valid numbers in call order, invalid raw texts, and any non-number text seen."""
    found: list[tuple[int, int, PhoneFound]] = []
    invalid: list[str] = []
    junk = ""
    seen: set[tuple[str, str]] = set()
    shared_ext = ""
    for i in cmap.scalars.get("extension", ()):
        if cells[i].strip():
            shared_ext = cells[i].strip()
            break
    for order, column in enumerate(cmap.phones):
        cell = cells[column.index]
        if not cell or cell.isspace():
            continue
        kind = column.kind
        if column.type_index is not None and cells[column.type_index].strip():
            kind = phone_kind(cells[column.type_index])
        for raw in split_numbers(cell):
            parsed = normalizer.parse(raw, region)
            if parsed is None:
                if digit_count(raw) < 3:
                    junk = junk or raw.strip()
                else:
                    invalid.append(raw.strip())
                continue
            extension = parsed.extension or (shared_ext if order == 0 else "")
            key = (parsed.e164, extension)
            if key in seen:
                continue
            seen.add(key)
            phone = Phone(parsed.e164, extension, _LABELS[kind], raw.strip())
            found.append((_RANKS[kind], order, (phone, parsed.region, parsed.timezones)))
    found.sort(key=lambda item: (item[0], item[1]))
    return [item[2] for item in found], invalid, junk


def _make_lead(
    row: int,
    values: dict[str, str],
    cells: list[str],
    cmap: ColumnMap,
    phones: list[PhoneFound],
    invalid: list[str],
    region: str,
) -> LeadRecord:
    best, number_region, zones = phones[0]
    given, last = values.get("first_name", ""), values.get("last_name", "")
    first = first_name_of(given) if given else ""
    name = values.get("name", "")
    if not name:
        name = " ".join(p for p in (given, values.get("middle_name", ""), last) if p)
    elif not first and not last:
        first, last = split_name(name)
    country = values.get("country", "")
    named = region_for_country(country) if country else None
    if named and len(zones) > 1:
        zones = zones_in_country(best.e164, zones, named)  # a Canadian lead's 1-800 number
    state = values.get("state", "")
    found_state = state_code(state) if state else None
    extra: dict[str, str] = {}
    header = cmap.header
    for i in cmap.unconsumed:
        if cells[i].strip():
            extra[header[i]] = cells[i]
    for i in range(len(header), len(cells)):
        if cells[i].strip():
            extra[f"column {i + 1}"] = cells[i]
    for fieldname, idx in cmap.fallbacks:
        # A fallback column (say "Home City") that this row did not use is kept too.
        used = values.get(fieldname, "")
        for i in idx:
            if cells[i].strip() and cells[i].strip() != used:
                extra[header[i]] = cells[i]
    if invalid:
        extra["unusable phones"] = "; ".join(invalid)
    return LeadRecord(
        source_row=row,
        phone=best,
        name=name,
        first_name=first,
        last_name=last,
        company=values.get("company", ""),
        title=values.get("title", ""),
        email=values.get("email", ""),
        city=values.get("city", ""),
        state=found_state[1] if found_state else state,
        country=(named or country) if country else number_region,
        region=number_region,
        timezones=zones,
        notes=values.get("notes", ""),
        alt_phones=[p for p, _, _ in phones[1:]],
        extra=extra,
    )
