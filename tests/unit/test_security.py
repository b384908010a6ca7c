"""Security: private files, no network code, and a dial command lead data cannot hijack."""

from __future__ import annotations

import ast
import json
import os
import stat
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

import dialsmile
from dialsmile.cli import cli
from dialsmile.config import Clock, Settings
from dialsmile.core.models import Outcome
from dialsmile.core.session import CallSession
from dialsmile.storage.db import open_db
from dialsmile.storage.leads import LeadStore
from dialsmile.storage.stores import open_stores
from tests.conftest import OpenStores
from tests.ui.conftest import NOW, build_db

pytestmark = pytest.mark.sqlite_only("file modes of the SQLite database and of exports")

PACKAGE = Path(dialsmile.__file__).parent
NETWORK = {
    "socket", "ssl", "urllib", "http", "ftplib", "smtplib", "poplib", "imaplib", "telnetlib",
    "xmlrpc", "webbrowser", "requests", "httpx", "aiohttp", "urllib3", "websockets",
}  # fmt: skip


def test_no_module_of_the_package_imports_network_code() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            elif (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "import_module"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                names = [str(node.args[0].value)]
            offenders += [
                f"{path.relative_to(PACKAGE)}: {n}" for n in names if n.split(".")[0] in NETWORK
            ]
    assert offenders == []


def test_only_dialsmile_serve_listens_and_only_when_asked() -> None:
    """textual-serve (a web server) is imported by `dialsmile serve` alone, when it runs."""
    importers = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "textual_serve" in path.read_text(encoding="utf-8")
    ]
    assert importers == ["commands/serve.py"]
    tree = ast.parse((PACKAGE / "commands" / "serve.py").read_text(encoding="utf-8"))
    top_level = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    assert not any("textual_serve" in ast.unparse(n) for n in top_level)


def test_database_its_journal_and_exports_are_private(tmp_path: Path) -> None:
    db_path = tmp_path / "private.db"
    source = tmp_path / "leads.csv"
    source.write_text("Name,Phone\nAnn Lee,+1 512 555 0134\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", str(db_path), "import", str(source)]).exit_code == 0
    for out, command in (("leads.csv", ["export", "leads"]), ("s.csv", ["export", "session"])):
        if command[-1] == "session":
            db = open_db(db_path)
            clock = Clock(datetime.fromisoformat(NOW))
            session = CallSession(
                open_stores(db), LeadStore(db).get_list("leads"), Settings(), clock
            )
            session.advance()
            session.record(Outcome.NO)  # `latest` is the latest session with a call
            session.end()
            db.conn.close()
        result = runner.invoke(cli, ["--db", str(db_path), *command, "-o", str(tmp_path / out)])
        assert result.exit_code == 0, result.output
        assert stat.S_IMODE(os.stat(tmp_path / out).st_mode) == 0o600
    db = open_db(db_path)  # keep it open so the WAL and shared-memory files exist
    for path in tmp_path.glob("private.db*"):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path.name
    db.conn.close()


def test_lead_data_cannot_inject_a_command_into_the_dial_command(
    tmp_path: Path, stores: OpenStores
) -> None:
    opened = stores(build_db(tmp_path))
    argv_file = tmp_path / "argv.json"
    pwned = tmp_path / "pwned"
    recorder = tmp_path / "record_argv.py"
    recorder.write_text(
        # Written whole, then renamed: once the file exists it holds every argument.
        "import json, os, sys\n"
        f"open({str(argv_file)!r} + '.part', 'w').write(json.dumps(sys.argv[1:]))\n"
        f"os.replace({str(argv_file)!r} + '.part', {str(argv_file)!r})\n",
        encoding="utf-8",
    )
    payload = f"+15125550134; touch {pwned} && rm -rf ~ `touch {pwned}` $(touch {pwned})"
    settings = Settings(dial_command=f"{sys.executable} {recorder} {{e164}} x{{extension}}")
    session = CallSession(
        opened, opened.lists.get_list("Q4"), settings, Clock(datetime.fromisoformat(NOW))
    )
    offer = session.advance()
    assert offer is not None
    offer.lead.phone, offer.lead.extension = payload, "|sh"
    assert session.dial() is None
    deadline = time.monotonic() + 20
    while not argv_file.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert json.loads(argv_file.read_text(encoding="utf-8")) == [payload, "x|sh"]
    assert not pwned.exists()
