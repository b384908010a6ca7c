"""Pitch scripts: Markdown files with TOML front matter, rendered with lead fields.

A script pack looks like this::

    +++
    name = "saas-discovery"
    version = "3"
    audience = "B2B software, mid-market ops leaders"
    language = "en"
    author = "Jo Trainer"
    +++
    # Opening
    Hi {first_name}, this is {rep_name} from {rep_company}. This is a sales call.
    # Objections
    ## "Not interested"
    That's fair...

Section headings are fixed English names in every language so the tools can
find them; see ``SECTIONS``.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dialsmile.core.models import LeadView
from dialsmile.errors import BadInput, NotFound

MERGE_FIELD = re.compile(r"\{([^\W\d][\w ]*)\}")
STANDARD_FIELDS = (
    "first_name", "last_name", "company", "title", "city", "rep_name", "rep_company",
)  # fmt: skip
LANGUAGE_FALLBACKS: dict[str, dict[str, str]] = {
    "en": {
        "first_name": "there",
        "last_name": "",
        "company": "your company",
        "title": "your role",
        "city": "your area",
    },
    "nb": {
        "first_name": "der",
        "last_name": "",
        "company": "dere",
        "title": "rollen din",
        "city": "området deres",
    },
}
LANGUAGE_ALIASES = {"no": "nb", "nn": "nb"}
FALLBACKS = LANGUAGE_FALLBACKS["en"]
MAX_PACK_BYTES = 1_000_000  # a long pack is ~20 kB; a bigger file is not a pack

OPENING = "Opening"
PITCH = "Pitch"
DISCOVERY = "Discovery questions"
OBJECTIONS = "Objections"
CLOSE = "Close"
VOICEMAIL = "Voicemail"
INTRO_EMAIL = "Intro email"
SECTIONS = (OPENING, PITCH, DISCOVERY, OBJECTIONS, CLOSE, VOICEMAIL, INTRO_EMAIL)
REQUIRED_SECTIONS = (OPENING, PITCH, DISCOVERY, OBJECTIONS, CLOSE)
META_KEYS = ("name", "version", "audience", "language", "author")
SUBJECT = re.compile(r"^subject:\s*(.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Objection:
    """What a prospect says, and the model answer."""

    prompt: str
    answer: str
    line: int


@dataclass(frozen=True)
class Section:
    """One ``# Heading`` of a pack and its text, with the heading's line number."""

    title: str
    body: str
    line: int


@dataclass(frozen=True)
class IntroEmail:
    """The intro email of a pack: subject line and body (both unfilled)."""

    subject: str
    body: str


@dataclass(frozen=True)
class Problem:
    """Something wrong in a pack, at a line of its file."""

    line: int
    message: str
    severity: str = "error"  # or "warning"

    def format(self, source: str) -> str:
        """``file:line: message`` (warnings say so)."""
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{source}:{self.line}: {prefix}{self.message}"


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
    section_list: list[Section] = field(default_factory=list)
    field_fallbacks: dict[str, str] = field(default_factory=dict)
    _field_names: tuple[str, ...] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def label(self) -> str:
        """``name vVERSION`` as shown in headers."""
        return f"{self.name} v{self.version}"

    @property
    def language(self) -> str:
        """The pack's language code, ``en`` unless the front matter says otherwise."""
        return self.meta.get("language", "en") or "en"

    @property
    def fallbacks(self) -> dict[str, str]:
        """Readable text for fields a lead lacks: the language's, then the pack's own."""
        base = language_fallbacks(self.language)
        return {**base, **self.field_fallbacks}

    def section(self, title: str) -> str:
        """The text of a section by its name (any case), or ``""``."""
        wanted = canonical(title)
        return next((s.body for s in self.section_list if canonical(s.title) == wanted), "")

    def fill(self, text: str, fields: Mapping[str, str]) -> str:
        """``text`` with merge fields filled, using this pack's fallbacks."""
        return render(text, fields, self.fallbacks)

    def intro_email(self) -> IntroEmail | None:
        """The ``# Intro email`` section split into subject and body, if it has a Subject line."""
        return split_email(self.section(INTRO_EMAIL))

    def filled_by(self, fields: Mapping[str, str]) -> tuple[str, ...]:
        """The values ``fields`` give the merge fields this script names, in a fixed order.

        Two leads with the same values read the same script, word for word.
        """
        names = self._field_names
        if names is None:
            texts = [*self.sections.values()]
            texts += [part for o in self.objections for part in (o.prompt, o.answer)]
            found = {m.group(1).strip() for text in texts for m in MERGE_FIELD.finditer(text)}
            names = self._field_names = tuple(sorted(found))
        return tuple(fields.get(key) or fields.get(key.lower()) or "" for key in names)


