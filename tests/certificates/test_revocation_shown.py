"""A revoked certificate is shown as revoked wherever certificates or sealed schools appear: the
office's lists, home page and dashboard, the exports, the public list with its CSV and PDF,
the verification, and the school's own pages."""

from __future__ import annotations

import csv
import io

import pytest
from pypdf import PdfReader

from seal_app.local_time import local_today
from tests.certificates.decision_setup import round_id_of
from tests.certificates.revocation_setup import REASON, Issued, issued, revoked, today_long
from tests.conftest import text_of
from tests.exports.helpers import csv_rows, download, xlsx_rows, xlsx_sheet
from tests.reviews.jury_setup import client_of

SCHOOL = "Grundschule am Wall"


@pytest.fixture
def certificate(app, agreed) -> Issued:
    found = issued(app, agreed)
    revoked(app, found)
    return found


def _revoked_mark(app, certificate: Issued) -> str:
    return f"Urkunde Nr. {certificate.number} widerrufen am {today_long(app)}"


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


# --- the office -------------------------------------------------------------------------------


def test_the_office_lists_show_the_revocation(app, certificate):
    office = client_of(app, certificate.meeting.office)
    meeting = certificate.meeting
    round_id = round_id_of(app, meeting.application_id)
    mark = _revoked_mark(app, certificate)
    pages = {
        "applications": "/office/applications/",
        "round": f"/office/rounds/{round_id}/decisions",
        "school": f"/office/schools/{meeting.school_id}",
        "application": f"/office/applications/{meeting.application_id}",
    }
    for name, url in pages.items():
        page = text_of(office.get(url))
        assert mark in page, name
        assert f"Urkunde Nr. {certificate.number}, gültig bis" not in page, name


def test_the_office_home_lists_the_revoked_seal_not_as_expiring(app, certificate):
    html = client_of(app, certificate.meeting.office).get("/").get_data(as_text=True)
    assert certificate.number not in _section(html, "expiring-title")
    revoked_part = _section(html, "revoked-title")
    assert "Widerrufene Siegel" in revoked_part and SCHOOL in revoked_part
    assert "Eine Urkunde wurde widerrufen, bevor ihre Gültigkeit ablief" in revoked_part
    assert _revoked_mark(app, certificate) in revoked_part


def test_the_dashboard_counts_and_lists_it(app, certificate):
    html = client_of(app, certificate.meeting.office).get("/office/dashboard/").text
    expiring = _section(html, "expiring-title")
    assert "0 Schulen tragen zurzeit das Siegel." in expiring
    assert certificate.number not in expiring
    assert _revoked_mark(app, certificate) in _section(html, "revoked-title")


# --- the exports ------------------------------------------------------------------------------


def test_the_applications_export_says_revoked_with_the_day(app, certificate):
    office = client_of(app, certificate.meeting.office)
    round_id = round_id_of(app, certificate.meeting.application_id)
    with app.app_context():
        today = local_today()
    query = {"antraege-round_id": str(round_id), "antraege-file_format": "xlsx"}
    data = download(office, "/office/exports/applications", **query)
    rows = xlsx_rows(data)
    assert rows[0][-3:] == ["Urkunde", "Stand der Urkunde", "Widerrufen am"]
    assert rows[1][-3] == certificate.number and rows[1][-2] == "widerrufen"
    assert rows[1][-1].date() == today and xlsx_sheet(data)["A2"].value == SCHOOL
    query["antraege-file_format"] = "csv"
    as_csv = csv_rows(download(office, "/office/exports/applications", **query))
    assert as_csv[1][-2:] == ["widerrufen", today.strftime("%d.%m.%Y")]


def test_the_sealed_schools_export_leaves_it_out(app, certificate):
    office = client_of(app, certificate.meeting.office)
    for file_format in ("xlsx", "csv"):
        data = download(office, "/office/exports/sealed", **{"siegel-file_format": file_format})
        rows = xlsx_rows(data) if file_format == "xlsx" else csv_rows(data)
        assert len(rows) == 1 and rows[0][0] == "Schule"  # the header only


# --- the public -------------------------------------------------------------------------------


def test_the_public_list_and_its_files_leave_it_out(app, certificate):
    anonymous = app.test_client()
    page = text_of(anonymous.get("/siegelschulen"))
    assert SCHOOL not in page and certificate.number not in page
    rows = list(csv.reader(io.StringIO(anonymous.get("/siegelschulen.csv").text), delimiter=";"))
    assert len(rows) == 1
    notice = PdfReader(io.BytesIO(anonymous.get("/siegelschulen.pdf").data))
    text = " ".join(page.extract_text() for page in notice.pages)
    assert SCHOOL not in text and certificate.number not in text
    assert "Zurzeit trägt keine Schule dieser Auswahl das Siegel." in " ".join(text.split())


def test_the_verification_says_revoked_since_when_and_not_valid(app, certificate):
    page = text_of(app.test_client().get(f"/verify/{certificate.number}"))
    assert "Die Urkunde ist widerrufen." in page
    assert f"Widerrufen am {today_long(app)}. Grund: {REASON}" in page
    assert "Seit dem Widerruf ist die Urkunde nicht mehr gültig" in page
    assert "Die Urkunde ist gültig." not in page


# --- the school -------------------------------------------------------------------------------


def test_the_schools_pages_say_revoked_with_the_day_and_the_reason(app, certificate):
    school = client_of(app, certificate.meeting.staff)
    application_id = certificate.meeting.application_id
    notice = f"Urkunde widerrufen am {today_long(app)} Grund: {REASON}"
    for url in ("/", f"/applications/{application_id}", f"/applications/{application_id}/feedback"):
        page = text_of(school.get(url))
        assert notice in page, url
        assert "Urkunde mit Widerrufsvermerk (PDF)" in page, url
        assert "Ihr Siegel gilt bis" not in page and "herunterladen (PDF)" not in page, url
