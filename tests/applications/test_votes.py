"""The votes page: one form saves every vote filled in; nothing typed or chosen is lost."""

from __future__ import annotations

import re
from datetime import date, timedelta

import sqlalchemy as sa

from seal_app.audit.models import AuditEntry
from seal_app.auth.models import User
from seal_app.extensions import db
from seal_app.reviews.models import Assignment, ConflictState
from tests.applications import samples
from tests.applications.conftest import load, upload
from tests.applications.test_journey import _complete_everything
from tests.conftest import login, text_of

KINDS = ("school_conference", "school_authority", "prevention_council")
LABELS = {
    "school_conference": "Beschluss der Schulkonferenz",
    "school_authority": "Zustimmung des Staatlichen Schulamts",
    "prevention_council": "Votum des Kommunalen Präventionsrats",
}
INSTRUCTIONS = "Vor dem Einreichen brauchen Sie alle drei"


def _post(client, application_id: int, data: dict):
    return client.post(
        f"/applications/{application_id}/votes", data=data, content_type="multipart/form-data"
    )


def _all_three() -> dict:
    data = {}
    for number, kind in enumerate(KINDS, start=1):
        data[f"{kind}-decided_on"] = (date(2026, 3, 10) + timedelta(days=number)).isoformat()
        data[f"{kind}-document"] = upload(samples.pdf(kind), f"{kind}.pdf")
    return data


def _documents(application) -> dict[str, str]:
    names = {file.id: file.display_name for file in application.files}
    return {vote.kind.value: names[vote.document_id] for vote in application.votes}


def _vote_audits(app) -> list[dict]:
    with app.app_context():
        entries = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "vote.saved").order_by(AuditEntry.id)
        )
        return [entry.details for entry in entries]


def _kept_id(html: str, kind: str) -> str:
    match = re.search(rf'name="{kind}-kept"[^>]*value="(\d+)"', html) or re.search(
        rf'value="(\d+)"[^>]*name="{kind}-kept"', html
    )
    assert match, f"no kept document for {kind}"
    return match.group(1)


def test_one_press_saves_all_three_votes(app, staff_client, application_id):
    response = _post(staff_client, application_id, _all_three())
    assert response.status_code == 302
    page = text_of(staff_client.get(response.headers["Location"]))
    for label in LABELS.values():
        assert f"{label} ist gespeichert." in page
    application = load(app, application_id)
    saved = {vote.kind.value: vote.decided_on for vote in application.votes}
    assert saved == {
        "school_conference": date(2026, 3, 11),
        "school_authority": date(2026, 3, 12),
        "prevention_council": date(2026, 3, 13),
    }
    assert _documents(application) == {kind: f"{kind}.pdf" for kind in KINDS}
    assert not any(file.staged for file in application.files)
    assert [entry["kind"] for entry in _vote_audits(app)] == list(KINDS)


def test_a_refused_document_saves_nothing_and_keeps_everything_else(
    app, staff_client, application_id
):
    data = _all_three()
    data["school_authority-document"] = upload(b"MZ not a document at all", "Zustimmung.exe")
    refused = _post(staff_client, application_id, data)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert load(app, application_id).votes == []  # all or nothing: one press, one outcome
    # the refused file is named at its field, in the summary with its vote
    assert (
        "Zustimmung des Staatlichen Schulamts – Dokument (PDF, JPEG, PNG, ODT oder DOCX):"
        in text_of(refused)
    )
    assert 'href="#school_authority-document"' in html
    # every typed date is still in its field
    for kind in KINDS:
        assert re.search(rf'id="{kind}-decided_on"[^>]*value="{data[f"{kind}-decided_on"]}"', html)
    # the accepted documents are kept and shown; they need not be chosen again
    assert text_of(refused).count("Schon hochgeladen, wird mit dem Speichern übernommen:") == 2
    assert "school_conference.pdf" in text_of(refused)
    retry = {
        "school_conference-decided_on": data["school_conference-decided_on"],
        "school_conference-kept": _kept_id(html, "school_conference"),
        "school_authority-decided_on": data["school_authority-decided_on"],
        "school_authority-document": upload(samples.pdf("Schulamt"), "Zustimmung.pdf"),
        "prevention_council-decided_on": data["prevention_council-decided_on"],
        "prevention_council-kept": _kept_id(html, "prevention_council"),
    }
    assert _post(staff_client, application_id, retry).status_code == 302
    application = load(app, application_id)
    assert _documents(application) == {
        "school_conference": "school_conference.pdf",
        "school_authority": "Zustimmung.pdf",
        "prevention_council": "prevention_council.pdf",
    }
    assert not any(file.staged for file in application.files)
    assert len(_vote_audits(app)) == 3


def test_a_saved_vote_changes_its_date_without_a_new_document(app, staff_client, application_id):
    staff_client.get(_post(staff_client, application_id, _all_three()).headers["Location"])
    document_before = {v.kind: v.document_id for v in load(app, application_id).votes}
    data = {f"{kind}-decided_on": f"2026-03-1{number}" for number, kind in enumerate(KINDS, 1)}
    data["school_authority-decided_on"] = "2026-02-01"
    response = _post(staff_client, application_id, data)
    assert response.status_code == 302
    page = text_of(staff_client.get(response.headers["Location"]))
    assert "Zustimmung des Staatlichen Schulamts ist gespeichert." in page
    assert "Beschluss der Schulkonferenz ist gespeichert." not in page  # unchanged
    application = load(app, application_id)
    changed = next(v for v in application.votes if v.kind.value == "school_authority")
    assert changed.decided_on == date(2026, 2, 1)
    assert {v.kind: v.document_id for v in application.votes} == document_before
    assert _vote_audits(app)[-1] == {
        "application_id": application_id,
        "kind": "school_authority",
        "decided_on": "2026-02-01",
    }


