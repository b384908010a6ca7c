"""Reading a CSV export whatever its encoding, delimiter, preamble or footer."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dialsmile.errors import BadInput

MAX_FILE_BYTES = 2_000_000_000
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
# A character UTF-8 leaves behind when read as Windows-1252 or Latin-1 ("Ã¼" for "ü").
MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a"
    "\u20ac\u2122]"
)
_TABLE = "a CSV file or a workbook dialsmile reads (.xlsx, .xlsm, .xls, .ods)"
ENCODING_NAMES = {
    "utf-8-sig": "UTF-8 with BOM",
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
    "utf-8+cp1252": "UTF-8 and Windows-1252 lines",
    "utf-8+latin-1": "UTF-8 and Latin-1 lines",
}


@dataclass
class Table:
    """A decoded CSV file: its header and an iterator over its records."""

    path: Path
    encoding: str
    delimiter: str
    header: list[str]
    header_record: int  # 0-based index of the header among all records
    records: Iterator[list[str]]
    progress: Callable[[], float]  # share of the file read so far, 0..1
    garbled: bool = False  # some text looks like UTF-8 read as Windows-1252 ("JÃ¼rgen")

    @property
    def description(self) -> str:
        return (
            f"{ENCODING_NAMES.get(self.encoding, self.encoding)}, {DELIMITER_NAMES[self.delimiter]}"
        )


def read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise BadInput(f"No such file: {path}.")
    if path.is_dir():
        raise BadInput(f"{path} is a directory; give a CSV file.")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise BadInput(f"{path} is {size:,} bytes; split it into files under 2 GB.")
        return path.read_bytes()
    except OSError as exc:
        raise BadInput(f"Cannot read {path}: {exc.strerror}.") from None


def decode(data: bytes, path: Path, what: str = _TABLE) -> tuple[str, str]:
    """(text, encoding): BOMs first, then UTF-8 line by line, Windows-1252 where it fails.

    Two exports pasted together (one UTF-8, one from Excel in Windows-1252) are
    common: each line is read in the encoding it was written in. A binary file is
    refused as not ``what`` the command reads.
    """
    if not data.strip():
        raise BadInput(f"{path} is empty.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", path), "utf-16"
    bom = data.startswith(codecs.BOM_UTF8)
    if not bom and _looks_binary(data):
        raise BadInput(f"{path} is not {what}.")
    try:
        return data.decode("utf-8-sig" if bom else "utf-8"), "utf-8-sig" if bom else "utf-8"
    except UnicodeDecodeError:
        pass
    lines: list[str | bytes] = []
    for line in data.splitlines(keepends=True):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(line)
    others = [line for line in lines if isinstance(line, bytes)]
    legacy = "cp1252" if all(_fits(line, "cp1252") for line in others) else "latin-1"
    utf8_seen = any(isinstance(line, str) and not line.isascii() for line in lines)
    text = "".join(line.decode(legacy) if isinstance(line, bytes) else line for line in lines)
    return text, f"utf-8+{legacy}" if utf8_seen else legacy


def _fits(line: bytes, encoding: str) -> bool:
    try:
        line.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _strict(data: bytes, encoding: str, path: Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise BadInput(f"{path} says it is {encoding} but is not valid {encoding}.") from None


def _looks_binary(data: bytes) -> bool:
    head = data[:65536]
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"\x1f\x8b")):
        return True
    if b"\x00" in head:
        return True
    # ESC (27) starts the colour codes some exports carry; it does not make a file binary.
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13, 27))
    return controls > len(head) // 20


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines most consistently (quotes respected)."""
    sample_lines = _first_lines(text, 20)
    best, best_score = ",", -1.0
    for delim in DELIMITERS:
        counts = [_count_outside_quotes(line, delim) for line in sample_lines]
        counts = [c for c in counts if c]
        if not counts:
            continue
        # Prefer delimiters that split many lines the same way.
        most = max(set(counts), key=counts.count)
        score = counts.count(most) * 10 + most
        if score > best_score:
            best, best_score = delim, score
    return best


def _first_lines(text: str, n: int) -> list[str]:
    lines: list[str] = []
    start = 0
    while len(lines) < n and start < len(text):
        end = text.find("\n", start, start + 1_000_000)
        if end == -1:
            lines.append(text[start : start + 1_000_000])
            break
        lines.append(text[start:end])
        start = end + 1
    return [line for line in lines if line.strip()]


