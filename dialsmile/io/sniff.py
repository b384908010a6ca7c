"""Reading a CSV export whatever its encoding, delimiter, preamble or footer."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import BinaryIO

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


def _checked_size(path: Path) -> int:
    """The file's size, after refusing what is not a readable file under the limit."""
    if not path.exists():
        raise BadInput(f"No such file: {path}.")
    if path.is_dir():
        raise BadInput(f"{path} is a directory; give a CSV file.")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise BadInput(f"Cannot read {path}: {exc.strerror}.") from None
    if size > MAX_FILE_BYTES:
        raise BadInput(f"{path} is {size:,} bytes; split it into files under 2 GB.")
    return size


def read_bytes(path: Path) -> bytes:
    _checked_size(path)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise BadInput(f"Cannot read {path}: {exc.strerror}.") from None


def decode(data: bytes, path: Path, what: str = _TABLE) -> tuple[str, str]:
    """(text, encoding) of a file read whole, found as ``_encoding_of`` finds it."""
    if not data.strip():
        raise BadInput(f"{path} is empty.")
    lines = data.splitlines(keepends=True)
    encoding, _ = _encoding_of(data[:HEAD_BYTES], [data], lambda: lines, path, what)
    if encoding in ("utf-16", "utf-8-sig", "utf-8"):
        return data.decode(encoding), encoding
    return "".join(_decoded_lines(lines, encoding.rpartition("+")[2])), encoding


HEAD_BYTES = 65536
CHUNK_BYTES = 1 << 20


def _encoding_of(
    head: bytes,
    chunks: Iterable[bytes],
    lines: Callable[[], Iterable[bytes]],
    path: Path,
    what: str = _TABLE,
) -> tuple[str, bool]:
    """The file's encoding name (see ENCODING_NAMES) and whether some of its text looks
    garbled ("JÃ¼rgen"), from its ``head``, its ``chunks`` and, when it is not all
    UTF-8, its ``lines`` (each an iterable read once: nothing is kept).

    Two exports pasted together (one UTF-8, one from Excel in Windows-1252) are
    common: each line is read in the encoding it was written in. A binary file is
    refused as not ``what`` the command reads.
    """
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        garbled = _garbled_if_valid(chunks, "utf-16")
        if garbled is None:
            raise BadInput(f"{path} says it is utf-16 but is not valid utf-16.")
        return "utf-16", garbled
    bom = head.startswith(codecs.BOM_UTF8)
    if not bom and _looks_binary(head):
        raise BadInput(f"{path} is not {what}.")
    garbled = _garbled_if_valid(chunks, "utf-8")
    if garbled is not None:
        return "utf-8-sig" if bom else "utf-8", garbled
    fits_cp1252, utf8_seen = True, False
    for line in lines():
        try:
            utf8_seen = utf8_seen or not line.decode("utf-8").isascii()
        except UnicodeDecodeError:
            fits_cp1252 = fits_cp1252 and _fits(line, "cp1252")
    legacy = "cp1252" if fits_cp1252 else "latin-1"
    garbled = any(MOJIBAKE.search(line) for line in _decoded_lines(lines(), legacy))
    return f"utf-8+{legacy}" if utf8_seen else legacy, garbled


def _garbled_if_valid(chunks: Iterable[bytes], encoding: str) -> bool | None:
    """None when ``chunks`` are not valid ``encoding``, else whether their text looks garbled."""
    decoder = codecs.getincrementaldecoder(encoding)()
    garbled, tail = False, ""
    try:
        for chunk in chunks:
            text = decoder.decode(chunk)
            garbled = garbled or MOJIBAKE.search(tail + text) is not None
            tail = text[-1:]
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    return garbled


def _decoded_lines(lines: Iterable[bytes], legacy: str) -> Iterator[str]:
    """Each line in UTF-8 where it is valid UTF-8, else in ``legacy``."""
    for line in lines:
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError:
            yield line.decode(legacy)


def _fits(line: bytes, encoding: str) -> bool:
    try:
        line.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


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
    """The delimiter that splits the first records most consistently.

    Records, not lines: a quoted cell may hold line breaks and delimiters of
    its own, and its lines must not outvote the header.
    """
    counts_by_record = _record_counts(text, 20)
    best, best_score = ",", -1.0
    for delim in DELIMITERS:
        counts = [c[delim] for c in counts_by_record if c[delim]]
        if not counts:
            continue
        # Prefer delimiters that split many records the same way.
        most = max(set(counts), key=counts.count)
        score = counts.count(most) * 10 + most
        if score > best_score:
            best, best_score = delim, score
    return best


