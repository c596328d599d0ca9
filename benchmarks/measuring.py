"""What the benchmarks share: counting the SQL statements a request sends, and running one
measurement in a fresh process."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa


@contextmanager
def counting_statements(engine: sa.Engine) -> Iterator[dict[str, int]]:
    """Counts every statement sent to ``engine`` while the block runs."""
    counter = {"statements": 0}

    def count(*_args) -> None:
        counter["statements"] += 1

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield counter
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def statements_for(client, engine: sa.Engine, path: str) -> int:
    """The SQL statements one GET of ``path`` sends."""
    with counting_statements(engine) as counter:
        assert client.get(path).status_code == 200
    return counter["statements"]


def in_fresh_process(script: str, *args: str) -> dict:
    """Run ``script --one ARGS`` in a new interpreter and read the JSON it prints last, so
    that figures such as peak memory of one run do not mix with another's."""
    output = subprocess.run(
        [sys.executable, script, "--one", *args], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def counts_or_one_run(description: str, run) -> list[int] | None:
    """The command line of a fresh-process benchmark: ``--counts`` to measure (returned), or
    the hidden ``--one KIND N`` of ``in_fresh_process``, which prints ``run(KIND, N)`` as JSON
    and returns None."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--counts", type=int, nargs="+", default=[60, 600])
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.one:
        kind, count = arguments.one
        print(json.dumps(run(kind, int(count))))
        return None
    return arguments.counts