def canonical(title: str) -> str:
    """A heading compared without case or extra spaces."""
    return " ".join(title.lower().split())


def language_fallbacks(language: str) -> dict[str, str]:
    """Fallback words for missing standard fields in ``language`` (English if unknown)."""
    primary = language.lower().replace("_", "-").split("-")[0]
    primary = LANGUAGE_ALIASES.get(primary, primary)
    return dict(LANGUAGE_FALLBACKS.get(primary, FALLBACKS))


def split_email(text: str) -> IntroEmail | None:
    """Split ``Subject: ...`` (the first non-blank line) from the body."""
    lines = text.strip().split("\n")
    match = SUBJECT.match(lines[0].strip()) if lines else None
    if match is None:
        return None
    return IntroEmail(match.group(1).strip(), "\n".join(lines[1:]).strip())


@dataclass
class _FrontMatter:
    raw: dict[str, Any]
    body_start: int  # 0-based index of the first body line
    problems: list[Problem]


def _front_matter(lines: list[str]) -> _FrontMatter:
    if not lines or lines[0].strip() != "+++":
        return _FrontMatter(
            {},
            0,
            [Problem(1, 'no front matter: start the file with a +++ line, name = "..." and so on')],
        )
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "+++"), None)
    if end is None:
        return _FrontMatter({}, 1, [Problem(1, "front matter opened with +++ is never closed")])
    try:
        raw = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as exc:
        text = str(exc)
        found = re.search(r"at line (\d+)", text)
        line = int(found.group(1)) + 1 if found else end
        reason = re.sub(r"\s*\(at [^)]*\)", "", text)
        return _FrontMatter({}, end + 1, [Problem(line, f"bad front matter: {reason}")])
    return _FrontMatter(raw, end + 1, [])


def read_pack(text: str, source: str) -> tuple[Script, list[Problem], dict[str, Any]]:
    """Parse a pack leniently: the script, front-matter problems, and the raw front matter."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
    front = _front_matter(lines)
    meta = {str(k): str(v) for k, v in front.raw.items() if not isinstance(v, dict)}
    name = meta.get("name") or Path(source).stem
    script = Script(name=name, version=meta.get("version", "1"), source=source, meta=meta)
    table = front.raw.get("fields")
    if isinstance(table, dict):
        script.field_fallbacks = {str(k).lower(): str(v) for k, v in table.items()}
    section: tuple[str, int] | None = None
    objection: tuple[str, int] | None = None
    buffer: list[str] = []

    def flush() -> None:
        nonlocal objection
        content = "\n".join(buffer).strip()
        if objection is not None:
            script.objections.append(Objection(objection[0], content, objection[1]))
            objection = None
        elif section is not None:
            script.section_list.append(Section(section[0], content, section[1]))
            script.sections.setdefault(section[0], content)
        buffer.clear()

    for number, line in enumerate(lines[front.body_start :], start=front.body_start + 1):
        if line.startswith("# "):
            flush()
            section = (line[2:].strip(), number)
            script.section_lines.setdefault(section[0], number)
        elif (
            line.startswith("## ") and section is not None and canonical(section[0]) == "objections"
        ):
            flush()
            objection = (line[3:].strip().strip('"“”«»').strip(), number)
        else:
            buffer.append(line)
    flush()
    return script, front.problems, front.raw


def parse_script(text: str, source: str) -> Script:
    """Read a script pack. Front matter is TOML between ``+++`` lines.

    A pack without front matter is read with its file name as its name; a
    broken front matter raises ``BadInput`` naming the file and line.
    """
    script, problems, _ = read_pack(text, source)
    for problem in problems:
        if not problem.message.startswith("no front matter"):
            raise BadInput(problem.format(source).rstrip(".") + ".")
    return script


def bundled_dir() -> Path:
    """The packs shipped with dialsmile (``assets/scripts/`` in the repository)."""
    from dialsmile.config import asset

    return asset("scripts")


def script_dirs(extra: Iterable[Path] = ()) -> list[tuple[str, Path]]:
    """Where scripts are looked up, first match wins: --scripts-dir, user folder, bundled."""
    from dialsmile.config import user_scripts_dir

    return [*(("dir", p) for p in extra), ("user", user_scripts_dir()), ("bundled", bundled_dir())]


@dataclass(frozen=True)
class PackFile:
    """A pack file found in one of the script folders."""

    name: str
    path: Path
    origin: str  # "dir", "user", "bundled", or "file" (a path given as it is)
    shadowed_by: str = ""  # the origin of an earlier pack with the same name


def find_packs(extra_dirs: Iterable[Path] = ()) -> list[PackFile]:
    """Every ``*.md`` pack in the script folders, in lookup order."""
    found: list[PackFile] = []
    seen: dict[str, str] = {}
    for origin, folder in script_dirs(extra_dirs):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.md")):
            found.append(PackFile(path.stem, path, origin, seen.get(path.stem, "")))
            seen.setdefault(path.stem, origin)
    return found


def find_pack(name: str, extra_dirs: Iterable[Path] = ()) -> PackFile:
    """The pack a ``--script`` value names: a path to a .md file, or a pack name."""
    path = Path(name)
    if path.suffix == ".md" and path.is_file():
        return PackFile(path.stem, path, "file")
    packs = find_packs(extra_dirs)
    for pack in packs:
        if pack.name == name:
            return pack
    available = sorted({p.name for p in packs})
    hint = f" Scripts: {', '.join(available)}." if available else ""
    raise NotFound(f"No script named {name!r}.{hint}")


def load_script(name: str, extra_dirs: Iterable[Path] = ()) -> Script:
    """A script by name (``saas-discovery``) or by path to a .md file, as it is."""
    return read_script(find_pack(name, extra_dirs).path)


def read_text(path: Path) -> str:
    """A pack file's text, or one sentence saying why it cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_PACK_BYTES:
            raise BadInput(
                f"Script {path} is too big for a script pack ({size / 1e6:,.1f} MB; "
                f"the limit is {MAX_PACK_BYTES // 1_000_000} MB)."
            )
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise BadInput(f"Cannot read script {path}: it is not UTF-8 text.") from None
    except OSError as exc:
        raise BadInput(f"Cannot read script {path}: {exc.strerror or exc}.") from None