# A quoted stretch (a doubled quote inside is two stretches), a delimiter, or a line end.
_TOKENS = re.compile(r'"[^"]*(?:"|\Z)|[,;\t|]|\r\n?|\n')


def _record_counts(text: str, n: int) -> list[Counter[str]]:
    """How many of each delimiter the first ``n`` records of ``text`` hold outside quotes."""
    records: list[Counter[str]] = []
    current: Counter[str] = Counter()
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token[0] == '"':
            continue
        if token in DELIMITER_NAMES:
            current[token] += 1
            continue
        records.append(current)
        if len(records) == n:
            return records
        current = Counter()
    return [*records, current]


def open_table(
    path: Path,
    header_score: Callable[[list[str]], int],
    *,
    max_cell: int,
) -> Table:
    """Find ``path``'s encoding, delimiter and header row; its records are read as they are used.

    The file is read twice and never held: once for its encoding (and garbled
    accents), then record by record. ``header_score`` rates a candidate row as a
    header (how many cells look like known column names); the best of the
    first ten non-blank records wins, which skips title rows and preambles such
    as LinkedIn's "Notes:" block.
    """
    size = _checked_size(path)
    try:
        with path.open("rb") as f:
            head = f.read(HEAD_BYTES)
            if not head.strip() and size <= len(head):
                raise BadInput(f"{path} is empty.")
            encoding, garbled = _encoding_of(head, _chunks(f, head), lambda: _byte_lines(f), path)
    except OSError as exc:
        raise BadInput(f"Cannot read {path}: {exc.strerror}.") from None
    raw = path.open("rb")
    lines = _text_lines(raw, encoding)
    sample: list[str] = []
    size = 0
    for line in lines:
        sample.append(line)
        size += len(line)
        if size > SNIFF_CHARS:
            break
    if sample:
        sample[0] = sample[0].lstrip("\ufeff")
    first_line = sample[0].strip() if sample else ""
    delimiter: str | None = None
    if first_line.lower().startswith("sep=") and len(first_line) in (5, 6):
        sep = first_line[4:5] or ","
        delimiter = "\t" if sep == "\\" else sep
        sample = sample[1:]
    delimiter = delimiter or sniff_delimiter("".join(sample))
    records = _records(chain(sample, lines), delimiter, max_cell, path, raw)
    header_index, header, rest = find_header(records, header_score, f"{path} has no header row.")
    return Table(
        path,
        encoding,
        delimiter,
        header,
        header_index,
        rest,
        lambda: raw.tell() / max(size, 1) if not raw.closed else 1.0,
        garbled=garbled,
    )


SNIFF_CHARS = 1 << 18  # text read ahead to find the delimiter


def _chunks(f: BinaryIO, head: bytes) -> Iterator[bytes]:
    """``head`` and the rest of ``f`` in chunks; ``f`` is left at the start."""
    yield head
    while chunk := f.read(CHUNK_BYTES):
        yield chunk
    f.seek(0)


def _byte_lines(f: BinaryIO) -> Iterator[bytes]:
    """The lines of ``f`` from its start, split where ``bytes.splitlines`` splits them."""
    f.seek(0)
    carry = b""
    while chunk := f.read(CHUNK_BYTES):
        lines = (carry + chunk).splitlines(keepends=True)
        # The last line may go on in the next chunk (and a CR may be half of a CRLF).
        carry = lines.pop() if lines else b""
        yield from lines
    if carry:
        yield carry
    f.seek(0)


def _text_lines(raw: BinaryIO, encoding: str) -> Iterator[str]:
    """The file's text, line by line (line ends kept), decoded as ``_encoding_of`` found."""
    if "+" in encoding or encoding in ("cp1252", "latin-1"):
        return _decoded_lines(_byte_lines(raw), encoding.rpartition("+")[2])
    return iter(io.TextIOWrapper(raw, encoding=encoding, newline=""))


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


def _records(
    lines: Iterable[str], delimiter: str, max_cell: int, path: Path, raw: BinaryIO
) -> Iterator[list[str]]:
    """The records of ``lines``; ``raw``, the file they are read from, is closed at the end."""
    csv.field_size_limit(max(max_cell * 4, 131072))
    reader = csv.reader(lines, delimiter=delimiter)
    with raw:
        try:
            for record in reader:
                longest = max(map(len, record), default=0)
                if longest > max_cell:
                    raise BadInput(
                        f"Line {reader.line_num} of {path} has a cell of {longest:,} "
                        f"characters (the limit is {max_cell:,}); shorten it or raise --max-cell."
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
