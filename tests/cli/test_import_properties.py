"""Properties of what the CLI stores: any text written with any supported encoding and
delimiter reads back as written; do-not-call membership follows adds and removes; the
stats add up. Each is checked against a model written from the README's rules."""

from __future__ import annotations

import csv
import io
import itertools
import json
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dialsmile.cli import cli
from dialsmile.config import Clock, Settings, parse_instant
from dialsmile.core.models import Outcome
from dialsmile.core.session import CallSession
from dialsmile.storage.db import open_db
from dialsmile.storage.leads import LeadStore
from dialsmile.storage.stores import open_stores
from tests.conftest import NOW

pytestmark = pytest.mark.sqlite_only("generated files, each example on a SQLite file of its own")

SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text each encoding can hold. Windows-1252 files get lower-case accented letters, which
# never form valid UTF-8, so a file holding one cannot be mistaken for UTF-8.
WIDE = st.characters(
    blacklist_categories=("Cs", "Cc", "Zl", "Zp", "Co", "Cn"), blacklist_characters="\ufeff"
)
CP1252 = st.sampled_from([chr(c) for c in range(0x20, 0x7F)] + [chr(c) for c in range(0xE0, 0x100)])
ENCODINGS = {
    "utf-8": (WIDE, "utf-8", b""),
    "utf-8-sig": (WIDE, "utf-8", b"\xef\xbb\xbf"),
    "utf-16": (WIDE, "utf-16-le", b"\xff\xfe"),
    "cp1252": (CP1252, "cp1252", b""),
}


def garbled(text: str) -> bool:
    """Text that may be UTF-8 read as Windows-1252 ("JÃ¼rgen"): the import repairs it, by design.

    UTF-8 leaves a lead byte (Â..ô) followed by a continuation byte (0x80..0xBF in
    Windows-1252) behind; the import looks only at cells holding such a pair.
    """
    for first, second in itertools.pairwise(text):
        try:
            byte = second.encode("cp1252")
        except UnicodeError:
            continue
        if "\u00c2" <= first <= "\u00f4" and len(byte) == 1 and 0x80 <= byte[0] <= 0xBF:
            return True
    return False


@st.composite
def lead_files(draw: st.DrawFn) -> tuple[str, str, bytes, list[tuple[str, str, str]]]:
    encoding = draw(st.sampled_from(sorted(ENCODINGS)))
    alphabet, codec, bom = ENCODINGS[encoding]
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))

    def cell(min_size: int) -> st.SearchStrategy[str]:
        text = st.text(alphabet=alphabet, min_size=min_size, max_size=12)
        return (
            text.map(lambda s: " ".join(s.split()))
            .filter(lambda s: len(s) >= min_size)
            .filter(lambda s: not garbled(s))
        )

    count = draw(st.integers(1, 4))
    leads = [(draw(cell(1)), draw(cell(0)), f"+1512555{100 + n:04d}") for n in range(count)]
    out = io.StringIO()
    writer = csv.writer(
        out, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))
    )
    writer.writerow(["Name", "Company", "Phone"])
    for name, company, phone in leads:
        writer.writerow([name, company, f"(512) 555-{phone[-4:]}"])
    return encoding, delimiter, bom + out.getvalue().encode(codec), leads


@SLOW
@given(lead_files())
def test_any_text_in_any_supported_encoding_and_delimiter_is_stored_as_written(
    case: tuple[str, str, bytes, list[tuple[str, str, str]]],
) -> None:
    encoding, delimiter, data, leads = case
    with tempfile.TemporaryDirectory() as tmp:
        source, db = Path(tmp) / "leads.csv", str(Path(tmp) / "p.db")
        source.write_bytes(data)
        runner = CliRunner()
        result = runner.invoke(cli, ["--db", db, "import", str(source), "--list", "L", "--json"])
        assert result.exit_code == 0, result.stderr
        report = json.loads(result.stdout)
        listed = json.loads(runner.invoke(cli, ["--db", db, "leads", "--json"]).stdout)
    expected_encoding = "utf-16" if encoding == "utf-16" else encoding
    if encoding == "cp1252" and all(ord(c) < 0x80 for c in data.decode("cp1252")):
        expected_encoding = "utf-8"  # plain ASCII is UTF-8 too
    assert (report["encoding"], report["delimiter"]) == (expected_encoding, delimiter)
    assert [(r["name"], r["company"], r["phone"]) for r in listed] == leads


