"""`dialsmile serve`: loopback unless --public (with a warning), and only what it can serve."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest
from textual_serve.server import Server

from tests.conftest import RunCli, import_json


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[Server]:
    """Servers that `serve` would run (their serve() does not block here)."""
    started: list[Server] = []
    monkeypatch.setattr(Server, "serve", lambda self, debug=False: started.append(self))
    return started


def test_the_demo_on_loopback_by_default(
    run_cli: RunCli, served: list[Server], db_path: Path
) -> None:
    result = run_cli("serve")
    assert result.exit_code == 0 and result.stderr == ""
    (server,) = served
    assert (server.host, server.port, server.public_url) == (
        "127.0.0.1",
        8000,
        "http://127.0.0.1:8000",
    )
    assert shlex.split(server.command)[1:] == ["-m", "dialsmile", "--db", str(db_path), "demo"]


def test_a_session_with_its_options(
    run_cli: RunCli, served: list[Server], db_path: Path, tmp_path: Path
) -> None:
    missing = run_cli("serve", "session", "--list", "Q4 Nordics")
    assert missing.exit_code != 0 and "No list named" in missing.stderr and served == []
    leads = tmp_path / "leads.csv"
    leads.write_text("Name,Phone\nDana Whitfield,(512) 555-0134\n", encoding="utf-8")
    import_json(run_cli, leads, "--list", "Q4 Nordics")
    result = run_cli("serve", "--port", "8123", "session", "--list", "Q4 Nordics", "--chunk", "10")
    assert result.exit_code == 0, result.stderr
    assert shlex.split(served[0].command)[-5:] == [
        "session",
        "--list",
        "Q4 Nordics",
        "--chunk",
        "10",
    ]
    assert served[0].port == 8123


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_hosts_need_no_flag(run_cli: RunCli, served: list[Server], host: str) -> None:
    assert run_cli("serve", "--host", host).exit_code == 0
    assert len(served) == 1


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "dialsmile.example"])
def test_another_host_needs_public(run_cli: RunCli, served: list[Server], host: str) -> None:
    refused = run_cli("serve", "--host", host)
    assert refused.exit_code != 0 and served == []
    assert refused.stderr.count("\n") == 1 and "add --public" in refused.stderr
    allowed = run_cli("serve", "--host", host, "--public", "--url", "http://trainer-pc:8000")
    assert allowed.exit_code == 0 and len(served) == 1
    assert "anyone who can reach port 8000" in allowed.stderr
    assert served[0].public_url == "http://trainer-pc:8000"


def test_only_the_demo_a_session_or_practice(run_cli: RunCli, served: list[Server]) -> None:
    result = run_cli("serve", "dnc")
    assert result.exit_code != 0 and "demo, session or practice" in result.stderr
    bad_option = run_cli("serve", "session", "--chunk", "0")
    assert bad_option.exit_code == 2 and "--chunk" in bad_option.stderr
    assert served == []


def test_without_textual_serve_it_says_how_to_install_it(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)  # as if not installed
    result = run_cli("serve")
    assert result.exit_code != 0
    assert "pip install 'dialsmile[serve]'" in result.stderr and result.stderr.count("\n") == 1
