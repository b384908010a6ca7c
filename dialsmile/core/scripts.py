"""Pitch scripts: Markdown files with TOML front matter, rendered with lead fields."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from dialsmile.errors import BadInput, NotFound

MERGE_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_ ]*)\}")
STANDARD_FIELDS = (
    "first_name", "last_name", "company", "title", "city", "rep_name", "rep_company",
)  # fmt: skip
FALLBACKS = {
    "first_name": "there",
    "last_name": "",
    "company": "your company",
    "title": "your role",
    "city": "your area",
}


@dataclass(frozen=True)
class Objection:
    """What a prospect says, and the model answer."""

    prompt: str
    answer: str
    line: int


@dataclass
class Script:
    """A script pack: metadata, sections in order, and objection handlers."""

    name: str
    version: str
    source: str
    meta: dict[str, str] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    section_lines: dict[str, int] = field(default_factory=dict)
    objections: list[Objection] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.name} v{self.version}"


def parse_script(text: str, source: str) -> Script:
    """Read a script pack. Front matter is TOML between ``+++`` lines."""
    lines = text.replace("\r\n", "\n").split("\n")
    meta: dict[str, str] = {}
    body_start = 0
    if lines and lines[0].strip() == "+++":
        try:
            end = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
        except StopIteration:
            raise BadInput(f"{source}:1: front matter opened with +++ is never closed.") from None
        try:
            raw = tomllib.loads("\n".join(lines[1:end]))
        except tomllib.TOMLDecodeError as exc:
            raise BadInput(f"{source}:2: bad front matter: {exc}.") from None
        meta = {str(k): str(v) for k, v in raw.items()}
        body_start = end + 1
    name = meta.get("name") or Path(source).stem
    script = Script(name=name, version=meta.get("version", "1"), source=source, meta=meta)
    section: str | None = None
    objection: tuple[str, int] | None = None
    buffer: list[str] = []

    def flush() -> None:
        nonlocal objection
        content = "\n".join(buffer).strip()
        if objection is not None:
            script.objections.append(Objection(objection[0], content, objection[1]))
            objection = None
        elif section is not None:
            script.sections[section] = content
        buffer.clear()

    for number, line in enumerate(lines[body_start:], start=body_start + 1):
        if line.startswith("# "):
            flush()
            section = line[2:].strip()
            script.section_lines[section] = number
        elif line.startswith("## ") and section is not None and section.lower() == "objections":
            flush()
            objection = (line[3:].strip().strip('"“”'), number)
        else:
            buffer.append(line)
    flush()
    return script


def script_dirs(extra: Iterable[Path] = ()) -> list[tuple[str, Path]]:
    """Where scripts are looked up, first match wins: --scripts-dir, user folder, bundled."""
    from dialsmile.config import user_scripts_dir

    bundled = Path(str(resources.files("dialsmile") / "assets" / "scripts"))
    return [*(("dir", p) for p in extra), ("user", user_scripts_dir()), ("bundled", bundled)]


def load_script(name: str, extra_dirs: Iterable[Path] = ()) -> Script:
    """A script by name (``saas-discovery``) or by path to a .md file."""
    path = Path(name)
    if path.suffix == ".md" and path.is_file():
        return _read(path)
    available: list[str] = []
    for _, folder in script_dirs(extra_dirs):
        candidate = folder / f"{name}.md"
        if candidate.is_file():
            return _read(candidate)
        if folder.is_dir():
            available += [p.stem for p in sorted(folder.glob("*.md"))]
    hint = f" Scripts: {', '.join(sorted(set(available)))}." if available else ""
    raise NotFound(f"No script named {name!r}.{hint}")


def _read(path: Path) -> Script:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"Cannot read script {path}: {exc}.") from None
    return parse_script(text, str(path))


def render(text: str, fields: Mapping[str, str]) -> str:
    """Fill ``{field}`` placeholders; a missing value becomes readable words, never braces."""

    def fill(match: re.Match[str]) -> str:
        key = match.group(1).strip()
        value = fields.get(key) or fields.get(key.lower()) or ""
        if value:
            return value
        if key in FALLBACKS:
            return FALLBACKS[key]
        return key.replace("_", " ")

    return MERGE_FIELD.sub(fill, text)
