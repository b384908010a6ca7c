"""The calling rules are parsed once and kept, parsed, in the user's cache dir: a changed
rules file is parsed again, a damaged or unwritable cache is no failure."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from dialsmile.compliance import rules
from dialsmile.compliance.rules import load_area_codes, load_rules

# Florida's hours, as Fla. Stat. §501.616(6)(a) states them: 8 a.m. to 8 p.m. every day.
FLORIDA = "08:00-20:00"


@pytest.fixture(autouse=True)
def _parsed_afresh() -> Iterator[None]:
    """Each test starts from the files (its own cache dir comes from the conftest)."""
    rules._compiled.cache_clear()
    yield
    rules._compiled.cache_clear()


def cache_file(tmp_path: Path) -> Path:
    return tmp_path / "xdg-cache" / "dialsmile" / "rules.pickle"


def florida_hours() -> set[str]:
    return {w.label() for rule in load_rules().rows("US-FL") for w in rule.hours if w}


def copied_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the packaged rule files the loader reads instead; returns rules.toml's."""
    folder = tmp_path / "rules"
    folder.mkdir()
    copies = tuple(Path(shutil.copy(p, folder / p.name)) for p in rules.RULE_FILES)
    monkeypatch.setattr(rules, "RULE_FILES", copies)
    return copies[0]


def test_the_second_start_reads_the_rules_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert florida_hours() == {FLORIDA}
    first = load_rules(), load_area_codes()
    assert cache_file(tmp_path).is_file()
    rules._compiled.cache_clear()

    def no_parsing(path: Path) -> None:
        raise AssertionError(f"{path} parsed again")

    monkeypatch.setattr(rules, "_read", no_parsing)
    assert (load_rules(), load_area_codes()) == first
    assert florida_hours() == {FLORIDA}
    assert load_area_codes().regions["305"] == ("US-FL",)  # Miami


def test_a_changed_rules_file_is_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    toml = copied_rules(tmp_path, monkeypatch)
    assert florida_hours() == {FLORIDA}
    toml.write_text(toml.read_text(encoding="utf-8").replace(FLORIDA, "09:00-19:00"), "utf-8")
    rules._compiled.cache_clear()
    assert florida_hours() == {"09:00-19:00"}


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05garbage"])
def test_a_damaged_cache_is_made_again(tmp_path: Path, damage: bytes) -> None:
    cache = cache_file(tmp_path)
    cache.parent.mkdir(parents=True)
    cache.write_bytes(damage)
    assert florida_hours() == {FLORIDA}
    assert cache.read_bytes() != damage
    rules._compiled.cache_clear()
    assert florida_hours() == {FLORIDA}


def test_a_cache_dir_that_cannot_be_written_only_costs_the_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert florida_hours() == {FLORIDA}
    assert blocked.read_text(encoding="utf-8") == "not a folder"
