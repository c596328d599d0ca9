"""The report of benchmarks/load.py: requests per second, p50/p95/p99 latency, CPU ms and SQL
statements per kind of request, the answers refused by design and the errors."""

from __future__ import annotations

import statistics


def report(tally, users: int) -> None:
    """Print the run's figures (``tally``: benchmarks.load.Tally)."""
    every = [value for values in tally.seconds.values() for value in values]
    print(
        f"{users} people, {tally.elapsed:.0f} s, {len(every)} requests, "
        f"{len(every) / tally.elapsed:.1f} requests per second"
    )
    print(
        f"{'kind':<26} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
        f" {'CPU ms':>7} {'SQL':>5} {'SQL max':>7}"
    )
    for kind, values in sorted(tally.seconds.items()):
        print(f"{kind:<26} {len(values):>6} " + _figures(values, tally.timings.get(kind, [])))
    timings = [timing for values in tally.timings.values() for timing in values]
    print(f"{'all':<26} {len(every):>6} " + _figures(every, timings))
    if tally.refused:
        print(
            "refused by design:", ", ".join(f"{k}: {v}" for k, v in sorted(tally.refused.items()))
        )
    print(f"errors: {len(tally.errors)}")
    for line in tally.errors[:20]:
        print("  ", line)


def _figures(seconds: list[float], timings: list[tuple[float, int]]) -> str:
    """p50/p95/p99 in ms, and the mean CPU ms, mean and most SQL statements per request."""
    text = " ".join(f"{q:>8.0f}" for q in _quantiles(seconds))
    if timings:
        cpu = statistics.fmean(ms for ms, _ in timings)
        queries = [count for _, count in timings]
        text += f" {cpu:>7.1f} {statistics.fmean(queries):>5.1f} {max(queries):>7}"
    return text


def _quantiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) < 2:
        return (values[0] * 1000,) * 3 if values else (0.0, 0.0, 0.0)
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000
