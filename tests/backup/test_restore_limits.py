"""A restore reads the manifest before it unpacks anything: a member larger than the manifest
declares, or larger than the configured cap, is refused while streaming, naming the member,
before anything large is written."""

from __future__ import annotations

from pathlib import Path

from tests.backup.conftest import rewrite_archive
from tests.backup.test_backup import _assert_nothing_written, _backup, _restore

BOMB = 64 * 1024 * 1024  # zeros: a few dozen kilobytes once compressed


def _bytes_written() -> int:
    """Bytes this process has handed to write() so far (Linux)."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("wchar:"):
            return int(line.split()[1])
    raise AssertionError("no wchar in /proc/self/io")


def test_a_member_larger_than_the_manifest_says_is_refused_before_it_is_written(
    app, stored, empty_instance, tmp_path
):
    target, bomb = tmp_path / "sicherung.tar.gz", tmp_path / "bombe.tar.gz"
    assert _backup(app, target).exit_code == 0
    victim = f"files/{stored.path(0)}"
    rewrite_archive(target, bomb, lambda name, data: bytes(BOMB) if name == victim else data)
    assert bomb.stat().st_size < 1024 * 1024

    before = _bytes_written()
    result = _restore(empty_instance, bomb)
    written = _bytes_written() - before

    assert result.exit_code == 1
    assert victim in result.output and "größer als im Manifest angegeben" in result.output
    assert written < 1024 * 1024, written  # nothing of the 64 MB reached the disk
    _assert_nothing_written(empty_instance)


def test_a_member_over_the_configured_cap_is_refused_naming_it(
    app, stored, empty_instance, tmp_path, monkeypatch
):
    target = tmp_path / "sicherung.tar.gz"
    assert _backup(app, target).exit_code == 0
    monkeypatch.setitem(empty_instance.config, "RESTORE_MAX_BYTES", 1000)
    before = _bytes_written()
    result = _restore(empty_instance, target)
    assert _bytes_written() - before < 64 * 1024
    assert result.exit_code == 1
    assert "mehr als erlaubt" in result.output and "SEAL_RESTORE_MAX_BYTES" in result.output
    assert "database/seal_app." in result.output  # the first member, the database copy
    _assert_nothing_written(empty_instance)
