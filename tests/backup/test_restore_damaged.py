"""A damaged archive that slips past the sizes and checksums (its manifest rewritten to fit)
is reported as damaged in German, with nothing restored and no traceback: a manifest nested
too deep to read, a database copy that is no database."""

from __future__ import annotations

import hashlib
import json

from tests.backup.conftest import rewrite_archive
from tests.backup.test_backup import _assert_nothing_written, _backup, _restore


def test_a_manifest_nested_too_deep_is_reported_as_damaged(app, stored, empty_instance, tmp_path):
    target, deep = tmp_path / "sicherung.tar.gz", tmp_path / "tief.tar.gz"
    assert _backup(app, target).exit_code == 0
    rewrite_archive(
        target, deep, lambda name, data: b"[" * 100_000 if name == "manifest.json" else data
    )
    result = _restore(empty_instance, deep)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Das Archiv ist beschädigt" in result.output and "manifest.json" in result.output
    assert "Traceback" not in result.output and "RecursionError" not in result.output
    _assert_nothing_written(empty_instance)


def test_a_database_copy_that_is_no_database_is_reported_as_damaged(
    app, stored, empty_instance, tmp_path
):
    target, forged = tmp_path / "sicherung.tar.gz", tmp_path / "keine-datenbank.tar.gz"
    assert _backup(app, target).exit_code == 0
    garbage = b"Dies ist keine Datenbank.\n" * 200
    member = {}

    def change(name: str, data: bytes) -> bytes:
        if name.startswith("database/"):
            member["name"] = name
            return garbage
        if name == "manifest.json":
            manifest = json.loads(data)
            entry = manifest["members"][manifest["database"]["member"]]
            entry.update(size=len(garbage), sha256=hashlib.sha256(garbage).hexdigest())
            return json.dumps(manifest).encode()
        return data

    rewrite_archive(target, forged, change)
    result = _restore(empty_instance, forged)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Es wurde nichts verändert." in result.output or "pg_restore" in result.output
    assert "Traceback" not in result.output
    _assert_nothing_written(empty_instance)
