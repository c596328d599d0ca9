"""Ids too large for the database and control characters in redirect targets are refused
cleanly: 404 for an id that cannot exist, the start page for a redirect, never an error."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

from seal_app.applications.models import Application, ApplicationStatus
from seal_app.auth.models import Role
from seal_app.extensions import db
from seal_app.rounds.services import create_round
from seal_app.schools.models import School
from seal_app.views import get_or_404
from tests.applications.conftest import criterion_data, post_criterion
from tests.conftest import login, text_of

HUGE = "9999999999999999999999999"
JUST_TOO_LARGE = str(2**31)


def _id_routes(app) -> list[tuple[str, str]]:
    """Every route with a number in its path, that number replaced by ``{id}``."""
    routes = []
    for rule in app.url_map.iter_rules():
        numbers = [
            name for name, kind in rule._converters.items() if isinstance(kind, IntegerConverter)
        ]
        if not numbers:
            continue
        path = rule.rule
        for name in numbers:
            path = path.replace(f"<int:{name}>", "{id}")
        path = path.replace("<code>", "A.1").replace("<area_code>", "A").replace("<kind>", "x")
        method = "GET" if "GET" in rule.methods else "POST"
        routes.append((method, path))
    return routes


@pytest.mark.parametrize("role", ["school", "office"])
@pytest.mark.parametrize("number", [HUGE, JUST_TOO_LARGE])
def test_ids_beyond_the_database_range_are_not_found_on_every_route(
    app, client, accounts, role, number
):
    login(client, accounts[role])
    routes = _id_routes(app)
    assert ("GET", "/applications/{id}") in routes
    for method, path in routes:
        response = client.open(path.format(id=number), method=method)
        # no route matches a number beyond the range, whatever routes share the path
        assert response.status_code == 404, (method, path, response.status_code)


def test_the_largest_possible_id_is_still_looked_up(client, accounts):
    login(client, accounts["office"])
    assert client.get(f"/office/schools/{2**31 - 1}").status_code == 404


def test_get_or_404_refuses_ids_the_database_cannot_hold(app):
    with app.test_request_context():
        for number in (2**31, 2**63, 10**30, 0, -1):
            with pytest.raises(NotFound):
                get_or_404(School, number)


@pytest.mark.parametrize("school_id", [HUGE, JUST_TOO_LARGE, "-1", "1e3", "", "٣"])
def test_starting_an_application_for_an_impossible_school_is_not_found(client, accounts, school_id):
    login(client, accounts["school"])
    response = client.post("/applications/start", data={"school_id": school_id})
    assert response.status_code == 404


def _schools(make, count: int) -> None:
    for number in range(count):
        make.school(number=f"{76000 + number}", name=f"Schule {number:03d}")


@pytest.mark.parametrize("page", [HUGE, JUST_TOO_LARGE, "4", "999"])
def test_a_page_past_the_end_shows_the_last_page(app, client, accounts, make, monkeypatch, page):
    monkeypatch.setitem(app.config, "SCHOOLS_PER_PAGE", 2)
    _schools(make, 4)  # with the accounts' school: 5 schools, 3 pages
    login(client, accounts["office"])
    response = client.get(f"/office/schools/?page={page}")
    assert response.status_code == 200
    assert "Schule 003" in text_of(response)  # the last page


@pytest.mark.parametrize("page", ["-5", "0", "abc", "", "²"])
def test_a_page_number_that_is_no_page_shows_the_first(client, accounts, page):
    login(client, accounts["office"])
    response = client.get(f"/office/schools/?page={page}")
    assert response.status_code == 200
    assert "Grundschule am Wall" in text_of(response)


@pytest.mark.parametrize(
    "target",
    [
        "/\r\nSet-Cookie: evil=1",
        "/login\nX-Injected: 1",
        "/\t/evil.example.com",
        "/\x1b[31m",
        "/login\x7f",
        "/\x85evil",
    ],
)
def test_language_switch_refuses_targets_with_control_characters(client, target):
    response = client.post("/language", data={"language": "en", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "evil" not in response.headers.get("Set-Cookie", "")


def test_login_refuses_a_next_target_with_control_characters(client, accounts):
    response = client.post(
        "/login?next=%2F%0D%0ASet-Cookie%3A%20evil%3D1",
        data={"email": accounts["school"], "password": "Kastanienbaum-Regenjacke-42"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_plain_path_is_still_followed(client):
    response = client.post("/language", data={"language": "en", "next": "/catalogue/"})
    assert response.headers["Location"] == "/catalogue/"


@pytest.mark.parametrize("version", ["²", "٣", HUGE])
def test_a_version_that_is_no_plain_number_is_a_stale_edit_not_an_error(app, client, make, version):
    school_id = make.school(number="75123")
    login(client, make.user(Role.OFFICE))
    data = {
        "school_number": "75123",
        "name": "Grundschule Am Hafen",
        "school_type": "grundschule",
        "street": "Hafenstraße 1",
        "postal_code": "18225",
        "town": "Kühlungsborn",
        "school_authority": "Stadt Kühlungsborn",
        "district": "Landkreis Rostock",
        "version": version,
    }
    response = client.post(f"/office/schools/{school_id}/edit", data=data)
    assert response.status_code == 200
    assert "Jemand anderes hat diese Schule inzwischen geändert" in text_of(response)


# --- NUL bytes, oversized bodies, absurd dates ------------------------------------------------


@pytest.mark.parametrize(
    ("role", "method", "path", "data"),
    [
        ("anonymous", "POST", "/login", {"email": "schule@example.org\x00", "password": "x"}),
        ("anonymous", "POST", "/register", {"name": "A\x00B", "school_number": "75001"}),
        ("office", "GET", "/office/schools/?q=a%00", None),
        ("office", "GET", "/office/security-log?email=a%00", None),
        ("office", "POST", "/office/schools/new", {"name\x00": "x"}),
    ],
)
def test_a_nul_byte_anywhere_in_the_input_is_a_bad_request(
    client, accounts, role, method, path, data
):
    """PostgreSQL cannot store NUL in text; no person types it: 400, never 500."""
    if role != "anonymous":
        login(client, accounts[role])
    response = client.open(path, method=method, data=data)
    assert response.status_code == 400
    assert "Die Anfrage war fehlerhaft" in text_of(response)


def _started_application(app, client, accounts) -> int:
    """The school user's application in a new open round (the user is logged in)."""
    login(client, accounts["school"])
    with app.app_context():
        create_round(date.today().year + 1, date.today() + timedelta(days=30), "2026.1", None)
        db.session.commit()
        school_id = db.session.scalar(db.select(School.id))
    started = client.post("/applications/start", data={"school_id": school_id})
    return int(started.headers["Location"].rsplit("/", 1)[1])