# -- do-not-call membership --------------------------------------------------------------
PHONES = [f"+1512555{n:04d}" for n in range(200, 202)]
operations = st.lists(
    st.tuples(
        st.sampled_from(["add", "remove"]),
        st.sampled_from(["internal", "state"]),
        st.sampled_from(PHONES),
    ),
    max_size=12,
)


@SLOW
@given(operations)
@example(
    [("add", "internal", PHONES[0]), ("add", "state", PHONES[0]), ("remove", "state", PHONES[0])]
)
@example(
    [("add", "state", PHONES[0]), ("add", "internal", PHONES[0]), ("remove", "internal", PHONES[0])]
)
def test_dnc_membership_follows_every_add_and_remove(
    steps: list[tuple[str, str, str]],
) -> None:
    model: dict[str, set[str]] = {"internal": set(), "state": set()}
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "dnc.db")
        runner = CliRunner()

        def run(*args: str) -> tuple[int, str]:
            result = runner.invoke(cli, ["--db", db, *args])
            assert "Traceback" not in result.output + result.stderr
            return result.exit_code, result.stdout

        for action, source, phone in steps:
            if action == "add" and source == "internal":
                code, _ = run("dnc", "add", phone, "--reason", "asked")
                assert code == 0
                model["internal"].add(phone)
            elif action == "add":
                path = Path(tmp) / "state.txt"
                path.write_text(phone + "\n", encoding="utf-8")
                code, _ = run(
                    "dnc", "import", str(path), "--source", "state", "--as-of", "2026-11-20"
                )
                assert code == 0
                model["state"].add(phone)
            else:
                code, _ = run("dnc", "remove", phone, "--source", source, "--reason", "wrong")
                assert code == (0 if phone in model[source] else 3), (action, source, phone)
                model[source].discard(phone)
            _, out = run("dnc", "check", phone, "--json")
            on = {entry["source"] for entry in json.loads(out)["lists"]}
            assert on == {s for s, held in model.items() if phone in held}, phone
        for source, held in model.items():
            _, out = run("dnc", "list", "--source", source, "--json")
            assert {entry["phone"] for entry in json.loads(out)} == held


# -- stats add up ----------------------------------------------------------------------
# README: dials are every outcome except a skip; connects are calls where a person
# picked up: yes, no, hang-up, callback, do-not-call.
CONNECTS = {"yes", "no", "hang-up", "callback", "do-not-call"}
KEYS = [o for o in Outcome]


@SLOW
@given(st.lists(st.sampled_from(KEYS), min_size=1, max_size=10))
def test_stats_add_up(outcomes: list[Outcome]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source, db_path = Path(tmp) / "leads.csv", Path(tmp) / "s.db"
        source.write_text(
            "Name,Phone\n" + "".join(f"Lead {n},+1 512 555 {n + 300:04d}\n" for n in range(10)),
            encoding="utf-8",
        )
        assert CliRunner().invoke(cli, ["--db", str(db_path), "import", str(source)]).exit_code == 0
        db = open_db(db_path)
        now = parse_instant(NOW)
        session = CallSession(
            open_stores(db),
            LeadStore(db).get_list(source.stem),
            Settings(),
            Clock(now, running=False),
        )
        recorded: list[str] = []
        for outcome in outcomes:
            if session.advance() is None:
                break
            callback = now + timedelta(days=1) if outcome is Outcome.CALLBACK else None
            session.record(outcome, callback_at=callback)
            recorded.append(outcome.value)
        db.conn.close()
        result = CliRunner().invoke(cli, ["--db", str(db_path), "stats", "--json", "--days", "1"])
        assert result.exit_code == 0, result.stderr
        totals = json.loads(result.stdout)["totals"]
    calls = [o for o in recorded if o != "skip"]
    assert totals["dials"] == len(calls) == sum(totals["outcomes"].values())
    assert totals["skips"] == recorded.count("skip")
    assert totals["connects"] == sum(o in CONNECTS for o in calls) <= totals["dials"]
    assert totals["outcomes"] == {
        o.value: calls.count(o.value) for o in Outcome if o is not Outcome.SKIP
    }