def read_script(path: Path) -> Script:
    """Parse the pack at ``path``."""
    return parse_script(read_text(path), str(path))


def merge_fields(lead: LeadView | None, rep_name: str, rep_company: str) -> dict[str, str]:
    """The values a script's ``{field}`` placeholders take for ``lead`` (None: no lead).

    An import column kept under ``extra`` fills both ``{Its Name}`` and
    ``{its_name}``; it never overrides a standard field.
    """
    fields = {"rep_name": rep_name, "rep_company": rep_company}
    if lead is not None:
        fields.update(
            first_name=lead.first_name,
            last_name=lead.last_name,
            company=lead.company,
            title=lead.title,
            city=lead.city,
        )
        for key, value in lead.extra.items():
            fields.setdefault(key, value)
            fields.setdefault(key.lower().replace(" ", "_"), value)
    return fields


def render(text: str, fields: Mapping[str, str], fallbacks: Mapping[str, str] | None = None) -> str:
    """Fill ``{field}`` placeholders; a missing value becomes readable words, never braces."""
    words = FALLBACKS if fallbacks is None else fallbacks

    def fill(match: re.Match[str]) -> str:
        key = match.group(1).strip()
        value = fields.get(key) or fields.get(key.lower()) or ""
        if value.strip():
            # "Acme, Inc." before the script's own full stop: one stop, not two.
            if value.endswith(".") and text.startswith(".", match.end()):
                return value[:-1]
            return value
        lowered = key.lower()
        if lowered in words:
            return words[lowered]
        return lowered.replace("_", " ")

    return MERGE_FIELD.sub(fill, text)


def fold(text: str) -> str:
    """Lower case without accents or punctuation, for matching what a prospect said."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", plain).split())


def _subsequence(needle: str, hay: str) -> bool:
    it = iter(hay)
    return all(ch in it for ch in needle)


def find_objections(script: Script, query: str) -> list[Objection]:
    """Objections matching a few letters of what the prospect said, best first.

    Prefix of the words, then a word starting with them, then anywhere in the
    words, then letters in order ("ntint" finds "Not interested"), then the answer.
    """
    q = fold(query)
    if not q:
        return list(script.objections)
    ranked: list[tuple[int, int, Objection]] = []
    for index, objection in enumerate(script.objections):
        prompt = fold(objection.prompt)
        words = prompt.split()
        if prompt.startswith(q):
            rank = 0
        elif any(w.startswith(q) for w in words) or f" {q}" in f" {prompt}":
            rank = 1
        elif q in prompt or q.replace(" ", "") in prompt.replace(" ", ""):
            rank = 2
        elif _subsequence(q.replace(" ", ""), prompt.replace(" ", "")):
            rank = 3
        elif q in fold(objection.answer):
            rank = 4
        else:
            continue
        ranked.append((rank, index, objection))
    return [o for _, _, o in sorted(ranked, key=lambda r: (r[0], r[1]))]
