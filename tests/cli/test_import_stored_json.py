"""A lead's extra columns and alternate numbers are stored as JSON text exactly as
``json.dumps(..., ensure_ascii=False)`` writes them, whatever text the cells hold."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialsmile.io.sniff import repair_mojibake
from tests.conftest import RunCli

HEADER = ["Name", "Phone", "Mobile", 'Größe "Note" \\ 備考']
PLAIN = [["Ann Lee", "+15125550100", "", "plain"], ["Bo Kim", "+15125550101", "", "plain"]]

cell = st.text(
    st.characters(codec="utf-8", exclude_characters="\x00\r"), min_size=1, max_size=20
).filter(lambda t: t.strip() and not t.startswith("'") and repair_mojibake(t) == t)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.lists(cell, min_size=1, max_size=5))
def test_extra_columns_and_alternates_are_stored_as_json_dumps_writes_them(
    run_cli: RunCli, tmp_path: Path, values: list[str]
) -> None:
    path = tmp_path / "leads.csv"
    db = tmp_path / "json.db"
    db.unlink(missing_ok=True)
    rows = [
        [f"Lead {i}", f"+1512555{i + 2:04d}", f"(512) 555-{i + 7000:04d} x{i + 1}", value]
        for i, value in enumerate(values)
    ]
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, *PLAIN, *rows])
    result = run_cli("import", str(path), "--list", "L", db=db)
    assert result.exit_code == 0, result.stderr
    with sqlite3.connect(db) as conn:
        stored = conn.execute(
            "SELECT extra, alt_phones FROM leads WHERE name LIKE 'Lead %' ORDER BY id"
        ).fetchall()
    assert len(stored) == len(values)
    for (extra, alternates), (_, _, mobile, value) in zip(stored, rows, strict=True):
        assert extra == json.dumps({HEADER[3]: value}, ensure_ascii=False)
        number, ext = mobile.split(" x")
        want = [{"e164": "+1" + "".join(c for c in number if c.isdigit()), "extension": ext,
                 "kind": "mobile", "raw": mobile}]  # fmt: skip
        assert alternates == json.dumps(want, ensure_ascii=False)