def test_a_new_vote_needs_a_document_and_a_date_not_in_the_future(staff_client, application_id):
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    response = _post(
        staff_client,
        application_id,
        {
            "school_conference-decided_on": "2026-03-01",
            "prevention_council-decided_on": tomorrow,
            "prevention_council-document": upload(samples.pdf(), "KPR.pdf"),
        },
    )
    text = text_of(response)
    assert (
        "Beschluss der Schulkonferenz – Dokument (PDF, JPEG, PNG, ODT oder DOCX): "
        "Bitte laden Sie das" in text
    )
    assert "Votum des Kommunalen Präventionsrats – Datum: Das Datum darf nicht in der Zukunft" in (
        text
    )


def test_office_and_assessor_see_the_votes_read_only_with_their_own_words(
    app, setup, staff_client, application_id
):
    _post(staff_client, application_id, _all_three())
    school_page = text_of(staff_client.get(f"/applications/{application_id}/votes"))
    assert INSTRUCTIONS in school_page
    with app.app_context():
        assessor = db.session.scalar(sa.select(User).where(User.email == setup.assessor))
        db.session.add(
            Assignment(
                application_id=application_id,
                assessor_id=assessor.id,
                conflict_state=ConflictState.NONE,
            )
        )
        db.session.commit()
    for email in (setup.office, setup.assessor):
        reader = app.test_client()
        login(reader, email)
        response = reader.get(f"/applications/{application_id}/votes")
        html, text = response.get_data(as_text=True), text_of(response)
        assert INSTRUCTIONS not in text
        assert "Hier sehen Sie, was die Schule erfasst hat; ändern kann es nur die Schule." in text
        assert "<form" not in html.split('<main id="content"', 1)[1]
        for label in LABELS.values():
            assert label in text
        assert "11. März 2026" in text


def test_pressing_save_with_nothing_new_says_so(app, staff_client, application_id):
    response = _post(staff_client, application_id, {})
    assert response.status_code == 302
    assert "Es gab nichts Neues zu speichern." in text_of(
        staff_client.get(response.headers["Location"])
    )
    assert _vote_audits(app) == []


def test_choosing_another_file_after_a_failed_save_replaces_the_kept_one(
    app, staff_client, application_id
):
    first = _post(
        staff_client,
        application_id,
        {"school_conference-document": upload(samples.pdf("alt"), "alt.pdf")},
    )
    assert "Bitte geben Sie das Datum an." in text_of(first)
    kept = _kept_id(first.get_data(as_text=True), "school_conference")
    second = _post(
        staff_client,
        application_id,
        {
            "school_conference-decided_on": "2026-03-12",
            "school_conference-kept": kept,
            "school_conference-document": upload(samples.pdf("neu"), "neu.pdf"),
        },
    )
    assert second.status_code == 302
    application = load(app, application_id)
    assert [file.display_name for file in application.files] == ["neu.pdf"]
    assert _documents(application) == {"school_conference": "neu.pdf"}


def test_after_submission_the_school_reads_the_votes_without_a_form(staff_client, application_id):
    _complete_everything(staff_client, application_id)
    staff_client.post(f"/applications/{application_id}/submit")
    response = staff_client.get(f"/applications/{application_id}/votes")
    text = text_of(response)
    assert "Ihr Antrag ist eingereicht. Die Voten und Zustimmungen gehören dazu" in text
    assert INSTRUCTIONS not in text
    assert "<form" not in response.get_data(as_text=True).split('<main id="content"', 1)[1]
    refused = _post(staff_client, application_id, _all_three())
    assert "kann nicht mehr geändert werden" in text_of(
        staff_client.get(refused.headers["Location"])
    )


def test_a_broken_file_without_a_date_shows_both_errors_at_once(staff_client, application_id):
    response = _post(
        staff_client,
        application_id,
        {"school_authority-document": upload(b"MZ not a document at all", "Zustimmung.exe")},
    )
    assert response.status_code == 200
    summary = text_of(response).split("Bitte korrigieren Sie die folgenden Angaben:", 1)[1]
    assert "Zustimmung des Staatlichen Schulamts – Datum: Bitte geben Sie das Datum an." in summary
    assert "Zustimmung des Staatlichen Schulamts – Dokument (PDF, JPEG, PNG, ODT oder DOCX):" in (
        summary
    )


def test_votes_page_words_match_what_happens(staff_client, application_id):
    page = text_of(staff_client.get(f"/applications/{application_id}/votes"))
    assert "Die Geschäftsstelle informiert den Schulträger." in page
    assert "Der Schulträger wird informiert." not in page
    assert page.count("Dokument (PDF, JPEG, PNG, ODT oder DOCX)") == 3
    kept = _post(
        staff_client,
        application_id,
        {"school_conference-document": upload(samples.pdf("alt"), "Beschluss.pdf")},
    )
    html = kept.get_data(as_text=True)
    section = html[
        html.index('id="vote-school_conference"') : html.index('id="vote-school_authority"')
    ]
    assert "Noch nicht gespeichert." in section
    assert "Noch nicht erfasst." not in section
    assert "Schon hochgeladen, wird mit dem Speichern übernommen:" in section


def test_after_saving_the_votes_the_page_says_where_to_go_next(staff_client, application_id):
    response = _post(staff_client, application_id, _all_three())
    page = staff_client.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    assert "Wie geht es weiter?" in text_of(page)
    assert f'href="/applications/{application_id}/submit">Antrag prüfen und einreichen</a>' in html
    assert f'href="/applications/{application_id}">Zur Übersicht</a>' in html
