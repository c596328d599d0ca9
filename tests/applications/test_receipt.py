"""The receipt: made once at submission, stored with its SHA-256, served as stored."""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
from datetime import date

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from seal_app import pdf
from seal_app.applications import evidence_requests, submission
from seal_app.applications import receipt as receipt_module
from seal_app.applications.models import Application, Receipt
from seal_app.auth.models import User
from seal_app.catalogue.loader import parse
from seal_app.extensions import db
from seal_app.schools.models import School
from seal_app.uploads.store import path_of
from tests.applications import samples
from tests.applications.conftest import criterion_data, load, post_criterion, upload
from tests.applications.test_journey import _complete_everything
from tests.catalogue.test_award import SHIPPED
from tests.conftest import text_of

AREA_TITLES = [f"{area.code}. {area.title}" for area in parse(SHIPPED).areas]


def _submit(client, application_id: int) -> bytes:
    assert client.post(f"/applications/{application_id}/submit").status_code == 302
    response = client.get(f"/applications/{application_id}/receipt.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return response.data


def _receipts(app, application_id: int) -> list[Receipt]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(Receipt).where(Receipt.application_id == application_id).order_by(Receipt.id)
        ).all()
        db.session.expunge_all()
        return list(rows)


def _pdftotext(data: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode()


def test_receipt_is_made_once_and_served_as_stored(app, staff_client, application_id, monkeypatch):
    _complete_everything(staff_client, application_id)
    served = _submit(staff_client, application_id)
    [receipt] = _receipts(app, application_id)
    with app.app_context():
        stored = path_of(receipt.stored_name).read_bytes()
    assert (
        hashlib.sha256(served).hexdigest() == receipt.sha256 == hashlib.sha256(stored).hexdigest()
    )
    assert receipt.size == len(served)

    def no_rebuild(*args, **kwargs):
        raise AssertionError("the receipt must not be made again")

    monkeypatch.setattr(receipt_module, "receipt_pdf", no_rebuild)
    monkeypatch.setattr(submission, "receipt_pdf", no_rebuild)
    again = staff_client.get(f"/applications/{application_id}/receipt.pdf")
    assert again.data == served
    assert "filename=Eingangsbestaetigung-75001-" in again.headers["Content-Disposition"]
    assert len(_receipts(app, application_id)) == 1


def test_receipt_is_unchanged_after_the_school_is_renamed(app, staff_client, application_id):
    _complete_everything(staff_client, application_id)
    before = _submit(staff_client, application_id)
    with app.app_context():
        school = db.session.scalars(sa.select(School)).first()
        school.name = "Umbenannte Schule"
        db.session.commit()
    after = staff_client.get(f"/applications/{application_id}/receipt.pdf").data
    assert after == before
    assert "Grundschule am Wall" in _pdftotext(after)
    assert "Umbenannte Schule" not in _pdftotext(after)


def test_failed_submit_leaves_no_receipt_file(app, staff_client, application_id):
    upload_dir = app.config["UPLOAD_DIR"]
    from pathlib import Path

    before = {p.name for p in Path(upload_dir).rglob("*") if p.is_file()}
    refused = staff_client.post(f"/applications/{application_id}/submit")  # incomplete
    assert refused.status_code == 200
    after = {p.name for p in Path(upload_dir).rglob("*") if p.is_file()}
    assert after == before and _receipts(app, application_id) == []


def _long_application(client, application_id: int, length: int) -> None:
    for code in ("A.3", "B.2", "B.3", "C.2", "D.1", "E.1", "F.1", "G.1", "H.1", "J.2"):
        text = (f"Maßnahme zu {code}: " + "Wir üben regelmäßig und werten aus. " * 400)[:length]
        response = post_criterion(
            client,
            application_id,
            code,
            criterion_data(
                measures=text,
                participants="Kollegium\nSchülerschaft\nEltern",
                file_1=upload(samples.pdf(code), f"{code}-Nachweis.pdf"),
                description_1=f"Beschreibung der Datei zu {code}",
            ),
        )
        assert response.status_code == 302, text_of(response)
    _complete_everything(client, application_id)


@pytest.mark.parametrize("length", [900, 2300, 4100])
def test_receipt_numbers_pages_lists_descriptions_and_the_office(
    app, staff_client, application_id, length
):
    _long_application(staff_client, application_id, length)
    data = _submit(staff_client, application_id)
    pages = PdfReader(io.BytesIO(data)).pages
    text = _pdftotext(data)
    total = len(pages)
    assert total > 1
    for number in range(1, total + 1):
        assert f"Seite {number} von {total}" in text
    files = load(app, application_id).files
    assert sum("Beschreibung der Datei zu" in file.description for file in files) == 10
    for file in files:
        assert file.description and file.description in text, file.description
    assert app.config["OFFICE_NAME"] in text
    assert app.config["OFFICE_PHONE"] in text and app.config["OFFICE_EMAIL"] in text
    for line in app.config["OFFICE_ADDRESS"].splitlines():
        assert line in text
    _assert_no_page_ends_with_a_heading(pages)


def _assert_no_page_ends_with_a_heading(pages) -> None:
    headings = set(AREA_TITLES) | {
        "Selbsteinschätzung",
        "Voten und Zustimmungen",
        "Nachweise",
        "Nachforderungen und Ergänzungen",
        "Fragen",
    }
    # a rated criterion always has text here; an unrated one is only its heading line
    criterion_heading = re.compile(r"^[A-J]\.\d+ .* – Stufe \d – .*$")
    for number, page in enumerate(pages[:-1], start=1):
        lines = [
            line.strip()
            for line in page.extract_text().splitlines()
            if line.strip() and "Seite " not in line and "eingereicht am" not in line
        ]
        last = lines[-1]
        assert last not in headings, f"page {number} ends with the heading {last!r}"
        assert not criterion_heading.match(last), f"page {number} ends with {last!r}"


def test_long_school_name_stays_inside_the_footer():
    name = "Staatliche Regionale Schule mit Grundschule und Förderzentrum " * 4
    width = pdf.PAGE_SIZE[0] - 2 * pdf.MARGIN - pdf.PAGE_NUMBER_WIDTH
    lines = pdf.fit_lines(f"{name} · Vergaberunde 2027", pdf.REGULAR, pdf.FOOTER_SIZE, width, 2)
    assert len(lines) == 2 and lines[-1].endswith("…")
    from reportlab.pdfbase.pdfmetrics import stringWidth

    assert all(stringWidth(line, pdf.REGULAR, pdf.FOOTER_SIZE) <= width for line in lines)
    short = pdf.fit_lines("Grundschule am Wall", pdf.REGULAR, pdf.FOOTER_SIZE, width, 2)
    assert short == ("Grundschule am Wall",)
    rest = "Vergaberunde 2027 · eingereicht am 25. November 2026, 20:42 Uhr"
    footer = pdf.footer_text(name, rest)
    assert footer.endswith(f"… · {rest}")
    lines = pdf.fit_lines(footer, pdf.REGULAR, pdf.FOOTER_SIZE, width, 2)
    assert "…" not in lines[-1].replace("… ·", "") and lines[-1].endswith("20:42 Uhr")


def test_answering_a_request_issues_a_new_receipt_and_keeps_the_first(
    app, setup, staff_client, application_id
):
    _complete_everything(staff_client, application_id)
    first = _submit(staff_client, application_id)
    with app.app_context():
        application = db.session.get(Application, application_id)
        assessor = db.session.scalar(sa.select(User).where(User.email == setup.assessor))
        evidence_requests.request_more_evidence(
            application, "Bitte das Konzept nachreichen.", ["A.1"], date(2027, 5, 15), assessor
        )
        db.session.commit()
    answered = staff_client.post(
        f"/applications/{application_id}/criteria/A.1/response",
        data={"response-text": "Das Konzept liegt jetzt bei.", "response-version": ""},
        content_type="multipart/form-data",
    )
    assert answered.status_code == 302, text_of(answered)
    assert staff_client.post(f"/applications/{application_id}/resubmit").status_code == 302
    receipts = _receipts(app, application_id)
    assert len(receipts) == 2 and receipts[1].evidence_request_id is not None
    latest = staff_client.get(f"/applications/{application_id}/receipt.pdf").data
    assert hashlib.sha256(latest).hexdigest() == receipts[1].sha256
    earlier = staff_client.get(f"/applications/{application_id}/receipts/{receipts[0].id}.pdf")
    assert earlier.data == first
    text = _pdftotext(latest)
    assert "Ergänzt am" in text and "Das Konzept liegt jetzt bei." in text
    overview = text_of(staff_client.get(f"/applications/{application_id}"))
    assert "Alle Eingangsbestätigungen" in overview


def test_a_long_text_after_a_heading_starts_on_page_one(app, staff_client, application_id):
    _long_application(staff_client, application_id, 4100)
    data = _submit(staff_client, application_id)
    first_page = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "A.3 Zusammenarbeit" in first_page and "Maßnahme zu A.3" in first_page
    assert len(first_page.splitlines()) > 40, "page 1 is mostly empty"


def _supplement_receipt(app, setup, client, application_id) -> bytes:
    with app.app_context():
        application = db.session.get(Application, application_id)
        assessor = db.session.scalar(sa.select(User).where(User.email == setup.assessor))
        evidence_requests.request_more_evidence(
            application, "Bitte das Konzept nachreichen.", ["A.1"], date(2027, 5, 15), assessor
        )
        db.session.commit()
    client.post(
        f"/applications/{application_id}/criteria/A.1/response",
        data={"response-text": "Das Konzept liegt jetzt bei.", "response-version": ""},
        content_type="multipart/form-data",
    )
    assert client.post(f"/applications/{application_id}/resubmit").status_code == 302
    return client.get(f"/applications/{application_id}/receipt.pdf").data


def test_receipt_writes_dates_one_way_and_checksums_on_one_line(
    app, setup, staff_client, application_id
):
    _complete_everything(staff_client, application_id)
    _submit(staff_client, application_id)
    text = _pdftotext(_supplement_receipt(app, setup, staff_client, application_id))
    assert not re.search(r"\b\d{2}\.\d{2}\.\d{4}\b", text), "a date written as 25.11.2026"
    assert "Beschluss der Schulkonferenz" in text and "12. März 2026" in text
    assert re.search(r"Nachforderung vom \d{1,2}\. \w+ \d{4}, beantwortet am", text)
    for file in load(app, application_id).files:
        assert f"SHA-256: {file.sha256}" in text, file.display_name


def test_supplement_receipt_footer_fits_one_line(app, setup, staff_client, application_id):
    _complete_everything(staff_client, application_id)
    _submit(staff_client, application_id)
    data = _supplement_receipt(app, setup, staff_client, application_id)
    for page in _pdftotext(data).split("\f")[:-1]:
        lines = [line for line in page.splitlines() if line.strip()]
        assert re.search(r"Ergänzung vom \d{1,2}\. \w+ \d{4}, \d{2}:\d{2} Uhr +Seite", lines[-1])
