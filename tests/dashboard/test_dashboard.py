"""The office's dashboard: the numbers a user checks, the links behind them, the chart, the
page without an open round, the list's filters, and a constant number of SQL statements."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from seal_app.auth.models import Role
from seal_app.extensions import db
from seal_app.rounds.services import create_round
from tests.conftest import login, text_of
from tests.dashboard.dashboard_setup import Setup, add_applications, build, monday

PAGE = "/office/dashboard/"


@pytest.fixture
def setup(app, make) -> Setup:
    return build(app, make)


@pytest.fixture
def office(app, setup):
    client = app.test_client()
    login(client, setup.office)
    return client


def _section(html: str, title_id: str) -> str:
    """The visible text of one section of the page (up to the next section)."""
    start = html.index(f'id="{title_id}"')
    end = html.find("<section", start)
    return " ".join(re.sub(r"<[^>]+>", " ", html[start : end if end > 0 else None]).split())


def test_applications_by_state_with_the_same_numbers_as_links(office, setup):
    html = office.get(PAGE).get_data(as_text=True)
    states = _section(html, "states-title")
    assert "in Bearbeitung 1 eingereicht 1 Nachforderung offen 1 in Begutachtung 1" in states
    assert "Siegel verliehen 0 nicht verliehen 0 zurückgestellt 0 zusammen 4" in states
    assert 'aria-label="1 Antrag: eingereicht"' in html
    assert 'aria-label="4 Anträge in der Runde"' in html

    # The number of submitted applications leads to exactly that list.
    link = re.search(r'href="([^"]*status=submitted[^"]*)"', html).group(1).replace("&amp;", "&")
    assert f"round={setup.round_id}" in link
    listing = text_of(office.get(link))
    assert "Gymnasium an der Nebel" in listing
    assert "Grundschule Am Kamp" not in listing
    assert "Gefiltert: Status „eingereicht“, Vergaberunde" in listing

    # The total leads to the round's four applications, not last year's.
    total = re.search(r'href="([^"]*)" aria-label="4 Anträge in der Runde"', html).group(1)
    listing = text_of(office.get(total.replace("&amp;", "&")))
    assert listing.count("Siegel verliehen") == 0
    for school in ("Grundschule am Wall", "Grundschule Am Kamp", "Regionale Schule Heidberg"):
        assert school in listing


def test_chart_is_an_image_with_alt_text_beside_the_table(office, setup):
    html = office.get(PAGE).get_data(as_text=True)
    assert re.search(r'<img src="/office/dashboard/states.svg"[^>]+alt="Balkendiagramm', html)
    response = office.get("/office/dashboard/states.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert "no-store" in response.headers["Cache-Control"]
    svg = response.get_data(as_text=True)
    assert "Anträge nach Status (" in svg
    for label in ("in Bearbeitung", "Nachforderung offen", "zurückgestellt", "Anzahl der Anträge"):
        assert label in svg


def test_submissions_per_week_up_to_today(office, setup):
    weeks = _section(office.get(PAGE).get_data(as_text=True), "weeks-title")
    this_week = monday(setup.today)
    rows = [
        (this_week - timedelta(days=14), 2, 2),
        (this_week - timedelta(days=7), 1, 3),
        (this_week, 0, 3),
    ]
    for start, count, running in rows:
        number = start.isocalendar().week
        assert re.search(rf"KW {number} \({start:%d.%m.} – [0-9.]+\) {count} {running}", weeks)
    assert weeks.count("KW ") == 3


def test_assessors_load_and_progress(office, setup):
    html = office.get(PAGE).get_data(as_text=True)
    loads = _section(html, "loads-title")
    assert "Anna Arndt 1 1 0" in loads
    assert "Ben Brandt 1 0 1" in loads
    assert "Clara Claussen 0 0 0" in loads
    assert "Dora Dahl" not in loads
    assert f'href="/office/rounds/{setup.round_id}/assignments"' in html


def test_overdue_requests_link_to_the_application(office, setup):
    html = office.get(PAGE).get_data(as_text=True)
    requests = _section(html, "requests-title")
    assert "Regionale Schule Heidberg" in requests
    assert "seit 3 Tagen überfällig" in requests
    assert "Grundschule Am Kamp" not in requests  # answered, though after its due date
    heidberg = setup.application_ids["heidberg"]
    assert f'href="/office/applications/{heidberg}">Regionale Schule Heidberg</a>' in html


def test_expiring_seals_link_to_the_verification(office, setup):
    html = office.get(PAGE).get_data(as_text=True)
    expiring = _section(html, "expiring-title")
    assert "Schule 2026-001 (Güstrow): Urkunde Nr. 2026-001" in expiring
    assert "2026-002" not in expiring  # valid for another 400 days
    assert "2026-003" not in expiring  # revoked
    assert 'href="/verify/2026-001"' in html


def test_schools_without_an_enabled_account(office, setup):
    html = office.get(PAGE).get_data(as_text=True)
    schools = _section(html, "unstaffed-title")
    assert schools.startswith('unstaffed-title"> 2 Schulen ohne aktives Konto') or (
        "2 Schulen ohne aktives Konto" in schools
    )
    assert "Gymnasium an der Nebel (Güstrow)" in schools  # its only account is disabled
    assert "Regionale Schule Heidberg (Güstrow)" in schools
    assert "Grundschule am Wall" not in schools
    assert f'href="/office/schools/{setup.school_ids["nebel"]}"' in html
    assert 'href="/office/schools/"' in html


def test_without_an_open_round_the_page_says_so(app, make):
    school_id = make.school(name="Grundschule am Wall")
    make.user(Role.SCHOOL, "wall@example.org", school_ids=(school_id,))
    office = app.test_client()
    login(office, make.user(Role.OFFICE, "buero@example.org"))
    response = office.get(PAGE)
    assert response.status_code == 200
    text = text_of(response)
    assert "Zurzeit ist keine Vergaberunde offen." in text
    assert "Anträge nach Status" not in text
    assert "0 Schulen ohne aktives Konto" in text
    assert office.get("/office/dashboard/states.svg").status_code == 404


def test_a_round_without_submissions(app, make):
    office = app.test_client()
    login(office, make.user(Role.OFFICE, "buero@example.org"))
    with app.app_context():
        create_round(2031, date(2031, 6, 30), "2026.1", None)
        db.session.commit()
    text = text_of(office.get(PAGE))
    assert "Noch ist kein Antrag eingereicht." in text
    assert "zusammen 0" in text
    assert "Es gibt noch keine aktiven Konten für Gutachterinnen und Gutachter." in text
    assert office.get("/office/dashboard/states.svg").status_code == 200


@pytest.mark.parametrize("query", ["status=lost", "round=abc", "round=99999999999", "round=0"])
def test_unknown_filters_of_the_list_are_dropped_with_a_message(office, setup, query):
    response = office.get(f"/office/applications/?{query}")
    assert response.status_code == 200
    text = text_of(response)
    assert "Diesen Filter gibt es nicht. Er wurde nicht angewendet." in text
    assert "Grundschule Am Kamp" in text and "Gymnasium an der Nebel" in text


def test_the_list_filtered_by_round_and_status(office, setup):
    text = text_of(office.get(f"/office/applications/?status=draft&round={setup.round_id}"))
    assert "Grundschule am Wall" in text and "Grundschule Am Kamp" not in text
    text = text_of(office.get("/office/applications/?status=not_awarded"))
    assert "Keine Anträge mit diesem Filter." in text
    assert "Gefiltert: Status „nicht verliehen“." in text


def test_office_finds_the_dashboard(office, setup):
    home = office.get("/").get_data(as_text=True)
    assert home.count('href="/office/dashboard/"') == 2  # navigation and the office's home
    assert "Kennzahlen der Runde ansehen" in home


def test_statements_do_not_grow_with_applications(app, office, setup):
    def statements() -> int:
        with app.app_context():
            engine = db.engine
        counter = {"count": 0}

        def count(*_args) -> None:
            counter["count"] += 1

        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            assert office.get(PAGE).status_code == 200
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        return counter["count"]

    few = statements()
    add_applications(app, setup.round_id, 12, setup.today)
    many = statements()
    assert many == few
    states = _section(office.get(PAGE).get_data(as_text=True), "states-title")
    assert "Nachforderung offen 13" in states
