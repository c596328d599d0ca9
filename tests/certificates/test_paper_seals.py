"""Paper-era seals through the office's pages, and as certificates of the app: the public
list, the verification page, the school page, expiry reminders and renewals."""

from __future__ import annotations

import io
from datetime import timedelta

import sqlalchemy as sa

from seal_app.applications.models import Application, ApplicationKind
from seal_app.auth.models import Role
from seal_app.backup import stored_files
from seal_app.certificates.models import Certificate
from seal_app.certificates.paper_models import PendingSealImport
from seal_app.extensions import db
from seal_app.local_time import local_today, months_later
from seal_app.notifications import reminders
from seal_app.notifications.models import OutboxMessage
from seal_app.rounds.services import create_round
from tests.certificates.paper_setup import csv_bytes, forty_rows
from tests.conftest import login, text_of

UPLOAD = "/office/certificates/import"


def _office(app, accounts):
    client = app.test_client()
    login(client, accounts["office"])
    return client


def _upload(client, data: bytes, name: str = "urkunden.csv"):
    return client.post(UPLOAD, data={"file": (io.BytesIO(data), name)}, follow_redirects=False)


def _preview_and_import(client, data: bytes) -> tuple[str, str]:
    sent = _upload(client, data)
    assert sent.status_code == 302, text_of(sent)
    preview = client.get(sent.location)
    done = client.post(sent.location, follow_redirects=True)  # (CSRF is off in these tests)
    return text_of(preview), text_of(done)


def test_forty_seals_with_three_bad_rows_import_37_after_the_preview(
    app, accounts, make, mail_server
):
    with app.app_context():
        today = local_today()
    rows, good = forty_rows(today)
    staff = make.user(
        Role.SCHOOL,
        "leitung.papierweg@example.org",
        school_ids=(
            make.school(number="76000", name="Grundschule Papierweg 0", town="Papierstadt 0"),
        ),
    )
    office = _office(app, accounts)
    preview, done = _preview_and_import(office, csv_bytes(rows))
    assert "37 Urkunden werden importiert" in preview
    assert (
        "Schulen neu angelegt: 36 · über die Schulnummer zugeordnet: 1 · Zeilen abgelehnt: 3"
        in preview
    )
    assert (
        "Zeile 6 (GS-2017/04, Grundschule Papierweg 4): "
        "„31.02.2015“ in der Spalte „Verliehen am“ ist kein Datum" in preview
    )
    assert "Zeile 18 (–, Grundschule Papierweg 16): Die Spalte „Urkunde“ ist leer." in preview
    assert "Zeile 31 (GS-2022/29, Grundschule Papierweg 29): „Gültig bis“" in preview
    assert "37 Urkunden importiert. 3 Zeilen abgelehnt (nicht importiert)." in done
    with app.app_context():
        numbers = set(db.session.scalars(sa.select(Certificate.number)))
        assert numbers == set(good)
    listed = text_of(app.test_client().get("/siegelschulen"))
    assert listed.count("ausgestellt vor Einführung des Online-Verfahrens") == 37
    assert "Grundschule Papierweg 0" in listed and "Grundschule Papierweg 4 " not in listed
    csv_list = app.test_client().get("/siegelschulen.csv").get_data(as_text=True)
    assert "GS-2013/10" in csv_list
    verify = app.test_client().get("/verify/GS-2013/10")
    page = text_of(verify)
    assert verify.status_code == 200 and "Die Urkunde ist gültig." in page
    assert "ausgestellt vor Einführung des Online-Verfahrens" in page
    assert "Grundschule Papierweg 10" in page
    assert ".pdf" not in verify.get_data(as_text=True) and "Eine PDF-Datei prüfen" not in page
    assert "nicht als digitalen Nachweis" in page
    assert app.test_client().get("/verify/GS-2013/10/credential").status_code == 404
    typed = app.test_client().get("/verify", query_string={"nummer": " GS-2013/10 "})
    assert typed.status_code == 302 and typed.location.endswith("/verify/GS-2013/10")
    with app.app_context():
        until = db.session.scalar(
            sa.select(Certificate.valid_until).where(Certificate.number == "GS-2013/00")
        )
        reminders.send_reminders(months_later(until, -12))
        told = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.event == "seal.expiring")
        ).all()
    to_staff = [message for message in told if message.recipient == staff]
    assert len(to_staff) == 1 and "GS-2013/00" in to_staff[0].body_text
    assert len(told) == 1 + 37  # the staff of one school, the office's copy of each seal
    again = office.get(_upload(office, csv_bytes(rows)).location)
    assert "0 Urkunden werden importiert" in text_of(again)
    assert "37 Zeilen übersprungen (schon importiert) Zeile 2 (GS-2013/00, Grundschule" in (
        text_of(again)
    )
    assert "GS-2013/00 gibt es schon" not in text_of(again)
    assert "3 Zeilen abgelehnt" in text_of(again)
    assert "Importieren</span>" not in again.get_data(as_text=True)


