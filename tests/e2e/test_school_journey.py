"""A school fills in, completes and submits its application in the browser."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from seal_app.auth.models import Role
from seal_app.extensions import db
from seal_app.rounds.services import create_round
from tests.applications import samples
from tests.conftest import PASSWORD
from tests.e2e.conftest import PROJECT, assert_accessible


@pytest.fixture
def school_user(app, make):
    school_id = make.school(number="75001", name="Grundschule am Wall")
    with app.app_context():
        create_round(date.today().year + 1, date.today() + timedelta(days=90), "2026.1", None)
        db.session.commit()
    return make.user(
        Role.SCHOOL, "leitung@example.org", school_ids=(school_id,), name="Lena Leitung"
    )


@pytest.fixture
def files(tmp_path):
    paths = {}
    for name, data in (
        ("Krisenkonzept.pdf", samples.pdf("Krisenkonzept")),
        ("Raeumungsuebung.jpg", samples.jpeg(400, 300)),
        ("Nachweis.pdf", samples.pdf("Nachweis")),
        ("Beschluss.pdf", samples.pdf("Beschluss")),
    ):
        paths[name] = tmp_path / name
        paths[name].write_bytes(data)
    return paths


def _fill_criterion(page: Page, rating: str, text: str, file=None, description="") -> None:
    page.get_by_label(rating).check()
    page.get_by_label("Was tut Ihre Schule zu diesem Kriterium?").fill(text)
    if file is not None:
        page.get_by_label("Datei 1", exact=True).set_input_files(file)
        page.get_by_label("Beschreibung von Datei 1").fill(description)


def _progress(page: Page):
    return page.locator("label[for=overall-progress]")


def test_school_completes_and_submits_its_application(page: Page, school_user, files, tmp_path):
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(school_user)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    start = page.get_by_role("button", name=re.compile("Antrag beginnen"))
    assert start.bounding_box()["width"] > 100, "the button's text must fit on it"
    start.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Antrag von Grundschule am Wall")
    expect(_progress(page)).to_contain_text("0 von 23 Kriterien vollständig")
    assert_accessible(page, "application-overview-empty")

    # three criteria: two with evidence (a PDF and a JPEG), one without yet
    page.get_by_role("link", name="A.1 Sicherheits- und Krisenkonzept").click()
    assert_accessible(page, "application-criterion")
    _fill_criterion(
        page,
        "2 – umgesetzt",
        "Krisenteam aus Schulleitung und Beratung.",
        files["Krisenkonzept.pdf"],
        "Krisenkonzept 2025",
    )
    page.get_by_role("button", name="Speichern und weiter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "A.2 Notfall- und Räumungspläne, Übungen"
    )
    _fill_criterion(
        page,
        "3 – vorbildlich verankert",
        "Zwei Räumungsübungen im Jahr.",
        files["Raeumungsuebung.jpg"],
        "Foto der Übung im Mai",
    )
    page.get_by_role("button", name="Speichern und zur Übersicht").click()
    expect(_progress(page)).to_contain_text("2 von 23 Kriterien vollständig")
    page.get_by_role("link", name="B.1 Programme zur Gewaltprävention").click()
    _fill_criterion(page, "2 – umgesetzt", "Faustlos in Klasse 1 bis 4.")
    page.get_by_role("button", name="Speichern und zur Übersicht").click()
    expect(_progress(page)).to_contain_text("2 von 23 Kriterien vollständig")

    # too early: the check page lists what is missing, each a link to where it is fixed
    page.get_by_role("link", name="Antrag prüfen und einreichen").click()
    missing = page.locator(".missing-list")
    expect(missing.get_by_role("link")).to_have_count(6)
    assert_accessible(page, "application-submit-missing")
    for code in ("B.1", "C.1", "J.1"):
        page.locator(".missing-list").get_by_role("link", name=re.compile(f"^{code}")).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(code)
        if code != "B.1":
            _fill_criterion(page, "2 – umgesetzt", f"Umsetzung zu {code}.")
        page.get_by_label("Datei 1", exact=True).set_input_files(files["Nachweis.pdf"])
        page.get_by_label("Beschreibung von Datei 1").fill(f"Nachweis zu {code}")
        page.get_by_role("button", name="Speichern", exact=True).click()
        expect(page.get_by_text(f"{code} ist gespeichert.")).to_be_visible()
        page.get_by_role("link", name="Zurück zur Übersicht").click()
        page.get_by_role("link", name="Antrag prüfen und einreichen").click()
    expect(missing.get_by_role("link")).to_have_count(3)
    missing.get_by_role("link").first.click()
    assert_accessible(page, "application-votes")
    votes = {
        "school_conference": "Beschluss der Schulkonferenz",
        "school_authority": "Zustimmung des Staatlichen Schulamts",
        "prevention_council": "Votum des Kommunalen Präventionsrats",
    }
    for kind in votes:
        vote = page.locator(f"#vote-{kind}")
        vote.get_by_label("Datum").fill("2026-03-12")
        vote.get_by_label("Dokument (PDF, JPEG, PNG, ODT oder DOCX)").set_input_files(
            files["Beschluss.pdf"]
        )
    page.get_by_role("button", name="Speichern", exact=True).click()  # all three at once
    for label in votes.values():
        expect(page.get_by_text(f"{label} ist gespeichert.")).to_be_visible()
    page.get_by_role("link", name="Zurück zur Übersicht").click()
    expect(_progress(page)).to_contain_text("5 von 23 Kriterien vollständig, 3 von 3 Voten")
    assert_accessible(page, "application-overview-ready")

    page.get_by_role("link", name="Antrag prüfen und einreichen").click()
    page.get_by_role("button", name="Antrag verbindlich einreichen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Antrag ist eingereicht")
    page.get_by_role("link", name="Zum eingereichten Antrag").click()
    expect(page.get_by_text("eingereicht", exact=True)).to_be_visible()
    assert_accessible(page, "application-overview-submitted")
    page.get_by_role("link", name="A.1 Sicherheits- und Krisenkonzept").click()
    expect(page.get_by_text("Krisenteam aus Schulleitung und Beratung.")).to_be_visible()
    expect(page.get_by_label("Was tut Ihre Schule zu diesem Kriterium?")).to_have_count(0)
    assert_accessible(page, "application-criterion-read-only")

    page.get_by_role("link", name="Zurück zur Übersicht").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Eingangsbestätigung (PDF) herunterladen").click()
    receipt = tmp_path / "receipt.pdf"
    download_info.value.save_as(receipt)
    (PROJECT / "test-artifacts").mkdir(exist_ok=True)
    (PROJECT / "test-artifacts" / "receipt.pdf").write_bytes(receipt.read_bytes())
    text = "".join(p.extract_text() for p in PdfReader(receipt).pages)
    assert "Eingangsbestätigung" in text and "Grundschule am Wall" in text
    assert "Krisenkonzept.pdf" in text and "Raeumungsuebung.jpg" in text


def test_application_pages_work_at_phone_width(page: Page, school_user):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(school_user)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    assert_accessible(page, "home-school-phone")
    page.get_by_role("button", name=re.compile("Antrag beginnen")).click()
    for name in ("overview", "criterion", "votes"):
        if name == "criterion":
            page.get_by_role("link", name="C.1 Schülerstreitschlichtung").click()
        if name == "votes":
            page.goto(page.url.rsplit("/criteria/", 1)[0] + "/votes")
        assert_accessible(page, f"application-{name}-phone")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{name} scrolls sideways on a phone ({width}px)"


def test_kept_file_gets_the_description_typed_in_its_slot(page: Page, school_user, files):
    """At phone width: a file chosen without a description is kept in its slot; the description
    typed there is saved with it; the file then shows once, in the one list, editable."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(school_user)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("button", name=re.compile("Antrag beginnen")).click()
    page.get_by_role("link", name="A.1 Sicherheits- und Krisenkonzept").click()
    criterion_url = page.url

    page.get_by_label("Datei 1", exact=True).set_input_files(files["Krisenkonzept.pdf"])
    page.get_by_role("button", name="Speichern", exact=True).click()
    expect(page.get_by_text("Bitte beschreiben Sie die Datei kurz.").first).to_be_visible()
    expect(page.get_by_text("„Krisenkonzept.pdf“ (", exact=False)).to_be_visible()
    assert_accessible(page, "application-criterion-kept-file-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible(page, "application-criterion-kept-file")
    page.set_viewport_size({"width": 390, "height": 844})

    description = page.get_by_label("Beschreibung von Datei 1 („Krisenkonzept.pdf“)")
    description.fill("Krisenkonzept 2025")
    description.press("Enter")  # the common path: „Speichern und weiter“
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "A.2 Notfall- und Räumungspläne, Übungen"
    )

    page.goto(criterion_url)
    files_list = page.locator(".file-list")
    expect(files_list.get_by_role("link", name="Krisenkonzept.pdf", exact=True)).to_have_count(1)
    expect(page.get_by_text("Noch keine Nachweise.")).to_have_count(0)
    expect(page.get_by_label("Beschreibung von „Krisenkonzept.pdf“")).to_have_value(
        "Krisenkonzept 2025"
    )
    assert_accessible(page, "application-criterion-files-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the criterion page scrolls sideways on a phone ({width}px)"

    page.get_by_label("Beschreibung von „Krisenkonzept.pdf“").fill("Krisenkonzept, Fassung 2025")
    page.get_by_role("button", name="Speichern", exact=True).click()
    expect(page.get_by_label("Beschreibung von „Krisenkonzept.pdf“")).to_have_value(
        "Krisenkonzept, Fassung 2025"
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible(page, "application-criterion-files")
    page.get_by_role("link", name="Löschen Krisenkonzept.pdf").click()
    expect(page.get_by_role("heading", name="Datei löschen?")).to_be_visible()
    expect(page.get_by_text("Krisenkonzept.pdf")).to_be_visible()
    assert_accessible(page, "application-delete-file")
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page, "application-delete-file-phone")
    page.get_by_role("link", name="Abbrechen").click()
    expect(page.get_by_label("Beschreibung von „Krisenkonzept.pdf“")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Löschen Krisenkonzept.pdf").click()
    page.get_by_role("button", name="Datei endgültig löschen").click()
    expect(page.get_by_text("„Krisenkonzept.pdf“ ist gelöscht.")).to_be_visible()
    expect(page.get_by_text("Noch keine Nachweise.")).to_have_count(1)
