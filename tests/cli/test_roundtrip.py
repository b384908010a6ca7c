"""CSV round-trip: leads exported by `export leads` re-import as the same leads."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialsmile.cli import cli
from dialsmile.storage.db import open_db
from dialsmile.storage.leads import LeadStore

FIELDS = ("name", "company", "title", "email", "city", "notes")
FORMULA = ("=", "+", "-", "@", "'")

text = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc")),
        max_size=40,
    )
    .map(str.strip)
    .filter(lambda s: not s.startswith(FORMULA))
)
lead = st.fixed_dictionaries({f: text for f in FIELDS})


def stored(db_path: Path, list_name: str) -> list[tuple[str, ...]]:
    db = open_db(db_path)
    try:
        return [
            (lead["phone"], *(lead[f] for f in FIELDS))
            for lead in LeadStore(db).iter_leads(list_name)
        ]
    finally:
        db.conn.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lead, min_size=1, max_size=6))
def test_export_then_import_gives_the_same_leads(leads: list[dict[str, str]]) -> None:
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        source, exported = Path(tmp) / "in.csv", Path(tmp) / "out.csv"
        with source.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["Name", "Company", "Title", "Email", "City", "Notes", "Phone"])
            for n, row in enumerate(leads):
                writer.writerow([*(row[f] for f in FIELDS), f"+1 512 555 {n + 100:04d}"])
        first, second = Path(tmp) / "a.db", Path(tmp) / "b.db"
        result = runner.invoke(cli, ["--db", str(first), "import", str(source), "--list", "L"])
        assert result.exit_code == 0, result.output
        result = runner.invoke(cli, ["--db", str(first), "export", "leads", "-o", str(exported)])
        assert result.exit_code == 0, result.output
        result = runner.invoke(cli, ["--db", str(second), "import", str(exported), "--list", "L"])
        assert result.exit_code == 0, result.output
        assert stored(second, "L") == stored(first, "L")