def test_the_result_lists_imported_skipped_and_refused_rows_until_the_office_leaves(app, accounts):
    first = [("75101", "Grundschule A", "Laage", "A-1", "01.02.2013", "", "")]
    office = _office(app, accounts)
    _preview_and_import(office, csv_bytes(first))
    rows = [
        *first,
        ("75102", "Grundschule B", "Laage", "B-1", "01.02.2014", "31.01.2019", "-"),
        ("75103", "Grundschule C", "Laage", "C-1", "01.02.2014", "31.12.2100", ""),
    ]
    location = _upload(office, csv_bytes(rows)).location
    done = office.post(location)
    assert done.status_code == 302 and done.location == location
    for _ in range(2):  # a reload, or back from another page, shows the same result
        page = office.get(location)
        text = text_of(page)
        assert "Ergebnis des Imports" in text
        assert (
            "1 Urkunde importiert. 1 Zeile übersprungen (schon importiert). "
            "1 Zeile abgelehnt (nicht importiert)." in text
        )
        assert "Zeile 4 (C-1, Grundschule C): „Gültig bis“ (31.12.2100) liegt mehr als" in text
        assert "Diese Urkunden wurden importiert" in text
        html = page.get_data(as_text=True)
        imported = html.split('class="kern-table seal-rows')[1].split("</table>")[0]
        assert "B-1" in imported and "A-1" not in imported and "C-1" not in imported
        assert "1 Zeile übersprungen (schon importiert) Zeile 2 (A-1, Grundschule A)" in text
    assert office.post(location).location == location  # „Importieren“ again imports nothing
    with app.app_context():
        assert set(db.session.scalars(sa.select(Certificate.number))) == {"A-1", "B-1"}
    _upload(office, csv_bytes(first))  # leaving for another file ends the result
    assert office.get(location).status_code == 302


def test_the_same_file_again_imports_nothing_and_says_so(app, accounts):
    rows = [("75101", "Grundschule A", "Laage", "GS-2013/07", "01.02.2013", "", "")]
    office = _office(app, accounts)
    _preview_and_import(office, csv_bytes(rows))
    preview, done = _preview_and_import(office, csv_bytes(rows))
    assert "Nichts Neues: Alle Urkunden der Datei gibt es schon." in preview
    assert "Nichts importiert: Alle Urkunden der Datei gibt es schon." in done
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 1


def test_hostile_uploads_are_answered_in_german_never_with_a_500(app, accounts):
    office = _office(app, accounts)
    for data, name, message in [
        (b"%PDF-1.7\n\x00\x01", "urkunden.csv", "keine CSV-Datei"),
        (b"", "urkunden.csv", "Die Datei ist leer."),
        (csv_bytes([]), "urkunden.csv", "nur die Kopfzeile"),
        (csv_bytes([("1", "2", "3", "4", "5", "6", "7")]), "bild.png", "Endung .csv"),
        (
            csv_bytes([("75101", "GS", "X", "U", "1.1.2014", "", "")] * 10000),
            "gross.csv",
            "mehr als 2000 Zeilen",
        ),
    ]:
        answer = _upload(office, data, name)
        assert answer.status_code == 200 and message in text_of(answer), name
    no_file = office.post(UPLOAD, data={})
    assert "Bitte wählen Sie eine CSV-Datei aus." in text_of(no_file)


