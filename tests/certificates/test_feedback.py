"""The school's written feedback, as a page and an A4 PDF: the decision, strengths, the agreed
level beside the school's own rating, the levels per area (chart and table), the advice; no
assessor's name and no single assessor's score."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from seal_app.applications.models import Application
from seal_app.auth.models import Role
from seal_app.extensions import db
from seal_app.schools.models import School
from tests.certificates.decision_setup import decide, release, round_id_of, stored_decision
from tests.conftest import text_of
from tests.reviews.jury_setup import Meeting, client_of

SCHOOL = "Grundschule „Am Mühlenteich“ Güstrow"
ARTIFACTS = Path(__file__).parent.parent.parent / "test-artifacts"
STRENGTHS = "Ein Krisenteam, das sich monatlich trifft."


@pytest.fixture
def released(app, agreed) -> Meeting:
    with app.app_context():
        application = db.session.get(Application, agreed.application_id)
        db.session.get(School, application.school_id).name = SCHOOL
        db.session.commit()
    office = client_of(app, agreed.office)
    decide(
        office,
        agreed.application_id,
        strengths=STRENGTHS,
        advice_B="Beziehen Sie die Eltern stärker ein.",
    )
    round_id = round_id_of(app, agreed.application_id)
    assert (
        release(office, round_id, [stored_decision(app, agreed.application_id)]).status_code == 302
    )
    return agreed


def _urls(application_id: int) -> list[str]:
    base = f"/applications/{application_id}/feedback"
    return [base, f"{base}.pdf", f"{base}/chart.svg"]


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


FORBIDDEN = ("Anna Arndt", "Bernd Brandt", "Kommentar 2", "Überzeugendes Konzept.")


def test_the_feedback_page_speaks_for_the_jury(app, released):
    school = client_of(app, released.staff)
    overview = school.get(f"/applications/{released.application_id}").text
    assert f'href="/applications/{released.application_id}/feedback"' in overview
    page = school.get(f"/applications/{released.application_id}/feedback")
    text = text_of(page)
    assert "Rückmeldung der Jury" in text and "Siegel verliehen" in text
    assert STRENGTHS in text and "Beziehen Sie die Eltern stärker ein." in text
    assert "Üben Sie die Räumung im Winter." in text
    assert "A.1 Sicherheits- und Krisenkonzept 2 2" in text  # own rating, then the jury's
    assert "2,00" in text  # the mean agreed level of an area, as in the chart
    for word in FORBIDDEN:
        assert word not in text, word


def test_the_feedback_letter_is_an_a4_pdf_with_embedded_fonts_and_a_vector_chart(app, released):
    answer = client_of(app, released.staff).get(
        f"/applications/{released.application_id}/feedback.pdf"
    )
    assert answer.mimetype == "application/pdf"
    assert "Rueckmeldung-75001-" in answer.headers["Content-Disposition"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "feedback-letter.pdf").write_bytes(answer.data)  # to look at
    reader = PdfReader(io.BytesIO(answer.data))
    width, height = (float(value) for value in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    assert reader.metadata.title == f"Rückmeldung der Jury – {SCHOOL}"
    text = _pdf_text(answer.data)
    assert SCHOOL in text and "Entscheidung vom" in text and "Siegel verliehen" in text
    assert STRENGTHS in text and "Mittlere vereinbarte Stufe je Bereich" in text
    for word in FORBIDDEN:
        assert word not in text, word
    fonts = subprocess.run(
        ["pdffonts", "-"], input=answer.data, capture_output=True, check=True
    ).stdout.decode()
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), fonts  # every font embedded
    images = subprocess.run(
        ["pdfimages", "-list", "-"], input=answer.data, capture_output=True, check=True
    ).stdout.decode()
    assert len(images.splitlines()) == 2, images  # only the header: the chart is vector


def test_the_chart_is_an_svg_with_its_numbers(app, released):
    answer = client_of(app, released.staff).get(
        f"/applications/{released.application_id}/feedback/chart.svg"
    )
    assert answer.mimetype == "image/svg+xml"
    assert "Mittlere vereinbarte Stufe je Bereich" in answer.text and "2,00" in answer.text


def test_nobody_reads_the_feedback_before_therelease(app, agreed):
    office = client_of(app, agreed.office)
    decide(office, agreed.application_id)
    for client in (office, client_of(app, agreed.staff), client_of(app, agreed.first)):
        for url in _urls(agreed.application_id):
            assert client.get(url).status_code == 404, url


def test_the_school_its_assessors_and_the_office_read_it_others_do_not(app, make, released):
    for email in (released.staff, released.office, released.first):
        client = client_of(app, email)
        for url in _urls(released.application_id):
            assert client.get(url).status_code == 200, (email, url)
    other_school = make.school(number="75077")
    stranger = make.user(Role.SCHOOL, "fremd@example.org", school_ids=(other_school,))
    outsider = make.user(Role.ASSESSOR, "aussen@example.org")
    for email in (stranger, outsider):
        client = client_of(app, email)
        for url in _urls(released.application_id):
            assert client.get(url).status_code == 404, (email, url)
    anonymous = app.test_client().get(_urls(released.application_id)[1])
    assert anonymous.status_code == 302 and "/login" in anonymous.location
