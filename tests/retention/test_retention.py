"""Data retention: ``flask seal retention [--dry-run]``, the weekly task and the periods on
the Datenschutzerklärung."""

from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa

from seal_app.accounts.models import AccessRequest
from seal_app.applications.models import Application, EvidenceFile, Receipt, Vote
from seal_app.audit.models import AuditEntry
from seal_app.auth.models import Role, SecurityEvent
from seal_app.certificates.models import Certificate
from seal_app.extensions import db
from seal_app.local_time import months_later
from seal_app.retention import apply
from seal_app.uploads.store import path_of
from tests.conftest import login, text_of
from tests.retention.setup import PERSON, build, retention_audit, run_retention


def _counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            model.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (
                Application,
                EvidenceFile,
                Vote,
                Receipt,
                Certificate,
                AccessRequest,
                SecurityEvent,
                AuditEntry,
            )
        }


def test_dry_run_lists_what_is_due_and_deletes_nothing(app, make):
    data = build(app, make)
    before = _counts(app)

    result = run_retention(app, "--dry-run")

    assert result.exit_code == 0, result.output
    out = result.output
    assert "Probelauf" in out and "Es wird nichts gelöscht" in out
    for application_id in data.due_applications:
        assert f"Antrag {application_id} " in out
    for application_id in data.kept_applications:
        assert f"Antrag {application_id} " not in out
    assert out.count("3 Dateien") == 2
    assert "Siegel gültig bis" in out and "nicht verliehen am" in out
    assert f"Zugangsanfrage {data.due_request} (Schulnummer 80000)" in out
    for request_id in data.kept_requests:
        assert f"Zugangsanfrage {request_id} " not in out
    assert "Sicherheitsprotokoll: 2 Einträge vor dem" in out
    assert PERSON not in out and "mustermann" not in out
    assert _counts(app) == before
    with app.app_context():
        assert all(path_of(name).exists() for name in data.due_files)


def test_run_deletes_exactly_what_is_due_and_logs_it_without_content(app, make):
    data = build(app, make)
    before = _counts(app)

    result = run_retention(app)

    assert result.exit_code == 0, result.output
    assert "Gelöscht: 6 Nachweise" in result.output
    assert "2 Voten aus 2 Anträgen" in result.output
    assert "1 abgelehnte Zugangsanfrage" in result.output
    assert "2 Einträge des Sicherheitsprotokolls" in result.output
    after = _counts(app)
    assert after["evidence_files"] == before["evidence_files"] - 6
    assert after["votes"] == before["votes"] - 2
    assert after["access_requests"] == before["access_requests"] - 1
    assert after["security_events"] == before["security_events"] - 2
    # the record of the procedure stays
    for table in ("applications", "receipts", "certificates"):
        assert after[table] == before[table], table
    with app.app_context():
        assert not any(path_of(name).exists() for name in data.due_files)
        assert all(path_of(name).exists() for name in data.kept_files)
        assert all(path_of(name).exists() for name in data.certificate_files)
        assert all(path_of(name).exists() for name in data.receipt_files)
        remaining = set(db.session.scalars(sa.select(EvidenceFile.stored_name)))
        assert remaining == set(data.kept_files)
        assert db.session.get(AccessRequest, data.due_request) is None
        assert all(db.session.get(AccessRequest, i) for i in data.kept_requests)
        kept_votes = set(db.session.scalars(sa.select(Vote.application_id)))
        assert kept_votes == set(data.kept_applications)

    entries = retention_audit(app)
    assert [entry.action for entry in entries] == [
        "retention.evidence_deleted",
        "retention.evidence_deleted",
        "retention.access_request_deleted",
        "retention.security_log_deleted",
    ]
    assert [int(entry.object_id) for entry in entries[:2]] == data.due_applications
    assert entries[0].details == {
        "count": 3,
        "size": entries[0].details["size"],
        "votes": 1,
        "basis": "seal_ended",
        "period_months": 12,
        "names_removed": 0,
    }
    assert entries[1].details["basis"] == "not_awarded"
    assert entries[2].object_id == str(data.due_request)
    assert entries[3].details["count"] == 2
    logged = json.dumps([entry.details for entry in entries])
    for secret in (PERSON, "Mustermann", "mustermann", "Foto", "Projekttag", "Lehrkraft"):
        assert secret not in logged
    assert not any(name in logged for name in data.due_files)

    again = run_retention(app)
    assert again.exit_code == 0
    assert "Nichts ist fällig" in again.output
    assert _counts(app) == after
    assert "Nichts ist fällig." in run_retention(app, "--dry-run").output


