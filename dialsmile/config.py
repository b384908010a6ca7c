"""Paths, user settings and the clock.

Settings come from a TOML file (``$DIALSMILE_CONFIG``, else ``config.toml`` in the
platform's user config dir). ``$DIALSMILE_NOW`` fixes the clock's starting point.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from dialsmile.errors import BadInput

APP_NAME = "dialsmile"


def asset(*parts: str) -> Path:
    """A file shipped with dialsmile, under ``assets/`` (script packs, demo leads,
    coach messages).

    Trainers find them in the repository's top-level ``assets/`` folder; the
    wheel carries that folder inside the package (``dialsmile/assets``). An
    installed copy reads its own; a source checkout or an editable install
    reads the repository's.
    """
    package = Path(__file__).parent
    shipped = package / "assets"
    root = shipped if shipped.is_dir() else package.parent / "assets"
    return root.joinpath(*parts)


def data_dir() -> Path:
    """Where the database lives unless ``--db`` or ``$DIALSMILE_DB`` says otherwise."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """Where dialsmile keeps what it can always make again (the parsed calling rules)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def user_scripts_dir() -> Path:
    return data_dir() / "scripts"


def default_db() -> str:
    """``$DIALSMILE_DB`` as given (a file, or a PostgreSQL URL), else the file in the data dir."""
    env = os.environ.get("DIALSMILE_DB")
    if env:
        return env
    return str(data_dir() / "dialsmile.db")


def parse_instant(text: str, what: str = "time") -> datetime:
    """Read an ISO 8601 moment; a naive one is taken as UTC."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise BadInput(
            f"Cannot read {what} {text!r}: use ISO 8601, e.g. 2026-11-25T14:30:00-06:00."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class Clock:
    """Wall-clock time in UTC that starts at ``start`` (default: now) and then runs on.

    ``running=False`` stops it at ``start`` (for tests and pictures that must not change).
    """

    def __init__(self, start: datetime | None = None, *, running: bool = True) -> None:
        self._start = (start or datetime.now(UTC)).astimezone(UTC)
        self._t0 = time.monotonic()
        self.running = running

    @classmethod
    def from_env(cls, default_start: datetime | None = None) -> Clock:
        """``$DIALSMILE_NOW`` wins; else ``default_start``; else the real time."""
        env = os.environ.get("DIALSMILE_NOW")
        if env:
            return cls(parse_instant(env, "DIALSMILE_NOW"))
        return cls(default_start)

    def now(self) -> datetime:
        if not self.running:
            return self._start
        return self._start + timedelta(seconds=time.monotonic() - self._t0)


def local_zone(preferred: str = "") -> str:
    """An IANA zone name for the rep: the setting, else $TZ, else the system's zone, else UTC."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    candidates = [preferred, os.environ.get("TZ", "").lstrip(":")]
    try:
        link = os.readlink("/etc/localtime")
        candidates.append(link.split("zoneinfo/", 1)[1] if "zoneinfo/" in link else "")
    except OSError:
        pass
    for name in candidates:
        if not name:
            continue
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
        return name
    return "UTC"


DEFAULT_CADENCE: dict[str, list[str]] = {
    "no-answer": ["4h", "1d", "3d"],
    "voicemail": ["4h", "1d", "3d"],
    "busy": ["15m"],
    "hang-up": ["1d"],
}


@dataclass
class Settings:
    """User settings; every field can be set in config.toml under ``[dialsmile]``."""

    rep_name: str = "your rep"
    rep_company: str = "our company"
    rep_timezone: str = ""  # empty: the machine's local zone
    default_region: str = "US"
    chunk_size: int = 25
    dial_command: str = ""  # e.g. "xdg-open tel:{e164}"
    daily_goal: int = 50
    idle_minutes: int = 5
    caller_numbers: list[str] = field(default_factory=list)  # your own numbers, for dials/day
    calling_start: str = "08:00"
    calling_end: str = "21:00"
    intro_email_dir: str = ""  # where `m` saves intro emails; empty: the current folder
    allow_overrides: bool = False  # let `o` call a blocked lead (with a logged reason)
    min_gap_minutes: int = 0  # minimum minutes between calls to one number
    claim_minutes: int = 15  # how long a lead shown to a rep is theirs alone
    callback_grace_minutes: int = 0  # a callback due this long is anyone's (0: only its rep's)
    cadence: dict[str, list[str]] = field(default_factory=lambda: dict(DEFAULT_CADENCE))

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        env = os.environ.get("DIALSMILE_CONFIG")
        path = path or (Path(env) if env else config_dir() / "config.toml")
        if not path.is_file():
            return cls()
        import tomllib

        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise BadInput(f"Cannot read settings file {path}: {exc}.") from None
        section = raw.get("dialsmile", raw)
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in section.items():
            name = key.replace("-", "_")
            if name not in known:
                raise BadInput(
                    f"Unknown setting {key!r} in {path}; known settings: "
                    + ", ".join(sorted(known))
                    + "."
                )
            values[name] = value
        settings = cls(**values)
        if "cadence" in values:
            settings.cadence = {**DEFAULT_CADENCE, **values["cadence"]}
        return settings
