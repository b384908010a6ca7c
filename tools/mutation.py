"""Mutation testing of the modules where a bug costs a rep most, one module at a time.

Runs mutmut 3 (``pip install mutmut``; not a test dependency) on a throw-away
copy of the repository, so the working tree and pyproject.toml stay as they
are. Each module is mutated alone and checked only by the tests that cover it,
niced, so a run fits on a shared two-core machine:

    python tools/mutation.py                       # every module below
    python tools/mutation.py outcomes guard        # some of them
    python tools/mutation.py --list                # the modules and their tests

Prints one line per module (killed, survived, score) and, with ``--survivors``,
the name of every surviving mutant; ``mutmut show NAME`` in the printed work
folder shows its diff.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# module key -> (file to mutate, the tests that cover it)
MODULES: dict[str, tuple[str, list[str]]] = {
    "outcomes": (
        "dialsmile/core/outcomes.py",
        # The queue tests, the session without a screen, and the help screen's retry times.
        [
            "tests/ui/test_queue.py",
            "tests/ui/test_session_rules.py",
            "tests/ui/test_session.py::test_help_says_the_retry_times_of_the_cadence_setting",
        ],
    ),
    "guard": (
        "dialsmile/core/guard.py",
        [
            "tests/ui/test_guard.py",
            "tests/cli/test_compliance_cli.py",
            "tests/ui/test_session_rules.py",
        ],
    ),
    "engine": (
        "dialsmile/compliance/engine.py",
        ["tests/unit/test_compliance.py", "tests/cli/test_compliance_cli.py"],
    ),
    "session": (
        "dialsmile/core/session.py",
        # The session driven without a screen (a pilot costs seconds a mutant;
        # these, hundredths), and one pilot for the do-not-call hole.
        [
            "tests/ui/test_queue.py",
            "tests/ui/test_session_rules.py",
            *(
                f"tests/ui/test_guard.py::test_{name}"
                for name in (
                    "caps_see_every_call_of_the_year",
                    "min_gap_setting",
                    "a_lead_passed_over_for_its_hours_comes_back_when_they_open",
                    "a_long_run_of_leads_outside_their_hours_is_passed_in_one_pick",
                    "a_pick_that_stops_reading_carries_on_at_the_next",
                    "the_amber_light_counts_the_minutes_to_closing",
                )
            ),
            "tests/ui/test_session.py::test_a_bad_number_never_brings_up_an_alternate_on_do_not_call",
        ],
    ),
    "when": ("dialsmile/core/when.py", ["tests/unit/test_when.py"]),
    "export": (
        "dialsmile/io/export.py",
        [
            "tests/cli/test_export.py",
            "tests/cli/test_formula_guard.py",
            "tests/cli/test_export_files.py",
            "tests/cli/test_import_rejects.py",
        ],
    ),
    "phone": ("dialsmile/core/phone.py", ["tests/unit/test_phone.py"]),
    # The call floor: claims on both engines (PostgreSQL's cases need its server).
    "claims": (
        "dialsmile/storage/claims.py",
        ["tests/unit/test_claims.py", "tests/unit/test_claims_holes.py"],
    ),
    "board": (
        "dialsmile/core/board.py",
        ["tests/cli/test_floor_holes.py", "tests/cli/test_floor_commands.py"],
    ),
    "floor": (
        "dialsmile/storage/floor.py",
        [
            "tests/cli/test_floor_holes.py",
            "tests/cli/test_floor_commands.py",
            "tests/ui/test_board_holes.py",
        ],
    ),
    "dedupe": (
        "dialsmile/core/imports.py",
        [
            "tests/cli/test_import_duplicates.py",
            "tests/cli/test_import_known_numbers.py",
            "tests/cli/test_import.py",
        ],
    ),
}

# Tests that leave a child process running for a moment (the dial command): mutmut's
# runner waits for any child and stops when it reaps one that is not a mutant's.
DESELECT = ["tests/ui/test_session.py::test_dial_runs_the_command_without_a_shell"]

# The engine keeps what it worked out (a number's plan, a day's window) in caches
# that live as long as the process. A test whose answer is already cached never
# runs the mutated code, and mutmut would map it to no function; so in the
# throw-away copy every test starts with the mutated module's caches empty
# (a fixture added to the copy's tests/conftest.py).
_FRESH_CACHES = """

