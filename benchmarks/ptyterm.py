"""A child process on a pseudo-terminal, for benchmarks that watch what a user would see."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-25T16:15:00+00:00"  # a Wednesday, 10:15 in Chicago


def bench_env(db: Path | None = None) -> dict[str, str]:
    """The environment of a benchmarked child: fixed clock, no user settings, a real TERM."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "TEXTUAL"))}
    env.update(
        TERM="xterm-256color",
        COLUMNS="120",
        LINES="40",
        DIALSMILE_NOW=NOW,
        DIALSMILE_CONFIG=str(ROOT / "benchmarks" / "no-such-config.toml"),
    )
    if db is not None:
        env["DIALSMILE_DB"] = str(db)
    return env


def compile_package() -> None:
    """Compile dialsmile's bytecode, as `pip install` does, so no run pays for compiling."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "dialsmile")], check=True)


def cpu_seconds(pid: int) -> float:
    """User and system CPU time process ``pid`` (all its threads) has used so far (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Terminal:
    """Run ``args`` on a 120x40 pty; ``started`` is the monotonic time just before spawning."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.master = master
        self.seen = b""

    def wait_for(self, text: str, timeout: float = 120) -> float:
        """Read until ``text`` appears; return the perf_counter time it was first seen."""
        end = time.perf_counter() + timeout
        needle = text.encode()
        while needle not in self.seen:
            left = end - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"{text!r} did not appear; last output: {self.seen[-400:]!r}")
            ready, _, _ = select.select([self.master], [], [], min(left, 0.5))
            if ready:
                try:
                    self.seen += os.read(self.master, 1 << 16)
                except OSError:
                    break
        at = time.perf_counter()
        self.seen = self.seen[self.seen.index(needle) + len(needle) :]
        return at

    def wait_for_number(self, before: str, timeout: float = 120) -> int:
        """Read until ``before`` followed by digits appears; return that number."""
        end = time.perf_counter() + timeout
        pattern = re.compile(re.escape(before.encode()) + rb"(\d+)\D")
        while (found := pattern.search(self.seen)) is None:
            left = end - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"{before!r} did not appear; last output: {self.seen[-400:]!r}")
            if select.select([self.master], [], [], min(left, 0.5))[0]:
                try:
                    self.seen += os.read(self.master, 1 << 16)
                except OSError:
                    break
        assert found is not None
        self.seen = self.seen[found.end() :]
        return int(found.group(1))

    def keys(self, text: str) -> None:
        os.write(self.master, text.encode())

    def drain(self) -> None:
        """Read whatever is pending so the child never blocks on a full pty."""
        while select.select([self.master], [], [], 0)[0]:
            try:
                data = os.read(self.master, 1 << 16)
            except OSError:
                return
            if not data:
                return
            self.seen = (self.seen + data)[-200_000:]

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        os.close(self.master)

    def wait_rusage(self, timeout: float = 60) -> tuple[int, int]:
        """Wait for the child to exit, reading its output; (exit status, peak RSS in KiB)."""
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            pid, status, usage = os.wait4(self.proc.pid, os.WNOHANG)
            if pid:
                self.proc.returncode = os.waitstatus_to_exitcode(status)
                os.close(self.master)
                return self.proc.returncode, usage.ru_maxrss
            self.drain()
            time.sleep(0.02)
        self.kill()
        raise TimeoutError("the child did not exit")
