"""One table from two load reports (benchmarks/load.py's output, before and after a change):
kind · req/s · p50 · p95 · CPU ms per request · SQL statements per request, side by side.

    python benchmarks/capacity_table.py BEFORE.txt AFTER.txt   (run by benchmarks/capacity.sh)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

RUN = re.compile(r"(\d+) people, (\d+) s, (\d+) requests, ([\d.]+) requests per second")
ROW = re.compile(r"^(\S.*?)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)(?:\s+([\d.]+)\s+([\d.]+)\s+(\d+))?$")
GUNICORN_CPU = re.compile(r"gunicorn ([\d.]+) CPU ms per request")


def read(path: Path) -> tuple[float, dict[str, tuple], str]:
    """(seconds of the run, per kind: (n, p50, p95, CPU ms, SQL), gunicorn's CPU ms line)."""
    text = path.read_text(errors="replace")
    run = RUN.search(text)
    seconds = float(run.group(2)) if run else 0.0
    rows = {}
    in_table = False
    for line in text.splitlines():
        if line.startswith("kind "):
            in_table = True
            continue
        found = ROW.match(line) if in_table else None
        if found is None:
            in_table = in_table and not line.startswith("refused")
            continue
        kind, n, p50, p95, _p99, cpu, sql, _most = found.groups()
        rows[kind] = (int(n), int(p50), int(p95), cpu, sql)
        in_table = kind != "all"
    gunicorn = GUNICORN_CPU.search(text)
    return seconds, rows, gunicorn.group(1) if gunicorn else "–"


def table(before: Path, after: Path) -> list[str]:
    (seconds_b, rows_b, cpu_b), (seconds_a, rows_a, cpu_a) = read(before), read(after)
    lines = [
        f"{'':<24}{'req/s':>15}{'p50 ms':>13}{'p95 ms':>13}{'CPU ms/req':>15}{'SQL/req':>13}",
        f"{'kind':<24}" + "   before after" * 5,
    ]
    kinds = [kind for kind in rows_b if kind != "all"]
    kinds += [kind for kind in rows_a if kind not in rows_b and kind != "all"] + ["all"]
    for kind in kinds:
        b, a = rows_b.get(kind), rows_a.get(kind)
        cells = [
            (_rate(b, seconds_b), _rate(a, seconds_a)),
            (_cell(b, 1), _cell(a, 1)),
            (_cell(b, 2), _cell(a, 2)),
            (_cell(b, 3), _cell(a, 3)),
            (_cell(b, 4), _cell(a, 4)),
        ]
        lines.append(f"{kind:<24}" + "".join(f"{x:>9}{y:>6}" for x, y in cells))
    lines.append(f"gunicorn CPU ms per request (from its processes): before {cpu_b}, after {cpu_a}")
    return lines


def _rate(row: tuple | None, seconds: float) -> str:
    return f"{row[0] / seconds:.1f}" if row and seconds else "–"


def _cell(row: tuple | None, index: int) -> str:
    return str(row[index]) if row and row[index] is not None else "–"


if __name__ == "__main__":
    print("\n".join(table(Path(sys.argv[1]), Path(sys.argv[2]))))