import functools as _functools
import importlib as _importlib


@pytest.fixture(autouse=True)
def _mutation_fresh_caches():
    module = _importlib.import_module({module!r})
    for value in list(vars(module).values()):
        if isinstance(value, _functools._lru_cache_wrapper):
            value.cache_clear()
    getattr(module, "_DAYS", {{}}).clear()
    yield
"""

_RESULT = re.compile(r"^\s*(\S+): (\w[\w ]*)$")


def _copy_repo(dest: Path) -> None:
    """The tracked and new files of the working tree (not the venv, not caches)."""
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    for name in files:
        source = ROOT / name
        if source.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def _config(path: str, tests: list[str]) -> str:
    existing = [t for t in tests if (ROOT / t.split("::")[0]).exists()]
    deselect = [arg for test in DESELECT for arg in ("--deselect", test)]
    selection = "\n    ".join([*existing, *deselect, "-x", "-q", "-p", "no:randomly"])
    return (
        "[mutmut]\n"
        "source_paths = dialsmile\n"
        # Script packs, demo leads and coach messages: sessions read them.
        "also_copy =\n    assets\n"
        f"only_mutate = {path}\n"
        f"pytest_add_cli_args_test_selection =\n    {selection}\n"
    )


def run(key: str, work: Path, show_survivors: bool) -> dict[str, object]:
    path, tests = MODULES[key]
    folder = work / key
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    _copy_repo(folder)
    (folder / "setup.cfg").write_text(_config(path, tests))
    module = path.removesuffix(".py").replace("/", ".")
    with (folder / "tests" / "conftest.py").open("a", encoding="utf-8") as conftest:
        conftest.write(_FRESH_CACHES.format(module=module))
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run(
        ["nice", "-n", "10", sys.executable, "-m", "mutmut", "run", "--max-children", "2"],
        cwd=folder,
        env=env,
        stdout=subprocess.DEVNULL,
        check=False,
    )
    results = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    counts: dict[str, int] = {}
    survivors: list[str] = []
    for line in results.splitlines():
        match = _RESULT.match(line)
        if match:
            name, status = match.groups()
            counts[status] = counts.get(status, 0) + 1
            if status in ("survived", "no tests"):
                survivors.append(name)
    killed = counts.get("killed", 0) + counts.get("timeout", 0)
    # A mutant no selected test runs is as alive as one that survives them.
    alive = counts.get("survived", 0) + counts.get("no tests", 0)
    judged = killed + alive
    report: dict[str, object] = {
        "module": path,
        "killed": killed,
        "survived": alive,
        "other": {k: v for k, v in counts.items() if k not in ("killed", "timeout", "survived")},
        "score": round(100 * killed / judged, 1) if judged else None,
        "work": str(folder),
    }
    if show_survivors:
        report["survivors"] = survivors
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", metavar="MODULE", help=", ".join(MODULES))
    parser.add_argument("--list", action="store_true", help="show the modules and their tests")
    parser.add_argument("--survivors", action="store_true", help="name each surviving mutant")
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "dialsmile-mutation"
    )
    args = parser.parse_args()
    if args.list:
        for key, (path, tests) in MODULES.items():
            print(f"{key:10} {path}  <- {' '.join(tests)}")
        return
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        parser.error(f"unknown module {unknown[0]!r}; choose from {', '.join(MODULES)}")
    for key in args.modules or list(MODULES):
        print(json.dumps(run(key, args.work, args.survivors)), flush=True)


if __name__ == "__main__":
    main()
