"""Rules with a clean statement, checked on generated input (hypothesis) against a
model written from the rule as the README states it."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from dialsmile.core.names import split_name
from dialsmile.core.practice import standing
from dialsmile.core.script_lint import lint_text
from dialsmile.core.scripts import Objection
from dialsmile.io.sniff import sniff_delimiter

# -- names ---------------------------------------------------------------------------
# Words that can be no honorific, suffix or particle: no d, l, m, n, r, s or t, 4+ letters.
name_word = st.from_regex(r"[BCFGHJKPQVWXZ][aeiouybcfghjkpqvwxz]{3,9}", fullmatch=True)
HONORIFICS = ["Dr.", "Dr", "Mr", "Mrs.", "Ms", "Prof.", "Herr", "Frau", "Mme", "Sra.", "Sir"]
SUFFIXES = ["Jr.", "Jr", "Sr.", "III", "PhD", "MD", "Esq."]
PARTICLES = ["van", "von", "de", "de la", "del", "di", "da", "du", "ter", "al"]


@given(first=name_word, last=name_word)
def test_a_full_name_splits_into_first_and_last(first: str, last: str) -> None:
    assert split_name(f"{first} {last}") == (first, last)
    assert split_name(f"  {first}   {last} ") == (first, last)
    assert split_name(f"{last}, {first}") == (first, last)


@given(
    first=name_word,
    middle=name_word,
    last=name_word,
    honorific=st.sampled_from(HONORIFICS),
    suffix=st.sampled_from(SUFFIXES),
)
def test_honorifics_suffixes_and_middle_names_are_never_the_first_name(
    first: str, middle: str, last: str, honorific: str, suffix: str
) -> None:
    assert split_name(f"{honorific} {first} {last}") == (first, last)
    assert split_name(f"{first} {last} {suffix}") == (first, last)
    assert split_name(f"{first} {last}, {suffix}") == (first, last)
    assert split_name(f"{honorific} {first} {last} {suffix}") == (first, last)
    assert split_name(f"{first} {middle} {last}") == (first, last)
    # No first name at all: never the last name in its place.
    assert split_name(f"{honorific} {last}") == ("", last)


@given(first=name_word, last=name_word, particle=st.sampled_from(PARTICLES))
def test_a_particle_starts_the_last_name(first: str, last: str, particle: str) -> None:
    assert split_name(f"{first} {particle} {last}") == (first, f"{particle} {last}")


# -- practice scheduling --------------------------------------------------------------
# README: a nailed objection waits 1 day; nailed 2, 3, then 4 or more times in a row it
# waits 3, 7, then 21 days. A miss makes it due at once; a skip changes nothing.
WAIT_DAYS = {1: 1, 2: 3, 3: 7}
OBJECTION = Objection('"Send me an email"', "Happy to.", 1)
START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


@given(
    st.lists(
        st.tuples(st.sampled_from(["nailed", "missed", "skipped"]), st.integers(1, 60 * 24 * 5)),
        max_size=12,
    )
)
def test_practice_due_dates_follow_1_3_7_21_days(steps: list[tuple[str, int]]) -> None:
    results: list[tuple[str, datetime]] = []
    at = START
    for result, minutes in steps:
        at += timedelta(minutes=minutes)
        results.append((result, at))
    newest_first = list(reversed(results))
    # The model: walk the graded results oldest first.
    due: datetime | None = None
    streak = 0
    for result, when in results:
        if result == "skipped":
            continue
        if result == "missed":
            streak, due = 0, when
        else:
            streak += 1
            due = when + timedelta(days=WAIT_DAYS.get(streak, 21))
    found = standing(OBJECTION, newest_first)
    assert (found.due_at, found.streak) == (due, streak)
    if due is not None:
        assert found.is_due(due) and not found.is_due(due - timedelta(seconds=1))


# -- the script linter ------------------------------------------------------------------
FRAGMENTS = [
    "+++", "name = \"x\"", "version = 1.1", "version = \"2\"", "language = \"nb\"", "[fields]",
    "industry = \"your industry\"", "# Opening", "# Pitch", "# Objections", "# Close",
    "# Voicemail", "# Intro email", "# Discovery questions", "## \"Too expensive\"",
    "## \"\"", "##", "#", "Subject:", "Hi {first_name}, this is {rep_name} from {rep_company}.",
    "{", "}", "{companny}", "{{first_name}}", "This is a sales call.", "guaranteed returns",
    "risk-free", "- a question?", "\t", "\r", "\x00", "\ufeff", "```", "[bold]", "\u202e",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=30)), max_size=25),
    st.sampled_from(["\n", "\r\n", "\r", " "]),
)
def test_the_script_linter_never_crashes_and_names_lines_that_exist(
    pieces: list[str], newline: str
) -> None:
    text = newline.join(pieces)
    report = lint_text(text, "pack.md")
    lines = report.lines()
    assert all(line.startswith("pack.md:") for line in lines)
    count = max(1, len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")))
    for problem in report.problems:
        assert 0 <= problem.line <= count, (problem, count)
        assert problem.severity in ("error", "warning")


# -- delimiter detection -------------------------------------------------------------
DELIMITERS = [",", ";", "\t", "|"]


@st.composite
def written_tables(draw: st.DrawFn) -> tuple[str, str]:
    """A table of cells holding quotes, line breaks and delimiters, as csv.writer writes it.

    A cell holding another delimiter is quoted (it also holds a quote, a line break
    or the file's own delimiter, or every cell is quoted): unquoted, it would be
    a column of its own to any reader.
    """
    delimiter = draw(st.sampled_from(DELIMITERS))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    others = [d for d in DELIMITERS if d != delimiter]

    def quoted(cell: str) -> bool:
        return quoting == csv.QUOTE_ALL or any(c in cell for c in ('"', "\n", delimiter))

    cell = st.text(alphabet=["a", "Z", "7", " ", '"', "\n", *DELIMITERS], max_size=12).filter(
        lambda c: quoted(c) or not any(d in c for d in others)
    )
    width = draw(st.integers(2, 6))
    rows = draw(st.lists(st.lists(cell, min_size=width, max_size=width), min_size=1, max_size=8))
    out = io.StringIO()
    terminator = draw(st.sampled_from(["\r\n", "\n"]))
    csv.writer(out, delimiter=delimiter, lineterminator=terminator, quoting=quoting).writerows(rows)
    return delimiter, out.getvalue()


@settings(max_examples=300)
@given(written_tables())
def test_any_table_written_with_a_delimiter_is_read_with_it(case: tuple[str, str]) -> None:
    delimiter, text = case
    assert sniff_delimiter(text) == delimiter
