"""The script pack linter: every problem as ``file:line: message``.

Errors make ``dialsmile scripts check`` fail; warnings are advice.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from dialsmile.core.scripts import (
    INTRO_EMAIL,
    MERGE_FIELD,
    META_KEYS,
    OBJECTIONS,
    OPENING,
    REQUIRED_SECTIONS,
    SECTIONS,
    STANDARD_FIELDS,
    SUBJECT,
    VOICEMAIL,
    Problem,
    Script,
    canonical,
    fold,
    read_pack,
)

PACK_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")

# Words that say "this is a sales call", per language (compared without case or accents).
SALES_CALL_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("sales call", "selling", "sell you", "a sales", "sales pitch"),
    "nb": ("salgssamtale", "salgshenvendelse", "salgsoppringning", "ringer for a selge", "selger"),
}
# Phrases that promise what nobody can promise (brokers may not make false statements).
PROMISES: dict[str, tuple[str, ...]] = {
    "en": (
        "guarantee", "guaranteed", "risk-free", "risk free", "no risk", "can't lose",
        "cannot lose", "sure thing", "double your money", "beat the market",
    ),
    "nb": ("garanti", "garantert", "risikofri", "uten risiko", "sikker gevinst", "kan ikke tape"),
}  # fmt: skip


@dataclass
class LintReport:
    """The problems found in one pack file."""

    source: str
    script: Script | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def lines(self) -> list[str]:
        """Each problem as ``file:line: message``, in line order."""
        ordered = sorted(self.problems, key=lambda p: (p.line, p.severity != "error"))
        return [p.format(self.source) for p in ordered]


def _language_key(language: str) -> str:
    primary = language.lower().split("-")[0]
    return {"no": "nb", "nn": "nb"}.get(primary, primary)


def lint_text(text: str, source: str) -> LintReport:
    """Check a pack's text; ``source`` names it in the messages."""
    script, problems, raw = read_pack(text, source)
    report = LintReport(source, script, list(problems))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    _check_meta(report, raw, lines, source, bool(problems))
    _check_sections(report, script)
    _check_objections(report, script)
    _check_fields(report, script, lines)
    _check_opening(report, script)
    _check_voicemail(report, script)
    _check_email(report, script)
    _check_promises(report, script, lines)
    return report


def _meta_line(lines: Sequence[str], key: str) -> int:
    for number, line in enumerate(lines, start=1):
        if re.match(rf"^\s*{re.escape(key)}\s*=", line):
            return number
        if number > 1 and line.strip() == "+++":
            break
    return 1


def _check_meta(
    report: LintReport, raw: dict[str, Any], lines: Sequence[str], source: str, broken: bool
) -> None:
    if broken:
        return
    add = report.problems.append
    for key in ("name", "version"):
        if key not in raw:
            add(Problem(1, f'front matter has no {key} (add {key} = "...")'))
    for key in ("audience", "language", "author"):
        if key not in raw:
            add(Problem(1, f"front matter has no {key}", "warning"))
    for key, value in raw.items():
        line = _meta_line(lines, key)
        if key == "fields":
            if not isinstance(value, dict):
                add(
                    Problem(
                        line, 'fields must be a table: [fields] then industry = "your industry"'
                    )
                )
            elif any(not isinstance(v, str) for v in value.values()):
                add(Problem(line, "each [fields] entry must be quoted text (its fallback words)"))
            continue
        if key not in META_KEYS:
            close = difflib.get_close_matches(key, [*META_KEYS, "fields"], n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            add(Problem(line, f"unknown front matter key {key!r}{hint}", "warning"))
            continue
        if key == "version" and isinstance(value, float):
            add(Problem(line, f'version = {value} is read as a number; quote it: version = "..."'))
        elif key == "version" and isinstance(value, int):
            continue
        elif not isinstance(value, str):
            add(Problem(line, f'{key} must be quoted text, e.g. {key} = "..."'))
        elif not value.strip():
            add(Problem(line, f"{key} is empty"))
        elif key == "name" and not PACK_NAME.match(value):
            add(Problem(line, f"name {value!r} must be lower-case letters, digits and dashes"))
        elif key == "language" and not LANGUAGE.match(value):
            add(Problem(line, f'language {value!r} is not a language code like "en" or "nb"'))
    name = raw.get("name")
    stem = source.replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".md")
    if isinstance(name, str) and name and stem and stem != name and source.endswith(".md"):
        add(
            Problem(
                _meta_line(lines, "name"),
                f"name {name!r} differs from the file name {stem}.md; "
                "--script finds packs by file name",
                "warning",
            )
        )


def _check_sections(report: LintReport, script: Script) -> None:
    add = report.problems.append
    seen: dict[str, int] = {}
    known = {canonical(s): s for s in SECTIONS}
    for section in script.section_list:
        key = canonical(section.title)
        if key in seen:
            add(
                Problem(
                    section.line, f"duplicate section {section.title!r} (first at line {seen[key]})"
                )
            )
            continue
        seen[key] = section.line
        if key not in known:
            close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
            hint = f"; did you mean # {known[close[0]]}?" if close else ""
            add(Problem(section.line, f"unknown section {section.title!r}{hint}", "warning"))
        elif key != canonical(OBJECTIONS) and not section.body:
            add(Problem(section.line, f"section {section.title!r} is empty"))
    for title in REQUIRED_SECTIONS:
        if canonical(title) not in seen:
            add(Problem(1, f"missing required section # {title}"))
    for title in (VOICEMAIL, INTRO_EMAIL):
        if canonical(title) not in seen:
            add(Problem(1, f"no # {title} section", "warning"))


