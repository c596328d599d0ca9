"""Retention of the audit log: old entries go, newer ones and the record of a valid seal
stay, and the names of deleted evidence leave the entries that stay."""

from __future__ import annotations

import json
from datetime import timedelta

import sqlalchemy as sa

from seal_app.applications.models import Application
from seal_app.audit.models import AuditEntry
from seal_app.certificates.models import Certificate
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.retention.audit_log import DESCRIPTION_REMOVED, NAME_REMOVED
from tests.certificates.print_setup import round_with_certificates
from tests.conftest import text_of
from tests.retention.setup import PERSON, build, retention_audit, run_retention

YEAR = 365


def _entry(action: str, days_ago: int, school_id: int | None = None, **details) -> AuditEntry:
    entry = AuditEntry(
        occurred_at=utcnow() - timedelta(days=days_ago),
        action=action,
        object_type="-",
        object_id="-",
        school_id=school_id,
        details=details,
    )
    db.session.add(entry)
    return entry


def _actions(app) -> list[tuple[str, int]]:
    """The entries the test made (each with a marker), as (action, marker)."""
    with app.app_context():
        return sorted(
            (entry.action, entry.details["marker"])
            for entry in db.session.scalars(sa.select(AuditEntry))
            if "marker" in entry.details
        )


def test_old_entries_go_newer_ones_and_the_record_of_a_valid_seal_stay(app, make):
    printed = round_with_certificates(app, make, 2)
    with app.app_context():
        valid, ended = db.session.scalars(sa.select(Certificate).order_by(Certificate.number))
        valid.valid_until = utcnow().date() + timedelta(days=YEAR)
        ended.valid_until = utcnow().date() - timedelta(days=5 * YEAR)
        valid_school = db.session.get(Application, valid.application_id).school_id
        ended_school = db.session.get(Application, ended.application_id).school_id
        _entry("school.updated", 11 * YEAR, valid_school, marker=1)
        _entry("school.updated", 9 * YEAR, valid_school, marker=2)
        _entry("user.created", 3651, None, marker=3)
        _entry("user.created", 3640, None, marker=4)
        _entry("decision.released", 11 * YEAR, valid_school, marker=5)
        _entry("certificate.issued", 11 * YEAR, valid_school, marker=6)
        _entry("decision.released", 11 * YEAR, ended_school, marker=7)
        _entry("certificate.issued", 11 * YEAR, ended_school, marker=8)
        db.session.commit()
    assert printed.round_id

    dry = run_retention(app, "--dry-run").output
    assert "Protokoll der Änderungen: 4 Einträge vor dem" in dry

    result = run_retention(app)

    assert "4 Einträge des Protokolls der Änderungen" in result.output, result.output
    assert _actions(app) == [
        ("certificate.issued", 6),
        ("decision.released", 5),
        ("school.updated", 2),
        ("user.created", 4),
    ]
    logged = [entry for entry in retention_audit(app) if entry.action.endswith("audit_log_deleted")]
    assert len(logged) == 1
    assert logged[0].details["count"] == 4 and logged[0].details["period_days"] == 3650
    assert "Nichts ist fällig" in run_retention(app).output  # a second run finds nothing


def test_a_shorter_period_still_keeps_the_record_of_a_valid_seal(app, make, monkeypatch):
    round_with_certificates(app, make, 1)
    monkeypatch.setitem(app.config, "AUDIT_RETENTION_DAYS", 30)
    with app.app_context():
        certificate = db.session.scalar(sa.select(Certificate))
        certificate.valid_until = utcnow().date() + timedelta(days=YEAR)
        school_id = db.session.get(Application, certificate.application_id).school_id
        _entry("certificate.issued", 4 * YEAR, school_id, marker=1)
        _entry("school.updated", 31, school_id, marker=2)
        _entry("school.updated", 29, school_id, marker=3)
        db.session.commit()

    run_retention(app)

    assert _actions(app) == [("certificate.issued", 1), ("school.updated", 3)]


def test_file_names_of_deleted_evidence_leave_the_entries_that_stay(app, make):
    data = build(app, make)
    with app.app_context():
        for application_id in data.due_applications + data.kept_applications:
            school_id = db.session.get(Application, application_id).school_id
            where = {"application_id": application_id, "criterion": "A.1"}
            _entry(
                "evidence.uploaded",
                10,
                school_id,
                **where,
                file=f"Foto {PERSON}.pdf",
                description=f"Projekttag mit {PERSON}",
                sha256="ab" * 32,
                size=1234,
            )
            _entry(
                "evidence.replaced",
                9,
                school_id,
                **where,
                old={"name": f"Foto {PERSON}.pdf", "sha256": "ab" * 32, "size": 1234},
                new={"name": f"Foto {PERSON} neu.pdf", "sha256": "cd" * 32, "size": 99},
            )
            _entry(
                "evidence.described",
                8,
                school_id,
                **where,
                file=f"Foto {PERSON} neu.pdf",
                old=f"mit {PERSON}",
                new=f"Projekttag mit {PERSON}",
            )
            _entry("evidence.deleted", 7, school_id, **where, file=f"{PERSON}.pdf", sha256="ef")
        db.session.commit()

    run_retention(app)

    with app.app_context():
        entries = list(
            db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action.like("evidence.%")))
        )
        assert len(entries) == 4 * 6, "the entries themselves stay"
        for entry in entries:
            text = json.dumps(entry.details, ensure_ascii=False)
            if entry.details["application_id"] in data.due_applications:
                assert PERSON not in text, text
                assert NAME_REMOVED in text
            else:
                assert PERSON in text
        uploaded = next(
            entry.details
            for entry in entries
            if entry.action == "evidence.uploaded"
            and entry.details["application_id"] == data.due_applications[0]
        )
        assert uploaded == {
            "application_id": data.due_applications[0],
            "criterion": "A.1",
            "file": NAME_REMOVED,
            "description": DESCRIPTION_REMOVED,
            "sha256": "ab" * 32,
            "size": 1234,
        }
    deleted = [entry for entry in retention_audit(app) if entry.action.endswith("evidence_deleted")]
    assert [entry.details["names_removed"] for entry in deleted] == [4, 4]
    assert all(PERSON not in json.dumps(e.details) for e in retention_audit(app))


def test_the_privacy_page_names_the_audit_period(client):
    page = text_of(client.get("/datenschutz"))
    assert "Protokoll der Änderungen: jeder Eintrag bis zehn Jahre nach der Änderung" in page


def test_a_broken_audit_setting_is_named(app, make, monkeypatch):
    monkeypatch.setitem(app.config, "AUDIT_RETENTION_DAYS", "lange")
    result = run_retention(app)
    assert result.exit_code == 1
    assert "AUDIT_RETENTION_DAYS muss eine ganze Zahl von 0 bis 36500 sein" in result.output
