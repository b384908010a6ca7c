"""``dialsmile scripts ...`` (list, show, check, add) and ``dialsmile practice``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click

from dialsmile.commands.context import SCRIPT, SCRIPTS_DIR, Context, pass_ctx, require_terminal
from dialsmile.config import user_scripts_dir
from dialsmile.core.packs import load_checked
from dialsmile.core.script_lint import LintReport, lint_text
from dialsmile.core.scripts import (
    INTRO_EMAIL,
    OBJECTIONS,
    Problem,
    Script,
    canonical,
    find_packs,
    load_script,
    merge_fields,
    read_text,
)
from dialsmile.errors import BadInput, DialsmileError, NotFound
from dialsmile.text import plural, printable


@click.group("scripts")
def scripts_group() -> None:
    """Script packs: list, show, check (the linter) and add.

    A pack is a Markdown file with TOML front matter (name, version, audience,
    language, author) and the sections Opening, Pitch, Discovery questions,
    Objections, Close, Voicemail and Intro email. Packs are looked up in
    --scripts-dir, then your scripts folder, then the packs shipped with
    dialsmile.

    \b
    Examples:
      dialsmile scripts list
      dialsmile scripts show saas-discovery --lead 12
      dialsmile scripts check my-pitch.md
      dialsmile scripts add my-pitch.md
    """


@scripts_group.command("list")
@SCRIPTS_DIR
@click.option("--json", "as_json", is_flag=True, help="A JSON array of packs.")
def scripts_list(scripts_dir: tuple[Path, ...], as_json: bool) -> None:
    """Every pack found: name, version, source, language and objection count.

    \b
    Examples:
      dialsmile scripts list
      dialsmile scripts list --scripts-dir team-packs/ --json
    """
    rows = []
    for pack in find_packs(scripts_dir):
        row: dict[str, object] = {
            "name": pack.name,
            "source": pack.origin,
            "path": str(pack.path),
            "shadowed_by": pack.shadowed_by or None,
        }
        try:
            script = load_script(str(pack.path))
        except DialsmileError as exc:
            row.update(version=None, language=None, objections=None, error=str(exc))
        else:
            row.update(
                version=script.version,
                language=script.language,
                objections=len(script.objections),
                error=None,
            )
        rows.append(row)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    if not rows:
        click.echo("No script packs found.")
        return
    click.echo(f"{'name':<24} {'version':<8} {'lang':<5} {'objections':>10}  source")
    for row in rows:
        where = f"{row['source']}: {row['path']}"
        if row["shadowed_by"]:
            where += f" (hidden by the {row['shadowed_by']} pack of that name)"
        if row["error"]:
            click.echo(f"{printable(str(row['name'])):<24} unreadable: {row['error']}  {where}")
            continue
        click.echo(
            f"{printable(str(row['name'])):<24} {printable(str(row['version'])):<8} "
            f"{printable(str(row['language'])):<5} {row['objections']:>10}  {where}"
        )


def _section_text(script: Script, fields: dict[str, str]) -> str:
    out: list[str] = [f"{script.label} · {script.meta.get('audience', '')}".rstrip(" ·"), ""]
    for section in script.section_list:
        out.append(f"# {section.title}")
        if canonical(section.title) == canonical(OBJECTIONS):
            if section.body:
                out.append(script.fill(section.body, fields))
            for objection in script.objections:
                out.append(f'"{objection.prompt}"')
                out.append("  → " + script.fill(objection.answer, fields).replace("\n", "\n    "))
                out.append("")
            continue
        out.append(script.fill(section.body, fields))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


@scripts_group.command("show")
@click.argument("name")
@click.option("--lead", "lead_id", type=int, help="Fill the merge fields with this lead's data.")
@click.option("--section", "only", help='Show only this section, e.g. --section "Intro email".')
@SCRIPTS_DIR
@pass_ctx
def scripts_show(
    ctx: Context, name: str, lead_id: int | None, only: str | None, scripts_dir: tuple[Path, ...]
) -> None:
    """Show a pack as the rep sees it, filled with a lead's fields.

    Without --lead, fields show the words used when a lead lacks them
    (e.g. "Hi there"). {rep_name} and {rep_company} come from your settings.

    \b
    Examples:
      dialsmile scripts show saas-discovery
      dialsmile scripts show saas-discovery --lead 12 --section "Intro email"
    """
    from dialsmile.storage.calls import CallStore

    script = load_script(name, scripts_dir)
    lead = None
    if lead_id is not None:
        lead = CallStore(ctx.db).lead(lead_id)
        if lead is None:
            raise NotFound(f"No lead {lead_id}; see the ids with: dialsmile leads")
    fields = merge_fields(lead, ctx.settings.rep_name, ctx.settings.rep_company)
    if only is not None:
        wanted = canonical(only)
        titles = [s.title for s in script.section_list]
        if wanted not in {canonical(t) for t in titles}:
            raise NotFound(f"{script.name} has no section {only!r}; it has: {', '.join(titles)}.")
        if wanted == canonical(INTRO_EMAIL) and (email := script.intro_email()) is not None:
            text = f"Subject: {script.fill(email.subject, fields)}\n\n{script.fill(email.body, fields)}\n"
        else:
            trimmed = Script(script.name, script.version, script.source, script.meta)
            trimmed.section_list = [s for s in script.section_list if canonical(s.title) == wanted]
            trimmed.objections = script.objections if wanted == canonical(OBJECTIONS) else []
            trimmed.field_fallbacks = script.field_fallbacks
            text = _section_text(trimmed, fields).split("\n", 3)[3]
    else:
        text = _section_text(script, fields)
    click.echo(printable(text, keep_newlines=True), nl=False)


def _targets(paths: tuple[Path, ...], scripts_dir: tuple[Path, ...]) -> list[Path]:
    if not paths:
        return [p.path for p in find_packs(scripts_dir)]
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.glob("*.md"))
            if not found:
                raise BadInput(f"No .md packs in the folder {path}.")
            out += found
        elif path.is_file():
            out.append(path)
        else:
            raise NotFound(f"No such file or folder: {path}.")
    return out


def lint_file(path: Path) -> LintReport:
    """Lint one pack file (unreadable files become one problem at line 1)."""
    try:
        text = read_text(path)
    except BadInput as exc:
        report = LintReport(str(path), None)
        report.problems.append(Problem(1, str(exc).rstrip(".")))
        return report
    return lint_text(text, str(path))


@scripts_group.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Warnings fail the check too.")
@SCRIPTS_DIR
def scripts_check(paths: tuple[Path, ...], strict: bool, scripts_dir: tuple[Path, ...]) -> None:
    """Lint packs: each problem as file:line: message; exit 1 on errors.

    Checks front matter (name, version, audience, language, author), required
    sections, the disclosures in the Opening (the rep's name, the company, that
    it is a sales call), unknown merge fields, duplicate objections, empty
    answers, and the intro email's Subject: line. Warnings (promises, missing
    voicemail...) do not fail unless --strict. With no PATH, every pack found
    is checked.

    \b
    Examples:
      dialsmile scripts check
      dialsmile scripts check packs/ --strict
      dialsmile scripts check my-pitch.md
    """
    files = _targets(paths, scripts_dir)
    if not files:
        click.echo("No script packs found to check.")
        return
    errors = warnings = 0
    for path in files:
        report = lint_file(path)
        for line in report.lines():
            click.echo(printable(line))
        errors += len(report.errors)
        warnings += len(report.warnings)
    packs = plural(len(files), "pack")
    if errors or warnings:
        click.echo(f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {packs}.")
    else:
        click.echo(f"{packs} checked: all good.")
    if errors or (strict and warnings):
        raise SystemExit(1)


@scripts_group.command("add")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace a pack of the same name in your folder.")
def scripts_add(path: Path, force: bool) -> None:
    """Check a pack and copy it into your scripts folder.

    The pack is saved as NAME.md (its front matter name), so sessions find it
    with --script NAME. A pack with errors is refused.

    \b
    Examples:
      dialsmile scripts add my-pitch.md
      dialsmile scripts add team/saas-discovery.md --force
    """
    if not path.is_file():
        raise NotFound(f"No such file: {path}.")
    report = lint_file(path)
    for line in report.lines():
        click.echo(printable(line))
    if report.errors or report.script is None:
        raise BadInput(
            f"{path} has {len(report.errors)} error(s); fix them (see above) and add it again."
        )
    name = report.script.name
    target = user_scripts_dir() / f"{name}.md"
    if target.exists() and not force:
        if target.read_bytes() == path.read_bytes():
            click.echo(f"{name} is already in your scripts folder ({target}).")
            return
        raise BadInput(
            f"You already have a pack named {name} ({target}); add --force to replace it."
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    except OSError as exc:
        raise BadInput(f"Cannot copy {path} to {target}: {exc.strerror or exc}.") from None
    click.echo(f"Added {report.script.label} to {target}")
    bundled = [p for p in find_packs() if p.name == name and p.origin == "bundled"]
    if bundled:
        click.echo(f"It takes the place of the bundled pack named {name}.")
    click.echo(
        f"Use it with: dialsmile session --script {name}  ·  dialsmile practice --script {name}"
    )


@click.command("practice")
@SCRIPT
@click.option(
    "--drill",
    type=click.Choice(["objections", "call"]),
    default="objections",
    show_default=True,
    help="objections: the objections that are due, weakest first. call: a full call "
    "(opening, pitch, questions, the two objections most due, close).",
)
@click.option(
    "--count",
    type=click.IntRange(1, 100),
    default=10,
    show_default=True,
    help="At most this many objections per round.",
)
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="Practise every objection regardless of schedule (still at most --count).",
)
@SCRIPTS_DIR
@pass_ctx
def practice_command(
    ctx: Context,
    script_name: str,
    drill: str,
    count: int,
    every: bool,
    scripts_dir: tuple[Path, ...],
) -> None:
    """Rehearse a pack: say your answer out loud, compare, mark nailed or missed.

    A round takes the objections that are due, up to --count: never
    practised, missed last time, or past their wait; missed ones first, then
    new ones, then the most overdue. An objection you nail waits 1 day before
    it is due again, then 3, 7 and 21 days as you keep nailing it; a miss
    makes it due at once. When nothing is due you are told when the next one
    is; --all practises every objection anyway.

    Each objection is timed from when it appears until you press space to see
    the model answer. Mark it [n] nailed, [m] missed or [s] skip (a skip
    does not change when it is due). Results are kept apart from your calls
    and never count as dials.

    \b
    Examples:
      dialsmile practice
      dialsmile practice --script fa-prospecting --count 5
      dialsmile practice --all
      dialsmile practice --drill call
    """
    from dialsmile.commands.practice import make_practice_app

    script = load_checked(script_name, scripts_dir)
    if drill == "objections" and not script.objections:
        raise BadInput(f"{script.name} has no objections to practise.")
    if drill == "call" and every:
        raise BadInput("--all is for the objections drill; a call drill always has two objections.")
    app = make_practice_app(
        ctx.db, script, ctx.settings, ctx.clock, drill=drill, count=count, every=every
    )
    first = app.first_round()
    if not first.steps:
        for line in first.summary():
            click.echo(line)
        return
    require_terminal("practice screen")
    app.run()
    marks = [m for run in app.runs for m in run.marks]
    if marks:
        nailed = sum(1 for m in marks if m.result == "nailed")
        missed = sum(1 for m in marks if m.result == "missed")
        click.echo(
            f"Practised {len(marks)} with {script.label}: {nailed} nailed, {missed} missed. "
            "Saved as practice, not as calls."
        )
    else:
        click.echo("Nothing practised this time.")