def _count_outside_quotes(line: str, delim: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delim and not quoted:
            count += 1
    return count


def open_table(
    path: Path,
    header_score: Callable[[list[str]], int],
    *,
    max_cell: int,
) -> Table:
    """Decode ``path``, find its delimiter and its header row.

    ``header_score`` rates a candidate row as a header (how many cells look like
    known column names); the best of the first ten non-blank records wins, which
    skips title rows and preambles such as LinkedIn's "Notes:" block.
    """
    text, encoding = decode(read_bytes(path), path)
    text = text.lstrip("\ufeff")
    first_line_end = text.find("\n")
    first_line = text[: first_line_end if first_line_end != -1 else len(text)].strip()
    delimiter: str | None = None
    if first_line.lower().startswith("sep=") and len(first_line) in (5, 6):
        sep = first_line[4:5] or ","
        delimiter = "\t" if sep == "\\" else sep
        text = text[first_line_end + 1 :] if first_line_end != -1 else ""
    delimiter = delimiter or sniff_delimiter(text)
    stream = io.StringIO(text, newline="")
    total = max(len(text), 1)
    records = _records(stream, delimiter, max_cell, path)
    header_index, header, rest = find_header(records, header_score, f"{path} has no header row.")
    return Table(
        path,
        encoding,
        delimiter,
        header,
        header_index,
        rest,
        lambda: stream.tell() / total,
        garbled=MOJIBAKE.search(text) is not None,
    )


def find_header(
    records: Iterator[list[str]], header_score: Callable[[list[str]], int], missing: str
) -> tuple[int, list[str], Iterator[list[str]]]:
    """(index, header, the records after it): the best-scoring of the first ten
    non-blank records, else the first of them; ``missing`` is the error when
    there is none."""
    head: list[list[str]] = []
    for record in records:
        head.append(record)
        if sum(1 for r in head if any(c.strip() for c in r)) >= 10:
            break
    candidates = [(i, r) for i, r in enumerate(head) if any(c.strip() for c in r)]
    if not candidates:
        raise BadInput(missing)
    header_index, header = max(candidates, key=lambda item: (header_score(item[1]), -item[0]))
    if header_score(header) == 0:
        header_index, header = candidates[0]
    header = [h.strip().strip("\ufeff").strip() for h in header]

    def rest() -> Iterator[list[str]]:
        yield from head[header_index + 1 :]
        yield from records

    return header_index, header, rest()


def repair_mojibake(cell: str) -> str:
    """ "JÃ¼rgen" -> "Jürgen", "Ã…sa" -> "Åsa"; any other text comes back unchanged.

    Only cells holding a character UTF-8 leaves behind when read as Windows-1252
    are looked at. ftfy's ``fix_encoding`` undoes the misreading where its result
    is more plausible text; where ftfy keeps a cell that is, as a whole, UTF-8
    bytes shown as Windows-1252 ("Ã…sa", which ftfy finds plausible), those
    bytes are read back as UTF-8. Real text almost never survives that round trip.
    """
    if not MOJIBAKE.search(cell):
        return cell
    import ftfy

    fixed: str = ftfy.fix_encoding(cell)
    if fixed != cell:
        return fixed
    for legacy in ("cp1252", "latin-1"):
        try:
            return cell.encode(legacy).decode("utf-8")
        except UnicodeError:
            continue
    return cell


def _records(stream: io.StringIO, delimiter: str, max_cell: int, path: Path) -> Iterator[list[str]]:
    csv.field_size_limit(max(max_cell * 4, 131072))
    reader = csv.reader(stream, delimiter=delimiter)
    try:
        for record in reader:
            for cell in record:
                if len(cell) > max_cell:
                    raise BadInput(
                        f"Line {reader.line_num} of {path} has a cell of {len(cell):,} characters "
                        f"(the limit is {max_cell:,}); shorten it or raise --max-cell."
                    )
            yield record
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise BadInput(
                f"{path} has a cell longer than {max_cell:,} characters near line "
                f"{reader.line_num}; shorten it or raise --max-cell."
            ) from None
        raise BadInput(
            f"{path} is not readable as CSV near line {reader.line_num}: {exc}."
        ) from None
