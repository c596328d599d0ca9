"""What the page benchmarks share: counting the SQL statements a request sends."""

from __future__ import annotations

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
