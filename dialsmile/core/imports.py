"""The import's rules: what it counts, and which rows are duplicates.

A row is a duplicate when the number it would be called on is a number of an
earlier row of the file (its main number or an alternate) or a number a lead
of the list has or had. The earlier rows are those that were not duplicates
of the file themselves. Rows come in batches, so a file of any length is
checked against an index (``NumberIndex``), never held in memory.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from dialsmile.core.models import LeadRecord

NumberKey = tuple[str, str]  # E.164, extension


@dataclass(kw_only=True)
class ImportCounts:
    """What became of the file's rows (the rows of an import batch)."""

    rows: int = 0
    imported: int = 0
    duplicates: int = 0
    rejected: int = 0
    skipped_blank: int = 0
    on_dnc: int = 0  # of the imported: kept, marked do-not-call, never offered


class NumberIndex(Protocol):
    """The numbers an import has met so far, kept where memory does not grow with the file."""

    def met(self, keys: Collection[NumberKey]) -> set[NumberKey]:
        """Which of ``keys`` earlier batches' rows had; all of ``keys`` are remembered now."""
        ...

    def remember(self, keys: Iterable[NumberKey]) -> None:
        """Add the numbers of a batch's rows."""
        ...

    def known(self, keys: Collection[NumberKey]) -> set[NumberKey]:
        """Which of ``keys`` a lead of the list had before this import."""
        ...


def new_leads(rows: Sequence[LeadRecord], index: NumberIndex) -> list[LeadRecord]:
    """The rows of one batch, in order, that are no duplicates; ``index`` learns their numbers.

    Every row's main number is a number of the file from here on (a duplicate's
    is one already), so the index checks and learns them in one step; of the
    alternates, only those of rows that are no duplicates are learned.
    """
    keys = [(row.phone.e164, row.phone.extension) for row in rows]
    main = set(keys)
    earlier = index.met(main)
    seen: set[NumberKey] = set()  # numbers of this batch's rows
    fresh: list[tuple[LeadRecord, NumberKey]] = []
    for row, key in zip(rows, keys, strict=True):
        if key in earlier or key in seen:
            continue
        seen.add(key)
        for phone in row.alt_phones:
            seen.add((phone.e164, phone.extension))
        fresh.append((row, key))
    if alternates := seen - main:
        index.remember(alternates)
    known = index.known({key for _, key in fresh})
    return [row for row, key in fresh if key not in known]
