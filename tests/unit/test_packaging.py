"""The wheel ships the repository's assets/ folder, and an installed copy finds it."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_carries_the_assets_and_an_installed_copy_uses_them(tmp_path: Path) -> None:
    shipped = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "assets").rglob("*") if p.is_file())
    # The layout trainers are told about: packs, demo leads, coach messages.
    assert {"assets/scripts/saas-discovery.md", "assets/demo/leads.csv"} <= set(shipped)
    assert "assets/coach/messages.toml" in shipped
    wheels = tmp_path / "w"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "-w", str(wheels), "--no-deps", "-q"],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("dialsmile-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"dialsmile/{name}" for name in shipped} <= names

    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q",
         "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(site), "XDG_DATA_HOME": str(tmp_path / "data")}
    listed = subprocess.run(
        [sys.executable, "-m", "dialsmile", "scripts", "list"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    packs = [p.stem for p in (ROOT / "assets" / "scripts").glob("*.md")]
    for pack in packs:
        assert f"bundled: {site / 'dialsmile' / 'assets' / 'scripts' / pack}.md" in listed
    found = subprocess.run(
        [sys.executable, "-c",
         "from dialsmile.commands.demo import demo_leads_path as d; "
         "from dialsmile.core.coach import shipped_messages_path as m; print(d()); print(m())"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert found == [
        str(site / "dialsmile" / "assets" / "demo" / "leads.csv"),
        str(site / "dialsmile" / "assets" / "coach" / "messages.toml"),
    ]
