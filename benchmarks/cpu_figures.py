"""Where the CPU of a load run goes: per request (the app's ``Server-Timing`` header, see
seal_app/operations/server_timing.py) and per process (gunicorn, PostgreSQL, the load
generator itself), as shares of the machine's cores over the run."""

from __future__ import annotations

import os
import re
import resource
import time
from dataclasses import dataclass, field

CPU = re.compile(r"\bcpu;dur=([\d.]+)")
QUERIES = re.compile(r'desc="(\d+) queries"')
TICKS = os.sysconf("SC_CLK_TCK")


def server_timing(header: str | None) -> tuple[float, int] | None:
    """(CPU ms, SQL statements) from a ``Server-Timing`` header, or None without one."""
    if not header:
        return None
    cpu, queries = CPU.search(header), QUERIES.search(header)
    if cpu is None or queries is None:
        return None
    return float(cpu.group(1)), int(queries.group(1))


def _process_tree_seconds(root: int) -> float:
    """CPU seconds (user + system) of ``root`` and every process below it, including children
    that already ended and were waited for."""
    children: dict[int, list[int]] = {}
    stats: dict[int, list[str]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rpartition(")")[2].split()
        except OSError:
            continue  # ended meanwhile
        pid = int(entry)
        stats[pid] = fields
        children.setdefault(int(fields[1]), []).append(pid)
    total, waiting = 0.0, [root]
    while waiting:
        pid = waiting.pop()
        fields = stats.get(pid)
        if fields is None:
            continue
        # after ")": state ppid ... utime(12) stime(13) cutime(14) cstime(15)
        total += sum(int(value) for value in fields[11:15]) / TICKS
        waiting += children.get(pid, [])
    return total


def _own_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class CpuShares:
    """CPU seconds of named process trees and of this process between ``start`` and ``stop``."""

    roots: dict[str, int]
    seconds: dict[str, float] = field(default_factory=dict)
    wall: float = 0.0

    def start(self) -> None:
        self._before = {name: _process_tree_seconds(pid) for name, pid in self.roots.items()}
        self._before["load generator"] = _own_seconds()
        self._wall = time.monotonic()

    def stop(self) -> None:
        self.wall = time.monotonic() - self._wall
        after = {name: _process_tree_seconds(pid) for name, pid in self.roots.items()}
        after["load generator"] = _own_seconds()
        self.seconds = {name: after[name] - self._before[name] for name in after}

    def lines(self, requests: int) -> list[str]:
        cores = os.cpu_count() or 1
        capacity = cores * self.wall
        parts = [
            f"{name} {seconds / capacity:.0%}" for name, seconds in sorted(self.seconds.items())
        ]
        used = sum(self.seconds.values())
        lines = [f"CPU of {cores} cores over {self.wall:.0f} s: " + ", ".join(parts)]
        lines.append(f"  together {used / capacity:.0%}; idle or others {1 - used / capacity:.0%}")
        if requests and "gunicorn" in self.seconds:
            per_request = self.seconds["gunicorn"] / requests * 1000
            lines.append(
                f"  gunicorn {per_request:.1f} CPU ms per request: at most "
                f"{cores * 1000 / per_request:.0f} requests per second on {cores} cores"
            )
        return lines


def parse_roots(values: list[str]) -> dict[str, int]:
    """``["gunicorn=123", "postgresql=456"]`` → ``{"gunicorn": 123, "postgresql": 456}``."""
    roots = {}
    for value in values:
        name, _, pid = value.partition("=")
        if pid.isdigit():
            roots[name] = int(pid)
    return roots
