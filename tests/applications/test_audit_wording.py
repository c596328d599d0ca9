"""What the office reads in the audit log about a school's application: only what changed,
named in the office's words, each entry about the right thing."""

from __future__ import annotations

import sqlalchemy as sa

from seal_app.audit.models import AuditEntry
from seal_app.extensions import db
from tests.applications import samples
from tests.applications.conftest import criterion_data, load, post_criterion, upload
from tests.applications.test_journey import _complete_everything
from tests.conftest import login, text_of


def _entries(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        entries = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        ).all()
        db.session.expunge_all()
        return list(entries)


def _office_log(app, setup) -> tuple[str, str]:
    client = app.test_client()
    login(client, setup.office)
    response = client.get("/office/audit/")
    return text_of(response), response.get_data(as_text=True)


def test_first_save_records_only_fields_that_got_a_value(app, setup, staff_client, application_id):
    data = criterion_data(rating="2", measures="Krisenteam")
    data.update(since="", participants="", partners="")
    assert post_criterion(staff_client, application_id, "A.1", data).status_code == 302
    [saved] = _entries(app, "answer.saved")
    assert saved.details["changes"] == {
        "self_rating": {"old": None, "new": 2},
        "measures": {"old": None, "new": "Krisenteam"},
    }
    assert "carried_over_confirmed" not in saved.details
    page, _html = _office_log(app, setup)
    assert "Selbsteinschätzung: (leer) → Stufe 2" in page
    assert "Ihre Selbsteinschätzung" not in page
    assert "(leer) → (leer)" not in page
    assert "Übernommene Angaben bestätigt" not in page


def test_vote_documents_are_logged_as_such(app, setup, staff_client, application_id):
    staff_client.post(
        f"/applications/{application_id}/votes",
        data={
            "school_conference-decided_on": "2026-03-12",
            "school_conference-document": upload(samples.pdf("KPR"), "Beschluss.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert _entries(app, "evidence.uploaded") == []
    [uploaded] = _entries(app, "vote.document_uploaded")
    assert "criterion" not in uploaded.details
    page, html = _office_log(app, setup)
    assert "Dokument zu einem Votum hochgeladen" in page
    assert "Kriterium: (leer)" not in page
    assert f'href="/applications/{application_id}/votes">Dokument „Beschluss.pdf“</a>' in html


def test_a_deleted_file_names_its_criterion(app, setup, staff_client, application_id):
    post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(file_1=upload(samples.pdf(), "Krisenplan.pdf"), description_1="Plan"),
    )
    file_id = load(app, application_id).files[0].id
    staff_client.post(f"/applications/{application_id}/files/{file_id}/delete")
    [deleted] = _entries(app, "evidence.deleted")
    assert deleted.object_type == "criterion_answers"
    assert deleted.details["criterion"] == "A.1"
    page, html = _office_log(app, setup)
    criterion_link = f'href="/applications/{application_id}/criteria/A.1">Kriterium A.1</a>'
    assert criterion_link in html
    assert "Datei: Krisenplan.pdf" in page


def test_submission_names_the_receipt_checksum_in_german(app, setup, staff_client, application_id):
    _complete_everything(staff_client, application_id)
    staff_client.post(f"/applications/{application_id}/submit")
    [submitted] = _entries(app, "application.submitted")
    page, _html = _office_log(app, setup)
    checksum = submitted.details["receipt_sha256"]
    assert f"Prüfsumme der Eingangsbestätigung (SHA-256): {checksum}" in page
    assert "receipt_sha256" not in page
