"""Backup, restore and the check of stored files, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import sqlalchemy as sa

from seal_app.extensions import db
from tests.backup.conftest import files_of, rewrite_archive, table_rows


def _backup(app, target: Path):
    return app.test_cli_runner().invoke(args=["seal", "backup", "--out", str(target)])


def _restore(flask_app, archive: Path):
    return flask_app.test_cli_runner().invoke(args=["seal", "restore", str(archive)])


def _kind(app) -> str:
    with app.app_context():
        return db.engine.dialect.name


def _tables_in(flask_app) -> set[str]:
    with flask_app.app_context():
        names = set(sa.inspect(db.engine).get_table_names())
        db.engine.dispose()
    return names


def test_backup_writes_one_archive_with_manifest(app, stored, tmp_path):
    target = tmp_path / "sicherung.tar.gz"
    result = _backup(app, target)
    assert result.exit_code == 0, result.output
    assert "Sicherung geschrieben" in result.output
    assert "4 Dateien" in result.output
    assert not target.with_name("sicherung.tar.gz.part").exists()
    with tarfile.open(target, "r:gz") as archive:
        names = archive.getnames()
        manifest = json.loads(archive.extractfile("manifest.json").read())
        members = {
            name: archive.extractfile(name).read() for name in names if name != "manifest.json"
        }
    kind = _kind(app)
    assert manifest["database"]["kind"] == kind
    assert "alembic_revision" in manifest["database"]
    assert manifest["created_at"]
    database_member = manifest["database"]["member"]
    assert database_member in members
    assert set(members) == {database_member, *(f"files/{name}" for name in stored.files)}
    for name, data in stored.files.items():
        assert members[f"files/{name}"] == data
    for name, data in members.items():
        assert manifest["members"][name] == {
            "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data),
        }


def test_backup_then_restore_gives_same_rows_and_identical_files(
    app, stored, empty_instance, tmp_path, upload_dir
):
    target = tmp_path / "sicherung.tar.gz"
    assert _backup(app, target).exit_code == 0
    result = _restore(empty_instance, target)
    assert result.exit_code == 0, result.output
    assert "Wiederhergestellt" in result.output
    assert "4 Dateien" in result.output
    before, after = table_rows(app), table_rows(empty_instance)
    assert sum(len(rows) for rows in after.values()) > 0
    assert after == before
    restored_uploads = Path(empty_instance.config["UPLOAD_DIR"])
    assert files_of(restored_uploads) == stored.files == files_of(upload_dir)
    check = empty_instance.test_cli_runner().invoke(args=["seal", "check-files"])
    assert check.exit_code == 0, check.output
    assert "alle 4 Dateien in Ordnung" in check.output


def test_restore_refuses_a_non_empty_database(app, stored, tmp_path, upload_dir):
    target = tmp_path / "sicherung.tar.gz"
    assert _backup(app, target).exit_code == 0
    rows = table_rows(app)
    for path in upload_dir.rglob("*"):
        if path.is_file():
            path.unlink()  # even with an empty upload folder: the database holds rows
    result = _restore(app, target)
    assert result.exit_code == 1
    assert "Die Datenbank ist nicht leer" in result.output
    assert "es wurde nichts verändert" in result.output
    assert table_rows(app) == rows
    assert files_of(upload_dir) == {}


def test_restore_into_an_empty_schema(app, stored, empty_instance, tmp_path):
    """Tables without rows (no schema version recorded) count as empty and are replaced."""
    with empty_instance.app_context():
        db.create_all()
        db.session.remove()
        db.engine.dispose()
    target = tmp_path / "sicherung.tar.gz"
    assert _backup(app, target).exit_code == 0
    result = _restore(empty_instance, target)
    assert result.exit_code == 0, result.output
    assert table_rows(empty_instance) == table_rows(app)


def test_restore_refuses_a_database_with_a_schema_version(app, stored, empty_instance, tmp_path):
    with empty_instance.app_context():
        with db.engine.begin() as connection:
            connection.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
            connection.execute(sa.text("INSERT INTO alembic_version VALUES ('abc123')"))
        db.engine.dispose()
    target = tmp_path / "sicherung.tar.gz"
    assert _backup(app, target).exit_code == 0
    result = _restore(empty_instance, target)
    assert result.exit_code == 1
    assert "Die Datenbank ist nicht leer" in result.output
    assert "alembic_version" in result.output
    assert _tables_in(empty_instance) == {"alembic_version"}


def test_restore_refuses_a_non_empty_upload_folder(app, stored, empty_instance, tmp_path):
    target = tmp_path / "sicherung.tar.gz"
    assert _backup(app, target).exit_code == 0
    restored_uploads = Path(empty_instance.config["UPLOAD_DIR"])
    (restored_uploads / "notiz.txt").write_bytes(b"schon da")
    result = _restore(empty_instance, target)
    assert result.exit_code == 1
    assert "Der Upload-Ordner" in result.output and "ist nicht leer" in result.output
    assert files_of(restored_uploads) == {"notiz.txt": b"schon da"}
    assert not _tables_in(empty_instance) & {"users", "schools"}


def _assert_nothing_written(empty_instance) -> None:
    restored_uploads = Path(empty_instance.config["UPLOAD_DIR"])
    assert files_of(restored_uploads) == {}
    assert not _tables_in(empty_instance)
    staging = [p.name for p in restored_uploads.parent.iterdir() if p.name.startswith(".seal-")]
    assert staging == []


def test_archive_with_an_altered_file_is_refused_naming_it(app, stored, empty_instance, tmp_path):
    target, altered = tmp_path / "sicherung.tar.gz", tmp_path / "verändert.tar.gz"
    assert _backup(app, target).exit_code == 0
    victim = f"files/{stored.path(1)}"

    def flip_one_byte(name: str, data: bytes) -> bytes:
        if name != victim:
            return data
        return bytes([data[0] ^ 1]) + data[1:]

    rewrite_archive(target, altered, flip_one_byte)
    result = _restore(empty_instance, altered)
    assert result.exit_code == 1
    assert victim in result.output
    assert "verändert" in result.output
    _assert_nothing_written(empty_instance)


def test_archive_with_a_missing_file_is_refused_naming_it(app, stored, empty_instance, tmp_path):
    target, shortened = tmp_path / "sicherung.tar.gz", tmp_path / "gekürzt.tar.gz"
    assert _backup(app, target).exit_code == 0
    victim = f"files/{stored.path(2)}"
    rewrite_archive(target, shortened, lambda name, data: None if name == victim else data)
    result = _restore(empty_instance, shortened)
    assert result.exit_code == 1
    assert f"Im Archiv fehlt die Datei {victim}" in result.output
    _assert_nothing_written(empty_instance)


def test_archive_of_the_other_database_kind_is_refused(app, stored, empty_instance, tmp_path):
    target, other = tmp_path / "sicherung.tar.gz", tmp_path / "andere.tar.gz"
    assert _backup(app, target).exit_code == 0
    names = {"sqlite": "database/seal_app.sqlite", "postgresql": "database/seal_app.pgdump"}
    kind = _kind(app)
    other_kind = "postgresql" if kind == "sqlite" else "sqlite"

    def pretend_other_kind(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["database"].update(kind=other_kind, member=names[other_kind])
        manifest["members"][names[other_kind]] = manifest["members"].pop(names[kind])
        return json.dumps(manifest).encode()

    with tarfile.open(target, "r:gz") as original, tarfile.open(other, "w:gz") as copy:
        for info in original:
            data = pretend_other_kind(info.name, original.extractfile(info).read())
            info.name = names[other_kind] if info.name == names[kind] else info.name
            info.size = len(data)
            copy.addfile(info, io.BytesIO(data))
    result = _restore(empty_instance, other)
    assert result.exit_code == 1
    label = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    assert f"Das Archiv enthält eine {label[other_kind]}-Datenbank" in result.output
    assert f"eingerichtet ist aber {label[kind]}" in result.output
    _assert_nothing_written(empty_instance)


def test_restore_refuses_a_file_that_is_no_archive(empty_instance, tmp_path):
    junk = tmp_path / "kein-archiv.tar.gz"
    junk.write_bytes(b"Das ist keine Sicherung.")
    result = _restore(empty_instance, junk)
    assert result.exit_code == 1
    assert "Das Archiv ist beschädigt oder keine Sicherung dieser Anwendung" in result.output
    _assert_nothing_written(empty_instance)


def test_restore_refuses_an_unexpected_member(app, stored, empty_instance, tmp_path):
    target, hostile = tmp_path / "sicherung.tar.gz", tmp_path / "fremd.tar.gz"
    assert _backup(app, target).exit_code == 0
    with tarfile.open(target, "r:gz") as original, tarfile.open(hostile, "w:gz") as copy:
        for info in original:
            copy.addfile(info, original.extractfile(info))
        info = tarfile.TarInfo("../../ausbruch.txt")
        info.size = 4
        copy.addfile(info, io.BytesIO(b"raus"))
    result = _restore(empty_instance, hostile)
    assert result.exit_code == 1
    assert "unerwarteter Eintrag ../../ausbruch.txt" in result.output
    assert not (tmp_path.parent / "ausbruch.txt").exists()
    _assert_nothing_written(empty_instance)


def test_backup_into_a_missing_folder_is_refused(app, stored, tmp_path):
    result = _backup(app, tmp_path / "gibt-es-nicht" / "sicherung.tar.gz")
    assert result.exit_code == 1
    assert "Den Ordner" in result.output and "gibt es nicht" in result.output


def test_backup_names_a_missing_stored_file_and_still_writes(app, stored, tmp_path, upload_dir):
    (upload_dir / stored.path(0)).unlink()
    target = tmp_path / "sicherung.tar.gz"
    result = _backup(app, target)
    assert result.exit_code == 1
    assert f"Fehlt: {stored.path(0)}" in result.output
    assert "3 Dateien" in result.output
    assert target.exists()


def test_check_files_all_in_order(app, stored):
    result = app.test_cli_runner().invoke(args=["seal", "check-files"])
    assert result.exit_code == 0, result.output
    assert "alle 4 Dateien in Ordnung" in result.output


def test_check_files_finds_missing_altered_and_orphaned(app, stored, upload_dir):
    missing, altered = stored.path(0), stored.path(1)
    (upload_dir / missing).unlink()
    (upload_dir / altered).write_bytes(b"manipuliert")
    (upload_dir / "ff").mkdir(exist_ok=True)
    orphan = "ff/" + "f" * 32
    (upload_dir / orphan).write_bytes(b"niemandes Datei")
    result = app.test_cli_runner().invoke(args=["seal", "check-files"])
    assert result.exit_code == 1
    assert f"Fehlt: {missing}" in result.output
    assert f"Verändert (Prüfsumme passt nicht): {altered}" in result.output
    assert f"Verwaist (von keinem Datensatz genutzt): {orphan}" in result.output
    assert "4 Dateien geprüft: 1 fehlen, 1 verändert, 1 verwaist." in result.output
    assert "in Ordnung" not in result.output


def test_backup_refuses_a_target_that_is_no_plain_file_or_lies_among_the_stored_files(
    app, stored, tmp_path, upload_dir
):
    device = _backup(app, Path("/dev/null"))
    assert device.exit_code == 1 and "keine gewöhnliche Datei" in device.output
    assert Path("/dev/null").is_char_device()
    inside = _backup(app, upload_dir / "sicherung.tar.gz")
    assert (
        inside.exit_code == 1 and "nicht in den Ordner der gespeicherten Dateien" in inside.output
    )
    assert not (upload_dir / "sicherung.tar.gz").exists()


def test_restore_refuses_a_database_holding_other_data(app, stored, empty_instance, tmp_path):
    """Whatever holds rows is kept: a restore replaces the whole database."""
    target = tmp_path / "sicherung.tar.gz"
    assert _backup(app, target).exit_code == 0
    with empty_instance.app_context():
        with db.engine.begin() as connection:
            connection.execute(sa.text("create table notizen (text varchar(20))"))
            connection.execute(sa.text("insert into notizen values ('wichtig')"))
        db.engine.dispose()
    result = _restore(empty_instance, target)
    assert result.exit_code == 1 and "Die Datenbank ist nicht leer" in result.output
    assert "notizen" in result.output
    with empty_instance.app_context():
        assert db.session.execute(sa.text("select text from notizen")).scalar() == "wichtig"
