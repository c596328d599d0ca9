"""The school's application through the rules: start, answer, evidence, votes, submit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from seal_app.applications.models import (
    Application,
    ApplicationStatus,
    CriterionAnswer,
    EvidenceFile,
)
from seal_app.extensions import db
from seal_app.rounds.models import Round
from seal_app.rounds.services import create_round
from tests.applications import samples
from tests.applications.conftest import criterion_data, load, post_criterion, upload
from tests.conftest import login, text_of

MANDATORY = ("A.1", "A.2", "B.1", "C.1", "J.1")


def test_start_creates_one_first_application_per_school_and_round(
    app, staff_client, setup, application_id
):
    again = staff_client.post("/applications/start", data={"school_id": setup.school_id})
    assert again.headers["Location"].endswith(f"/applications/{application_id}")
    application = load(app, application_id)
    assert application.kind.value == "first" and application.status is ApplicationStatus.DRAFT
    page = text_of(staff_client.get(f"/applications/{application_id}"))
    assert "Erstantrag" in page and "0 von 23 Kriterien vollständig" in page
    assert "A.1 Sicherheits- und Krisenkonzept" in page


def test_staff_cannot_start_for_another_school(staff_client, setup):
    response = staff_client.post("/applications/start", data={"school_id": setup.other_school_id})
    assert response.status_code == 404


def test_saving_a_criterion_with_evidence_completes_it(app, staff_client, application_id):
    response = post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(
            file_1=upload(samples.pdf(), "Krisenkonzept.pdf"),
            description_1="Konzept 2025",
            file_2=upload(samples.jpeg(), "Übung.jpg"),
            description_2="Foto der Übung",
        ),
    )
    assert response.status_code == 302
    application = load(app, application_id)
    answer = application.answer_for("A.1")
    assert answer.self_rating == 2 and answer.measures.startswith("Wir haben")
    files = application.files_for("A.1")
    assert sorted((f.display_name, f.media_type) for f in files) == [
        ("Krisenkonzept.pdf", "application/pdf"),
        ("Übung.jpg", "image/jpeg"),
    ]
    assert all(len(f.sha256) == 64 and f.size > 0 for f in files)
    page = text_of(staff_client.get(f"/applications/{application_id}"))
    assert "1 von 23 Kriterien vollständig" in page


def test_stored_files_have_random_names_outside_static(app, staff_client, application_id):
    post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(file_1=upload(samples.pdf(), "Konzept.pdf"), description_1="Konzept"),
    )
    file = load(app, application_id).files[0]
    upload_dir = app.config["UPLOAD_DIR"]
    assert "static" not in upload_dir and "Konzept" not in file.stored_name
    from pathlib import Path

    stored = Path(upload_dir) / file.stored_name[:2] / file.stored_name
    import hashlib

    assert hashlib.sha256(stored.read_bytes()).hexdigest() == file.sha256


def test_failed_validation_keeps_text_and_valid_files(app, staff_client, application_id):
    response = post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(
            measures="x" * 10001,
            file_1=upload(samples.pdf(), "Konzept.pdf"),
            description_1="Konzept",
            file_2=upload(samples.HTML, "bild.png"),
            description_2="kein Bild",
        ),
    )
    page = text_of(response)
    assert response.status_code == 200
    assert "Der Text ist 1 Zeichen zu lang (höchstens 10.000 Zeichen)." in page
    assert "Dieser Dateityp ist nicht erlaubt" in page or "Bestandteile einer Webseite" in page
    assert "„Konzept.pdf“ (" in page and "ist schon hochgeladen und wird mit dem Speichern" in page
    assert "Polizei Güstrow" in response.get_data(as_text=True)  # typed text kept
    staged = load(app, application_id).files
    assert [(f.display_name, f.staged) for f in staged] == [("Konzept.pdf", True)]
    staged_id = staged[0].id
    fixed = post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(kept_1=str(staged_id), description_1="Konzept"),
    )
    assert fixed.status_code == 302
    assert [(f.display_name, f.staged) for f in load(app, application_id).files] == [
        ("Konzept.pdf", False)
    ]


def test_a_file_needs_a_description(staff_client, application_id):
    response = post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(file_1=upload(samples.pdf(), "Konzept.pdf"), description_1=""),
    )
    assert "Bitte beschreiben Sie die Datei kurz." in text_of(response)


def test_stale_save_is_refused_showing_the_other_persons_text(
    app, setup, staff_client, application_id
):
    colleague = app.test_client()
    login(colleague, setup.colleague)
    assert (
        post_criterion(
            staff_client, application_id, "B.1", criterion_data(measures="Erste Fassung")
        ).status_code
        == 302
    )
    # both open version 1 of the saved answer
    assert (
        post_criterion(
            staff_client,
            application_id,
            "B.1",
            criterion_data(measures="Fassung von Lena", version="1"),
        ).status_code
        == 302
    )
    response = post_criterion(
        colleague, application_id, "B.1", criterion_data(measures="Fassung von Paul", version="1")
    )
    page = text_of(response)
    assert "Jemand anderes hat dieses Kriterium inzwischen gespeichert" in page
    assert "Fassung von Lena" in page  # what was saved
    assert "Fassung von Paul" in response.get_data(as_text=True)  # what Paul typed, kept
    assert load(app, application_id).answer_for("B.1").measures == "Fassung von Lena"
    # a second save, now on the current version, is a deliberate decision and goes through
    assert (
        post_criterion(
            colleague,
            application_id,
            "B.1",
            criterion_data(measures="Fassung von Paul", version="2"),
        ).status_code
        == 302
    )


def test_saving_first_time_when_someone_else_created_the_answer_is_stale(
    app, setup, staff_client, application_id
):
    colleague = app.test_client()
    login(colleague, setup.colleague)
    post_criterion(staff_client, application_id, "C.1", criterion_data(measures="Lena zuerst"))
    response = post_criterion(
        colleague, application_id, "C.1", criterion_data(measures="Paul ohne Version")
    )
    assert "Jemand anderes hat dieses Kriterium" in text_of(response)
    assert load(app, application_id).answer_for("C.1").measures == "Lena zuerst"


def test_delete_and_replace_before_submission(app, staff_client, application_id):
    post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(
            file_1=upload(samples.pdf(), "alt.pdf"),
            description_1="Alt",
            file_2=upload(samples.png(), "weg.png"),
            description_2="Weg",
        ),
    )
    files = {f.display_name: f for f in load(app, application_id).files}
    response = staff_client.post(
        f"/applications/{application_id}/files/{files['alt.pdf'].id}/replace",
        data={"file": upload(samples.pdf("Neue Fassung"), "neu.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "„alt.pdf“ ist ersetzt." in text_of(response)
    staff_client.post(f"/applications/{application_id}/files/{files['weg.png'].id}/delete")
    remaining = load(app, application_id).files
    assert [(f.display_name, f.description) for f in remaining] == [("neu.pdf", "Alt")]
    from seal_app.uploads.store import path_of

    with app.app_context():
        assert not path_of(files["alt.pdf"].stored_name).exists()
        assert not path_of(files["weg.png"].stored_name).exists()
        assert path_of(remaining[0].stored_name).exists()


def _complete_everything(client, application_id: int) -> None:
    for code in MANDATORY:
        response = post_criterion(
            client,
            application_id,
            code,
            criterion_data(
                file_1=upload(samples.pdf(f"Nachweis {code}"), f"{code}.pdf"),
                description_1=f"Nachweis {code}",
            ),
        )
        assert response.status_code == 302, text_of(response)
    data = {}
    for kind in ("school_conference", "school_authority", "prevention_council"):
        data[f"{kind}-decided_on"] = "2026-03-12"
        data[f"{kind}-document"] = upload(samples.pdf(kind), f"{kind}.pdf")
    response = client.post(
        f"/applications/{application_id}/votes", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302, text_of(response)


def test_submission_checks_list_every_missing_item_with_links(staff_client, application_id):
    page = staff_client.get(f"/applications/{application_id}/submit")
    html = page.get_data(as_text=True)
    text = text_of(page)
    assert "Noch nicht einreichbar: 8 Pflichtangaben fehlen" in text
    for code in MANDATORY:
        assert f'href="/applications/{application_id}/criteria/{code}"' in html
    assert f'href="/applications/{application_id}/votes#vote-school_conference"' in html
    assert "Beschluss der Schulkonferenz – Datum und Dokument fehlen" in text
    refused = staff_client.post(f"/applications/{application_id}/submit", follow_redirects=True)
    assert "Der Antrag ist noch nicht vollständig." in text_of(refused)


def test_rating_zero_needs_no_description_or_evidence(app, staff_client, application_id):
    post_criterion(staff_client, application_id, "D.1", criterion_data(rating="0", measures=""))
    page = text_of(staff_client.get(f"/applications/{application_id}"))
    assert "1 von 23 Kriterien vollständig" in page


def test_submit_makes_it_read_only_and_gives_a_receipt(app, staff_client, application_id):
    _complete_everything(staff_client, application_id)
    response = staff_client.post(f"/applications/{application_id}/submit", follow_redirects=True)
    assert "Ihr Antrag ist eingereicht" in text_of(response) and "Vielen Dank!" in text_of(response)
    application = load(app, application_id)
    assert application.status is ApplicationStatus.SUBMITTED and application.submitted_at
    page = staff_client.get(f"/applications/{application_id}/criteria/A.1")
    assert 'name="measures"' not in page.get_data(as_text=True)
    assert "Wir haben ein Krisenteam" in text_of(page)
    refused = post_criterion(staff_client, application_id, "A.1", criterion_data(version="1"))
    assert refused.status_code == 409
    receipt = staff_client.get(f"/applications/{application_id}/receipt.pdf")
    assert receipt.status_code == 200 and receipt.mimetype == "application/pdf"
    import io

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(receipt.data)).pages)
    assert "Eingangsbestätigung" in text and "Grundschule am Wall" in text
    assert "Stufe 2 – umgesetzt" in text
    for file in application.files:
        assert file.sha256 in text.replace("\n", "")
    assert _all_fonts_embedded(PdfReader(io.BytesIO(receipt.data)))


def _all_fonts_embedded(reader: PdfReader) -> bool:
    fonts = [
        font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()
    ]
    # a composite (Type 0) font carries its descriptor in its descendant font
    fonts = [
        font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        for font in fonts
    ]
    return bool(fonts) and all(
        "/FontDescriptor" in font and "/FontFile2" in font["/FontDescriptor"] for font in fonts
    )


def test_deadline_passed_blocks_submission(app, staff_client, application_id):
    _complete_everything(staff_client, application_id)
    with app.app_context():
        round_ = db.session.scalars(sa.select(Round)).one()
        round_.submission_deadline = date.today() - timedelta(days=1)
        db.session.commit()
    page = text_of(staff_client.get(f"/applications/{application_id}/submit"))
    assert "Die Abgabefrist ist abgelaufen." in page
    staff_client.post(f"/applications/{application_id}/submit")
    assert load(app, application_id).status is ApplicationStatus.DRAFT


def test_vote_needs_date_and_document(staff_client, application_id):
    response = staff_client.post(
        f"/applications/{application_id}/votes",
        data={
            "school_authority-decided_on": "",
            "school_authority-document": upload(samples.pdf(), "Zustimmung.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert "Bitte geben Sie das Datum an." in text_of(response)
    response = staff_client.post(
        f"/applications/{application_id}/votes",
        data={"school_authority-decided_on": "2026-02-01"},
        content_type="multipart/form-data",
    )
    assert "Bitte laden Sie das Dokument dazu hoch." in text_of(response)


def _award(app, application_id: int, advice: str | None = None) -> None:
    """Stand in for the decision step (a later part of the app): mark the seal as awarded."""
    from seal_app.db_types import utcnow

    with app.app_context():
        application = db.session.get(Application, application_id)
        application.status = ApplicationStatus.AWARDED
        application.decided_at = utcnow()
        application.jury_advice = advice
        db.session.commit()


def _start_renewal(app, setup, client, catalogue_version: str = "2026.1") -> int:
    """Five years on: the old round is closed, a new one open, the school starts again."""
    with app.app_context():
        old_round = db.session.get(Round, setup.round_id)
        old_round.status = old_round.status.CLOSED
        db.session.flush()
        create_round(
            date.today().year + 6, date.today() + timedelta(days=30), catalogue_version, None
        )
        db.session.commit()
    response = client.post("/applications/start", data={"school_id": setup.school_id})
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_renewal_starts_prefilled_from_the_last_awarded_application(
    app, setup, staff_client, application_id
):
    _complete_everything(staff_client, application_id)
    staff_client.post(f"/applications/{application_id}/submit")
    _award(app, application_id, advice="Bitte die Streitschlichtung auf Klasse 5 ausweiten.")
    renewal_id = _start_renewal(app, setup, staff_client)
    renewal = load(app, renewal_id)
    assert renewal.kind.value == "renewal" and renewal.previous_application_id == application_id
    assert {a.criterion_code for a in renewal.answers} == set(MANDATORY)
    assert all(a.carried_over for a in renewal.answers)
    assert all(f.carried_over for f in renewal.files) and len(renewal.files) == len(MANDATORY)
    overview = text_of(staff_client.get(f"/applications/{renewal_id}"))
    assert "Verlängerungsantrag" in overview and "bitte prüfen" in overview
    assert "Entwicklung seit der letzten Verleihung" in overview
    criterion = text_of(staff_client.get(f"/applications/{renewal_id}/criteria/A.1"))
    assert "Aus dem letzten Antrag übernommen – bitte prüfen" in criterion
    advice = text_of(staff_client.get(f"/applications/{renewal_id}/renewal/C"))
    assert "Bitte die Streitschlichtung auf Klasse 5 ausweiten." in advice
    blockers = text_of(staff_client.get(f"/applications/{renewal_id}/submit"))
    assert "aus dem letzten Antrag übernommen, bitte prüfen und speichern" in blockers
    assert "Entwicklung seit der letzten Verleihung – noch nicht beschrieben" in blockers
    # the copies are files of their own: deleting one leaves the old application intact
    with app.app_context():
        old_files = db.session.scalars(
            sa.select(EvidenceFile).where(EvidenceFile.application_id == application_id)
        ).all()
        assert {f.stored_name for f in old_files}.isdisjoint({f.stored_name for f in renewal.files})


def test_renewal_note_is_saved_and_completes_the_area(app, setup, staff_client, application_id):
    _award(app, application_id)
    renewal_id = _start_renewal(app, setup, staff_client)
    saved = staff_client.post(
        f"/applications/{renewal_id}/renewal/A",
        data={"changes": "Neues Krisenteam seit 2024.", "advice_response": "", "version": ""},
    )
    assert saved.status_code == 302
    assert load(app, renewal_id).renewal_note("A").changes == "Neues Krisenteam seit 2024."


def test_answers_count_only_for_their_own_application(app, staff_client, application_id):
    post_criterion(staff_client, application_id, "A.1", criterion_data())
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CriterionAnswer)) == 1


@pytest.mark.parametrize("code", ["Z.9", "A.1x"])
def test_unknown_criterion_is_404(staff_client, application_id, code):
    assert staff_client.get(f"/applications/{application_id}/criteria/{code}").status_code == 404


def test_vote_date_cannot_lie_in_the_future(staff_client, application_id):
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    response = staff_client.post(
        f"/applications/{application_id}/votes",
        data={
            "school_conference-decided_on": tomorrow,
            "school_conference-document": upload(samples.pdf(), "Beschluss.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert "Das Datum darf nicht in der Zukunft liegen." in text_of(response)


def test_vote_documents_are_changed_only_on_the_votes_page(app, staff_client, application_id):
    staff_client.post(
        f"/applications/{application_id}/votes",
        data={
            "school_conference-decided_on": "2026-03-12",
            "school_conference-document": upload(samples.pdf("alt"), "Beschluss-alt.pdf"),
        },
        content_type="multipart/form-data",
    )
    document = load(app, application_id).files[0]
    for action, data in (("delete", {}), ("replace", {"file": upload(samples.pdf(), "x.pdf")})):
        response = staff_client.post(
            f"/applications/{application_id}/files/{document.id}/{action}",
            data=data,
            content_type="multipart/form-data",
            follow_redirects=True,
        )
        assert "Dieses Dokument gehört zu einem Votum. Ersetzen Sie es dort." in text_of(response)
    # a new document on the votes page replaces the old one, file and row
    staff_client.post(
        f"/applications/{application_id}/votes",
        data={
            "school_conference-decided_on": "2026-03-14",
            "school_conference-document": upload(samples.pdf("neu"), "Beschluss-neu.pdf"),
        },
        content_type="multipart/form-data",
    )
    application = load(app, application_id)
    assert [f.display_name for f in application.files] == ["Beschluss-neu.pdf"]
    assert application.votes[0].decided_on == date(2026, 3, 14)


def test_files_cannot_be_deleted_after_submission(app, staff_client, application_id):
    _complete_everything(staff_client, application_id)
    staff_client.post(f"/applications/{application_id}/submit")
    file = load(app, application_id).files_for("A.1")[0]
    response = staff_client.post(
        f"/applications/{application_id}/files/{file.id}/delete", follow_redirects=True
    )
    assert "kann nicht mehr geändert werden" in text_of(response)
    assert file.id in [f.id for f in load(app, application_id).files]
