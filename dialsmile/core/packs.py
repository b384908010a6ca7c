"""The pack a session or practice runs, checked by the linter unless it is bundled.

It sits apart from ``scripts`` because it uses the linter and the linter uses
``scripts``: one way, no cycle. The linter is slow to import, so it loads only
for packs that are not bundled, keeping it off a session's start-up path.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from dialsmile.core.scripts import Script, find_pack, read_script, read_text
from dialsmile.errors import BadInput
from dialsmile.text import plural


def load_checked(name: str, extra_dirs: Iterable[Path] = ()) -> Script:
    """The pack a session or practice runs; one with errors is refused, naming the first.

    Bundled packs are checked by dialsmile's own tests; every other pack is
    linted here, as ``scripts check`` would (the linter loads only for them).
    """
    pack = find_pack(name, extra_dirs)
    if pack.origin == "bundled":
        return read_script(pack.path)
    from dialsmile.core.script_lint import lint_text

    report = lint_text(read_text(pack.path), str(pack.path))
    if report.errors or report.script is None:
        errors = report.errors
        first = errors[0].format(str(pack.path)) if errors else f"{pack.path}: not a pack"
        raise BadInput(
            f"Script {pack.path} has {plural(len(errors), 'error')} ({first}); "
            f"see them all with: dialsmile scripts check {pack.path}"
        )
    return report.script