def _check_objections(report: LintReport, script: Script) -> None:
    add = report.problems.append
    heading = script.section_lines.get(
        next((t for t in script.section_lines if canonical(t) == "objections"), ""), 0
    )
    if heading and not script.objections:
        add(Problem(heading, 'no objections: add ## "what the prospect says" and the model answer'))
    first: dict[str, int] = {}
    for objection in script.objections:
        key = fold(objection.prompt)
        if not key:
            add(
                Problem(objection.line, 'objection has no words: write ## "what the prospect says"')
            )
            continue
        if key in first:
            add(
                Problem(
                    objection.line,
                    f'duplicate objection "{objection.prompt}" (first at line {first[key]})',
                )
            )
        else:
            first[key] = objection.line
        if not objection.answer.strip():
            add(Problem(objection.line, f'objection "{objection.prompt}" has an empty answer'))


def _objections_span(script: Script) -> tuple[int, int]:
    titles = [(canonical(s.title), s.line) for s in script.section_list]
    for index, (title, line) in enumerate(titles):
        if title == canonical(OBJECTIONS):
            end = titles[index + 1][1] if index + 1 < len(titles) else 10**9
            return line, end
    return 0, 0


def _check_fields(report: LintReport, script: Script, lines: Sequence[str]) -> None:
    add = report.problems.append
    known = {*STANDARD_FIELDS, *script.field_fallbacks}
    body_start = _body_start(lines)
    start, end = _objections_span(script)
    for number, line in enumerate(lines, start=1):
        if number < body_start:
            continue
        if line.startswith("## ") and not (start < number < end):
            add(Problem(number, "## headings only mark objections (under # Objections)", "warning"))
        for match in MERGE_FIELD.finditer(line):
            key = match.group(1).strip().lower()
            if key not in known:
                close = difflib.get_close_matches(key.replace(" ", "_"), sorted(known), n=1)
                hint = (
                    f"; did you mean {{{close[0]}}}?"
                    if close
                    else f'; if it is an import column, declare it under [fields]: {key} = "..."'
                )
                add(Problem(number, f"unknown merge field {{{match.group(1)}}}{hint}"))
        rest = MERGE_FIELD.sub("", line)
        if "{" in rest or "}" in rest:
            add(Problem(number, "stray brace: merge fields look like {first_name}"))


def _body_start(lines: Sequence[str]) -> int:
    if lines and lines[0].strip() == "+++":
        for number in range(2, len(lines) + 1):
            if lines[number - 1].strip() == "+++":
                return number + 1
    return 1


def _section(script: Script, title: str) -> tuple[str, int] | None:
    for section in script.section_list:
        if canonical(section.title) == canonical(title):
            return section.body, section.line
    return None


def _says_sales_call(text: str, language: str) -> bool | None:
    words = SALES_CALL_WORDS.get(_language_key(language))
    if words is None:
        return None
    folded = fold(text)
    return any(fold(w) in folded for w in words)


def _check_opening(report: LintReport, script: Script) -> None:
    found = _section(script, OPENING)
    if found is None or not found[0]:
        return
    body, line = found
    add = report.problems.append
    lowered = body.lower()
    if "{rep_name}" not in lowered:
        add(Problem(line, "Opening must say the rep's name: use {rep_name}"))
    if "{rep_company}" not in lowered:
        add(Problem(line, "Opening must say the company calling: use {rep_company}"))
    says = _says_sales_call(body, script.language)
    words = SALES_CALL_WORDS.get(_language_key(script.language), ())
    if says is None:
        add(
            Problem(
                line,
                f"cannot check that the Opening says it is a sales call in language "
                f"{script.language!r}; check it by hand",
                "warning",
            )
        )
    elif not says:
        add(
            Problem(
                line,
                f"Opening must say that this is a sales call (e.g. {words[0]!r})",
            )
        )


def _check_voicemail(report: LintReport, script: Script) -> None:
    found = _section(script, VOICEMAIL)
    if found is None or not found[0]:
        return
    body, line = found
    lowered = body.lower()
    if "{rep_name}" not in lowered or "{rep_company}" not in lowered:
        report.problems.append(
            Problem(line, "Voicemail should say who calls: {rep_name} and {rep_company}", "warning")
        )


def _check_email(report: LintReport, script: Script) -> None:
    found = _section(script, INTRO_EMAIL)
    if found is None or not found[0]:
        return
    body, line = found
    first = body.strip().split("\n")[0].strip()
    match = SUBJECT.match(first)
    if match is None:
        report.problems.append(
            Problem(line + 1, "Intro email must start with a Subject: line, then the body")
        )
        return
    if not match.group(1).strip():
        report.problems.append(Problem(line + 1, "the intro email's Subject: is empty"))
    if not body.strip().split("\n", 1)[1:] or not body.strip().split("\n", 1)[1].strip():
        report.problems.append(Problem(line, "the intro email has a subject but no body"))


def _check_promises(report: LintReport, script: Script, lines: Sequence[str]) -> None:
    phrases = PROMISES.get(_language_key(script.language), ())
    body_start = _body_start(lines)
    for number, line in enumerate(lines, start=1):
        if number < body_start:
            continue
        folded = f" {fold(line)} "
        for phrase in phrases:
            if f" {fold(phrase)}" in folded:
                report.problems.append(
                    Problem(
                        number,
                        f"{phrase!r} reads as a promise; say only what you can stand behind "
                        "(no guarantees of results or returns)",
                        "warning",
                    )
                )
                break