def test_a_preview_belongs_to_the_office_user_who_uploaded_it(app, accounts, make):
    office = _office(app, accounts)
    rows = [("75101", "Grundschule A", "Laage", "GS-2013/07", "01.02.2013", "", "")]
    location = _upload(office, csv_bytes(rows)).location
    colleague = app.test_client()
    login(colleague, make.user(Role.OFFICE, "kollegin@example.org"))
    assert colleague.get(location).status_code == 302
    token = location.rsplit("/", 1)[1]
    sent = colleague.post(location)
    assert sent.status_code == 302 and sent.location.endswith(UPLOAD)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 0
        assert db.session.scalar(sa.select(PendingSealImport.token)) == token


def test_the_school_page_lists_paper_seals_and_no_pdf_is_offered(app, accounts, make):
    school_id = make.school(number="75101", name="Grundschule A")
    rows = [("75101", "Grundschule A", "Laage", "12/2014", "01.02.2014", "", "Feier im Rathaus")]
    office = _office(app, accounts)
    _preview_and_import(office, csv_bytes(rows))
    page = text_of(office.get(f"/office/schools/{school_id}"))
    assert "Urkunden aus der Zeit vor dem Online-Verfahren" in page
    assert "Urkunde Nr. 12/2014" in page and "Feier im Rathaus" in page
    with app.app_context():
        certificate_id = db.session.scalar(sa.select(Certificate.id))
    detail = office.get(f"/office/certificates/{certificate_id}/revoke")
    assert "ausgestellt vor Einführung des Online-Verfahrens" in text_of(detail)
    assert "original.pdf" not in detail.get_data(as_text=True)
    assert office.get(f"/office/certificates/{certificate_id}/original.pdf").status_code == 404
    with app.app_context():  # a seal without a PDF names no file: none is missing
        report = stored_files.check_files()  # (the upload folder is shared by the whole run)
        assert not report.missing and not report.altered


def test_a_school_with_a_paper_seal_starts_a_renewal_that_names_it(app, accounts, make):
    school_id = make.school(number="75101", name="Grundschule A")
    head = make.user(Role.SCHOOL, "leitung.a@example.org", school_ids=(school_id,))
    with app.app_context():
        today = local_today()
    issued = today - timedelta(days=4 * 365)
    rows = [("75101", "Grundschule A", "Laage", "GS-2021/07", issued.strftime("%d.%m.%Y"), "", "")]
    _preview_and_import(_office(app, accounts), csv_bytes(rows))
    with app.app_context():
        create_round(today.year + 1, today + timedelta(days=60), "2026.1", None)
        db.session.commit()
    school = app.test_client()
    login(school, head)
    home = text_of(school.get("/"))
    assert "Ihr Siegel gilt bis zum" in home and "GS-2021/07" in home
    assert "beginnt daher ohne frühere Angaben" in home  # nothing to carry over is promised
    assert "übernimmt Ihre letzten Angaben" not in home
    started = school.post("/applications/start", data={"school_id": school_id})
    overview = text_of(school.get(started.location))
    assert "Verlängerung des Siegels: Urkunde Nr. GS-2021/07" in overview
    with app.app_context():
        application = db.session.scalar(sa.select(Application))
        assert application.kind is ApplicationKind.RENEWAL
        assert application.previous_application_id is None
        assert application.answers == [] and application.files == []
        previous = db.session.get(Certificate, application.previous_certificate_id)
        assert previous.number == "GS-2021/07"
