"""Reading do-not-call files: one number a line, a CSV column, or the registry's area-code form.

The file is decoded, and its delimiter found, as an import reads a CSV file
(``dialsmile.io.sniff``). It can hold a million numbers, so lines are read as
plain text and only files with a delimiter go through the csv module. Numbers are normalized to
E.164 with :class:`~dialsmile.core.phone.PhoneNormalizer` (which caches per
area code and exchange).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import phonenumbers

from dialsmile.core.phone import PhoneNormalizer
from dialsmile.errors import BadInput
from dialsmile.io.sniff import DELIMITERS, decode, sniff_delimiter

PHONE_HEADERS = re.compile(
    r"^(phone|phone ?number|number|telephone|tel|mobile|e164|msisdn|nummer|telefon"
    r"|telefonnummer|phone_number|phonenumber|dnc|do not call)$",
    re.IGNORECASE,
)
_AREA = re.compile(r"^\d{3}$")
_LOCAL = re.compile(r"^\d{7}$")
EXAMPLES = 5
NANP_REGIONS = frozenset(phonenumbers.COUNTRY_CODE_TO_REGION_CODE[1])


@dataclass
class DncRead:
    """The numbers of a do-not-call file and what could not be read."""

    numbers: list[str] = field(default_factory=list)
    lines: int = 0
    invalid: int = 0
    examples: list[tuple[int, str]] = field(default_factory=list)
    """(line number, text) of the first lines that held no valid number."""


def read_dnc_file(path: Path, region: str, column: str | None = None) -> DncRead:
    """Every number in ``path``, normalized to E.164 (``region`` for national formats).

    Accepted: one number a line (with or without a header line); a CSV whose
    phone column is named like ``phone`` or ``number`` (or given as
    ``column``); two columns of area code and 7-digit number (the US
    registry's download form, ``201,2000000``).
    """
    if not path.exists():
        raise BadInput(f"Cannot read {path}: there is no such file.")
    if path.is_dir():
        raise BadInput(f"Cannot read {path}: it is a folder, not a file.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"Cannot read {path}: {exc.strerror}.") from None
    # Decoded, and split, as an import reads a CSV file (io.sniff).
    text = decode(data, path, "a list of phone numbers")[0] if data.strip() else ""
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise BadInput(f"{path} is empty: it holds no phone numbers.")
    delimiter = sniff_delimiter(text) if any(d in lines[0] for d in DELIMITERS) else None
    if column is not None and delimiter is None:
        delimiter = ","
    normalizer = PhoneNormalizer()
    result = DncRead()
    if delimiter is None:
        _read_lines(lines, region, normalizer, result)
    else:
        _read_table(lines, delimiter, region, column, normalizer, result, path)
    return result


class _Fast:
    """Bare 10-digit North American numbers, checked once per area code and exchange."""

    def __init__(self, normalizer: PhoneNormalizer, region: str) -> None:
        self.normalizer = normalizer
        self.region = region
        self.nanp = region in NANP_REGIONS
        self.prefixes: dict[str, bool] = {}

    def e164(self, raw: str) -> str | None:
        if self.nanp and len(raw) == 10 and raw.isdigit():
            prefix = raw[:6]
            valid = self.prefixes.get(prefix)
            if valid is None:
                valid = self.normalizer.parse(raw, self.region) is not None
                self.prefixes[prefix] = valid
            return "+1" + raw if valid else None
        found = self.normalizer.parse(raw, self.region)
        return found.e164 if found is not None else None


def _read_lines(lines: list[str], region: str, normalizer: PhoneNormalizer, out: DncRead) -> None:
    parse = _Fast(normalizer, region).e164
    numbers = out.numbers
    for n, line in enumerate(lines, start=1):
        raw = line.strip()
        if not raw or raw.startswith("#"):
            continue
        out.lines += 1
        found = parse(raw)
        if found is None:
            if n == 1 and PHONE_HEADERS.match(raw.strip('"')):
                out.lines -= 1
                continue
            out.invalid += 1
            if len(out.examples) < EXAMPLES:
                out.examples.append((n, raw[:60]))
            continue
        numbers.append(found)


def _read_table(
    lines: list[str],
    delimiter: str,
    region: str,
    column: str | None,
    normalizer: PhoneNormalizer,
    out: DncRead,
    path: Path,
) -> None:
    rows = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    header = next(rows)
    names = [h.strip().strip("\ufeff") for h in header]
    start = 2
    index: int | None = None
    area_form = False
    if column is not None:
        wanted = column.strip().lower()
        matches = [i for i, h in enumerate(names) if h.lower() == wanted]
        if not matches:
            raise BadInput(f"{path} has no column {column!r}; its columns are: {', '.join(names)}.")
        index = matches[0]
    else:
        index = next((i for i, h in enumerate(names) if PHONE_HEADERS.match(h)), None)
        if index is None:
            # No header line: the first row is data.
            start = 1
            if len(names) >= 2 and _AREA.match(names[0]) and _LOCAL.match(names[1]):
                area_form = True
            else:
                index = next(
                    (i for i, h in enumerate(names) if normalizer.parse(h, region) is not None),
                    None,
                )
                if index is None:
                    raise BadInput(
                        f"{path} has no phone column: name it 'phone' or choose one with --column."
                    )
            rows = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    parse = _Fast(normalizer, region).e164
    numbers = out.numbers
    for n, row in enumerate(rows, start=start):
        if not row or not any(cell.strip() for cell in row):
            continue
        out.lines += 1
        if area_form:
            raw = row[0].strip() + row[1].strip() if len(row) >= 2 else row[0]
        else:
            assert index is not None
            raw = row[index].strip() if index < len(row) else ""
        found = parse(raw) if raw else None
        if found is None:
            out.invalid += 1
            if len(out.examples) < EXAMPLES:
                out.examples.append((n, delimiter.join(row)[:60]))
            continue
        numbers.append(found)
