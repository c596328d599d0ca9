"""Certificates: issued at the release of an award, numbered, valid five years, signed; the
stored file is served unchanged; public verification by number and by dropped file;
revocation; the public list of sealed schools; ``flask seal verify``."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import json
import subprocess
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from seal_app import create_app
from seal_app.applications.models import Application
from seal_app.certificates import issuing, signing
from seal_app.certificates.document import CertificateText, certificate_pdf
from seal_app.extensions import db
from seal_app.schools.models import School
from tests.certificates.certificate_setup import SCHOOL, certificate_of, download
from tests.certificates.decision_setup import decide, release, round_id_of, stored_decision
from tests.conftest import text_of
from tests.reviews.jury_setup import actions, audit_details, client_of

ARTIFACTS = Path(__file__).parent.parent.parent / "test-artifacts"


# --- rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("issued", "until"),
    [
        (date(2026, 11, 26), date(2031, 11, 25)),
        (date(2028, 2, 29), date(2033, 2, 28)),
        (date(2027, 1, 1), date(2031, 12, 31)),
    ],
)
def test_valid_five_years_from_the_award(issued, until):
    assert issuing.valid_until(issued, 5) == until


# --- issuing and the file ---------------------------------------------------------------------


def test_an_award_gets_one_numbered_certificate(app, awarded):
    certificate = certificate_of(app, awarded.application_id)
    year = certificate.issued_on.year
    assert certificate.number == f"{year}-001"
    assert certificate.valid_until == issuing.valid_until(certificate.issued_on, 5)
    [details] = audit_details(app, "certificate.issued")
    assert details["number"] == certificate.number and details["sha256"] == certificate.sha256
    with app.app_context(), pytest.raises(issuing.CertificateError):
        issuing.issue(db.session.get(Application, awarded.application_id), None, date.today(), None)


def test_no_certificate_without_an_award(app, agreed):
    office = client_of(app, agreed.office)
    decide(office, agreed.application_id, outcome="deferred", departure_rationale="Neu prüfen.")
    decision = stored_decision(app, agreed.application_id)
    release(office, round_id_of(app, agreed.application_id), [decision])
    with app.app_context():
        assert issuing.certificate_of(agreed.application_id) is None
    answer = client_of(app, agreed.staff).get(
        f"/applications/{agreed.application_id}/certificate.pdf"
    )
    assert answer.status_code == 404


def test_the_certificate_is_the_stored_signed_a4_pdf(app, awarded):
    certificate = certificate_of(app, awarded.application_id)
    data = download(app, awarded)
    assert hashlib.sha256(data).hexdigest() == certificate.sha256
    assert download(app, awarded, awarded.office) == data  # the same bytes, every time
    assert download(app, awarded, awarded.first) == data  # its assessors may print it too
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "certificate.pdf").write_bytes(data)  # to look at
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    width, height = (float(value) for value in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)
    assert reader.metadata.title == f"Urkunde Nr. {certificate.number} – {SCHOOL}"
    assert reader.metadata.author and "Sicherheit macht Schule" in reader.metadata.subject
    text = reader.pages[0].extract_text()
    assert "Grundschule „Am Mühlenteich“" in text and "Güstrow" in text
    assert certificate.number in text and "Urkunde" in text
    german = (
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    )
    for day in (certificate.issued_on, certificate.valid_until):
        assert f"{day.day}. {german[day.month - 1]} {day.year}" in text
    fonts = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True)
    rows = fonts.stdout.decode().splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), rows


def test_the_qr_code_opens_the_verification_page(app, awarded, tmp_path):
    certificate = certificate_of(app, awarded.application_id)
    (tmp_path / "certificate.pdf").write_bytes(download(app, awarded))
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", "certificate.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    [page] = list(tmp_path.glob("page*.png"))
    found = [item.text for item in zxingcpp.read_barcodes(Image.open(page))]
    assert found == [f"https://siegel.example.org/verify/{certificate.number}"]


def test_the_signature_holds_and_one_changed_byte_breaks_it(app, awarded):
    data = download(app, awarded)
    assert signing.check(data).ok
    position = data.index(b"Urkunde") + 2
    altered = data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]
    check = signing.check(altered)
    assert not check.ok and not check.intact


# --- verification -----------------------------------------------------------------------------


def _verify(client, number: str, **kwargs):
    return client.get(f"/verify/{number}", **kwargs)


def test_verification_shows_valid_expired_and_revoked(app, awarded, monkeypatch):
    certificate = certificate_of(app, awarded.application_id)
    anonymous = app.test_client()
    page = text_of(_verify(anonymous, certificate.number))
    assert "Die Urkunde ist gültig." in page and SCHOOL in page and certificate.sha256 in page
    for word in ("Anna Arndt", "Bernd Brandt", "leitung@example.org"):
        assert word not in page  # no personal data
    later = certificate.valid_until + timedelta(days=1)
    monkeypatch.setattr("seal_app.certificates.public_routes.local_today", lambda: later)
    assert "Die Urkunde ist abgelaufen." in text_of(_verify(anonymous, certificate.number))
    monkeypatch.undo()

    office = client_of(app, awarded.office)
    url = f"/office/certificates/{certificate.id}/revoke"
    refused = office.post(url, data={"reason": " ", "version": str(certificate.version)})
    assert "Bitte nennen Sie den Grund für den Widerruf." in text_of(refused)
    reason = "Das Sicherheitskonzept wird nicht mehr umgesetzt."
    done = office.post(url, data={"reason": reason, "version": str(certificate.version)})
    assert done.status_code == 302
    page = text_of(_verify(anonymous, certificate.number))
    assert "Die Urkunde ist widerrufen." in page and reason in page
    assert "certificate.revoked" in actions(app)


@pytest.mark.parametrize("number", ["2026-999", "2026-1x", "abc", "2026-001x", "9" * 40])
def test_unknown_or_malformed_numbers_are_a_german_404(app, awarded, number):
    answer = _verify(app.test_client(), number)
    assert answer.status_code == 404 and "wurde nicht ausgestellt" in text_of(answer)


def _drop(client, number: str, data: bytes, name: str = "urkunde.pdf"):
    return client.post(
        f"/verify/{number}",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_a_dropped_file_is_checked_not_stored(app, awarded):
    certificate = certificate_of(app, awarded.application_id)
    data = download(app, awarded)
    anonymous = app.test_client()
    genuine = text_of(_drop(anonymous, certificate.number, data))
    assert "ist die am" in genuine and "unverändert und mit gültiger Signatur" in genuine
    altered = data.replace(b"Urkunde Nr.", b"Urkunde No.", 1)
    assert "die Datei wurde verändert" in text_of(_drop(anonymous, certificate.number, altered))
    assert "kein PDF" in text_of(_drop(anonymous, certificate.number, b"GIF89a...", "bild.gif"))
    empty = anonymous.post(f"/verify/{certificate.number}", data={})
    assert "Bitte wählen Sie eine PDF-Datei aus." in text_of(empty)


def test_a_dropped_file_over_the_limit_is_refused(app, awarded, monkeypatch):
    certificate = certificate_of(app, awarded.application_id)
    monkeypatch.setitem(app.config, "VERIFY_UPLOAD_MAX_BYTES", 1000)
    answer = _drop(app.test_client(), certificate.number, b"%PDF-" + b"x" * 2000)
    assert answer.status_code == 200 and "größer als 20 MB" in text_of(answer)


# --- the public list --------------------------------------------------------------------------


def test_the_public_list_shows_valid_seals_only(app, awarded):
    certificate = certificate_of(app, awarded.application_id)
    anonymous = app.test_client()
    page = text_of(anonymous.get("/siegelschulen"))
    assert SCHOOL in page and "1 Schule" in page
    assert SCHOOL not in text_of(anonymous.get("/siegelschulen?schulart=gymnasium"))
    assert SCHOOL in text_of(anonymous.get("/siegelschulen?ort=güstrow"))
    csv_answer = anonymous.get("/siegelschulen.csv")
    assert csv_answer.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(csv_answer.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][0] == "Schule" and rows[1][0] == SCHOOL and rows[1][3] == certificate.number
    body = json.loads(anonymous.get("/siegelschulen.json").text)
    assert body["schools"][0]["school"] == SCHOOL
    assert body["schools"][0]["valid_until"] == certificate.valid_until.isoformat()
    office = client_of(app, awarded.office)
    office.post(
        f"/office/certificates/{certificate.id}/revoke",
        data={"reason": "Widerrufen.", "version": str(certificate.version)},
    )
    assert SCHOOL not in text_of(anonymous.get("/siegelschulen"))
    assert json.loads(anonymous.get("/siegelschulen.json").text)["schools"] == []


def test_a_formula_in_a_school_name_is_written_as_text(app, awarded):
    with app.app_context():  # a school named so when its certificate was issued
        issuing.certificate_of(awarded.application_id).school_name = "=HYPERLINK(1)"
        db.session.commit()
    rows = list(
        csv.reader(io.StringIO(app.test_client().get("/siegelschulen.csv").text), delimiter=";")
    )
    assert rows[1][0] == "'=HYPERLINK(1)"


def test_the_public_pages_show_the_school_as_certified(app, awarded):
    certificate = certificate_of(app, awarded.application_id)
    with app.app_context():
        application = db.session.get(Application, awarded.application_id)
        school = db.session.get(School, application.school_id)
        school.name, school.town = "Neuer Name", "Neustadt"
        db.session.commit()
    anonymous = app.test_client()
    assert SCHOOL in text_of(anonymous.get(f"/verify/{certificate.number}"))
    assert SCHOOL in text_of(anonymous.get("/siegelschulen"))
    assert "Neuer Name" not in text_of(anonymous.get("/siegelschulen"))


def test_signing_works_inside_a_running_event_loop(app):
    """pyHanko starts its own event loop; a host thread that runs one must not break it."""
    text = CertificateText(
        "2026-900",
        SCHOOL,
        "Güstrow",
        "Vergaberunde 2027",
        date(2026, 11, 26),
        date(2031, 11, 25),
        "https://siegel.example.org/verify/2026-900",
        "KPR",
        (),
        "Büro",
    )
    data = certificate_pdf(text)

    async def inside_a_loop() -> bool:
        with app.app_context():
            return signing.check(signing.sign(data)).ok

    # a thread of its own, as a host's would be (the test runner's may hold a loop already)
    results = []
    thread = threading.Thread(target=lambda: results.append(asyncio.run(inside_a_loop())))
    thread.start()
    thread.join(timeout=60)
    assert results == [True]


def test_the_file_check_says_when_the_certificate_is_revoked(app, awarded):
    certificate = certificate_of(app, awarded.application_id)
    data = download(app, awarded)
    client_of(app, awarded.office).post(
        f"/office/certificates/{certificate.id}/revoke",
        data={"reason": "Widerrufen.", "version": str(certificate.version)},
    )
    page = _drop(app.test_client(), certificate.number, data)
    result = page.text.split('class="kern-alert kern-alert--', 1)[1]
    assert result.startswith("warning file-result")
    assert "Die Urkunde ist aber widerrufen." in text_of(page)
    school = text_of(client_of(app, awarded.staff).get(f"/applications/{awarded.application_id}"))
    assert "Urkunde widerrufen am" in school and "herunterladen (PDF)" not in school


def test_a_number_typed_by_hand_leads_to_its_page(app, awarded):
    certificate = certificate_of(app, awarded.application_id)
    anonymous = app.test_client()
    answer = anonymous.get(f"/verify?nummer=+{certificate.number}+")
    assert answer.status_code == 302 and answer.location.endswith(f"/verify/{certificate.number}")
    wrong = anonymous.get("/verify?nummer=14")
    assert "Bitte geben Sie die Nummer so ein" in text_of(wrong)
    unknown = anonymous.get("/verify/2026-999")
    assert unknown.status_code == 404
    assert "Eine Urkunde mit der Nummer „2026-999“ wurde nicht ausgestellt." in text_of(unknown)


# --- command line and start-up ----------------------------------------------------------------


def test_flask_seal_verify_names_issued_and_altered_files(app, awarded, tmp_path):
    data = download(app, awarded)
    issued, altered = tmp_path / "urkunde.pdf", tmp_path / "verändert.pdf"
    issued.write_bytes(data)
    altered.write_bytes(data.replace(b"Urkunde Nr.", b"Urkunde No.", 1))
    runner = app.test_cli_runner()
    good = runner.invoke(args=["seal", "verify", str(issued)])
    assert good.exit_code == 0 and "unverändert und mit gültiger Signatur" in good.output
    bad = runner.invoke(args=["seal", "verify", str(altered)])
    assert bad.exit_code == 1 and "die Datei wurde verändert" in bad.output


def test_a_key_that_does_not_fit_the_certificate_stops_the_start(app, tmp_path):
    signing.make_self_signed(tmp_path / "a-key.pem", tmp_path / "a-cert.pem", "A")
    signing.make_self_signed(tmp_path / "b-key.pem", tmp_path / "b-cert.pem", "B")
    config = {
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "SECRET_KEY": "x",
        "SIGNING_KEY_FILE": str(tmp_path / "a-key.pem"),
        "SIGNING_CERT_FILE": str(tmp_path / "b-cert.pem"),
    }
    with pytest.raises(SystemExit, match="SEAL_SIGNING_KEY_FILE"):
        create_app(config)
    (tmp_path / "a-key.pem").write_text("kein Schlüssel")
    config["SIGNING_CERT_FILE"] = str(tmp_path / "a-cert.pem")
    with pytest.raises(SystemExit, match="SEAL_SIGNING"):
        create_app(config)