def test_a_nul_byte_in_a_saved_text_changes_nothing(app, client, accounts):
    application_id = _started_application(app, client, accounts)
    response = post_criterion(client, application_id, "A.1", criterion_data(measures="a\x00b"))
    assert response.status_code == 400
    page = client.get(f"/applications/{application_id}/criteria/A.1")
    assert "a\x00b" not in page.get_data(as_text=True)


def test_a_form_without_files_takes_no_large_body(client, app):
    """Only forms with uploads take bodies beyond ``MAX_FORM_BYTES``; a 5 MB login is 413."""
    body = {"email": "x@example.org", "password": "p" * (5 * 1024 * 1024)}
    response = client.post("/login", data=body)
    assert response.status_code == 413
    assert app.config["MAX_FORM_BYTES"] < 5 * 1024 * 1024


def test_an_upload_form_still_takes_a_large_file(client, accounts, app):
    login(client, accounts["office"])
    csv = "schulnummer;name\n" + "x" * (2 * 1024 * 1024)
    response = client.post(
        "/office/schools/import",
        data={"file": (io.BytesIO(csv.encode()), "schulen.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200  # read and refused with line numbers, not 413
    assert "Zeile" in text_of(response)


@pytest.mark.parametrize("field", ["date_from", "date_to"])
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_dates_far_outside_any_use_are_refused_not_an_error(client, accounts, field, day):
    login(client, accounts["office"])
    response = client.get(f"/office/audit/?{field}={day}")
    assert response.status_code == 200
    assert "zwischen 1900 und 2999" in text_of(response)


def test_changing_a_submitted_application_is_refused_in_german(app, client, accounts):
    application_id = _started_application(app, client, accounts)
    with app.app_context():
        db.session.get(Application, application_id).status = ApplicationStatus.SUBMITTED
        db.session.commit()
    response = post_criterion(client, application_id, "A.1", criterion_data())
    assert response.status_code == 409
    assert "kann nicht mehr geändert werden" in text_of(response)