def test_audit_log_names_the_deletions_in_german(app, make, client):
    build(app, make)
    run_retention(app)
    office = make.user(Role.OFFICE)
    login(client, office)
    page = text_of(client.get("/office/audit/"))
    assert "Nachweise nach Ablauf der Aufbewahrungsfrist gelöscht" in page
    assert "Gültigkeit des Siegels beendet" in page
    assert "Abgelehnte Zugangsanfrage nach Fristablauf gelöscht" in page
    assert "Alte Einträge des Sicherheitsprotokolls gelöscht" in page
    assert "Aufbewahrungsfrist (Monate)" in page


def test_a_failed_run_keeps_every_row_and_file(app, make, monkeypatch):
    data = build(app, make)
    before = _counts(app)

    def broken(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(apply, "delete_security_events", broken)
    with app.app_context(), pytest.raises(RuntimeError):
        apply.delete_due()
    assert _counts(app) == before
    with app.app_context():
        assert all(path_of(name).exists() for name in data.due_files)


def test_a_broken_setting_is_named_and_nothing_is_deleted(app, make, monkeypatch):
    build(app, make)
    before = _counts(app)
    monkeypatch.setitem(app.config, "RETENTION_SECURITY_LOG_DAYS", "viel")
    for args in ((), ("--dry-run",)):
        result = run_retention(app, *args)
        assert result.exit_code == 1
        assert "RETENTION_SECURITY_LOG_DAYS" in result.output
        assert "ganze Zahl" in result.output
    monkeypatch.setitem(app.config, "RETENTION_SECURITY_LOG_DAYS", -1)
    assert run_retention(app).exit_code == 1
    assert _counts(app) == before


def test_shorter_periods_make_more_due(app, make, monkeypatch):
    data = build(app, make)
    monkeypatch.setitem(app.config, "RETENTION_EVIDENCE_AFTER_SEAL_MONTHS", 0)
    monkeypatch.setitem(app.config, "RETENTION_SECURITY_LOG_DAYS", 0)
    with app.app_context():
        due = apply.due_today()
    expired_recently, still_valid = data.kept_applications[:2]
    ids = [item.application_id for item in due.evidence]
    assert expired_recently in ids  # its seal ended a month ago: due at once
    assert still_valid not in ids  # never while the certificate is valid
    assert due.security_events == 3


def test_weekly_task_does_nothing_unless_enabled(app, make, monkeypatch):
    build(app, make)
    before = _counts(app)
    names = list(app.extensions["huey"]._registry._registry)
    assert any(name.endswith("retention.apply.weekly_retention") for name in names)
    with app.app_context():
        apply.weekly_retention()
    assert _counts(app) == before
    monkeypatch.setitem(app.config, "RETENTION_ENABLED", True)
    with app.app_context():
        apply.weekly_retention()
    assert _counts(app)["evidence_files"] == before["evidence_files"] - 6
    assert len(retention_audit(app)) == 4


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2028, 3, 31), 1, date(2028, 2, 29)),
        (date(2026, 1, 15), 13, date(2024, 12, 15)),
        (date(2026, 11, 26), 0, date(2026, 11, 26)),
    ],
)
def test_months_before(day, months, expected):
    assert months_later(day, -months) == expected


def test_privacy_page_shows_the_configured_periods(app, client, monkeypatch):
    page = text_of(client.get("/datenschutz"))
    assert "bis ein Jahr nach dem Ende der Gültigkeit des Siegels" in page
    assert "bis ein Jahr nach der Entscheidung" in page
    assert "Abgelehnte Zugangsanfragen: bis 90 Tage nach der Ablehnung" in page
    assert "Sicherheitsprotokoll: jeder Eintrag bis 90 Tage nach" in page

    for name, value in (
        ("RETENTION_EVIDENCE_AFTER_SEAL_MONTHS", 18),
        ("RETENTION_EVIDENCE_AFTER_REFUSAL_MONTHS", 6),
        ("RETENTION_DECLINED_REQUESTS_DAYS", 1),
        ("RETENTION_SECURITY_LOG_DAYS", 7),
    ):
        monkeypatch.setitem(app.config, name, value)
    page = text_of(client.get("/datenschutz"))
    assert "bis 18 Monate nach dem Ende der Gültigkeit des Siegels" in page
    assert "bis sechs Monate nach der Entscheidung" in page
    assert "bis einen Tag nach der Ablehnung" in page
    assert "bis sieben Tage nach der Anmeldung" in page

    monkeypatch.setitem(app.config, "RETENTION_SECURITY_LOG_DAYS", None)
    response = client.get("/datenschutz")
    assert response.status_code == 200
    assert "sobald das Siegel nicht mehr gilt" in text_of(response)
