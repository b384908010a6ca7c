"""Tables line up whatever script the leads are written in: a Japanese company takes two
terminal cells a letter, an emoji two, a decomposed accent from a Mac export none.
Widths are measured with rich's cell table, not dialsmile's."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from rich.cells import cell_len

from tests.conftest import RunCli

NAMES = [
    ("Dana Whitfield", "Globex"),
    ("Yuki 山田", "山田商事株式会社"),
    ("Emma 🚀 Stone", "Acme UK"),
    ("محمد العلي", "شركة"),
    ("Νίκος Παπαδόπουλος", "Εταιρεία"),
    (unicodedata.normalize("NFD", "José Araújo"), unicodedata.normalize("NFD", "Padaria Pão")),
    ("一二三四五六七八九十一二三四五六七八九十", "長い会社名の長い会社名の長い会社名"),
]


def test_leads_table_columns_line_up_in_every_script(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "world.csv"
    lines = ["Name,Company,Phone"]
    lines += [
        f"{name},{company},+1 212-555-{100 + n:04d}" for n, (name, company) in enumerate(NAMES)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run_cli("import", str(path), "--list", "W").exit_code == 0
    table = run_cli("leads", "--list", "W").stdout.splitlines()
    assert len(table) == 1 + len(NAMES)
    # Where the phone column starts, in terminal cells, on every line.
    starts = {cell_len(line[: line.index("+1 ")]) for line in table[1:]}
    assert starts == {cell_len(table[0][: table[0].index("phone")])}
    assert {cell_len(line) for line in table[1:]} == {cell_len(table[1])}
