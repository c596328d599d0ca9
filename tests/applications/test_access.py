"""Who sees which application and file: own school yes, other schools 404, assessors only
when assigned, the office everything; only the school's staff change anything."""

from __future__ import annotations

import pytest

from seal_app.auth.models import User
from seal_app.extensions import db
from seal_app.reviews.models import Assignment, ConflictState
from tests.applications import samples
from tests.applications.conftest import criterion_data, load, post_criterion, upload
from tests.conftest import login

VIEWS = [
    "/applications/{id}",
    "/applications/{id}/criteria/A.1",
    "/applications/{id}/votes",
    "/applications/{id}/files/{file}",
    "/applications/{id}/files/{file}/preview",
]
CHANGES = [
    ("/applications/{id}/criteria/A.1", {"measures": "fremd", "version": "1"}),
    ("/applications/{id}/criteria/A.1/response", {"response-text": "fremd"}),
    ("/applications/{id}/votes", {"school_conference-decided_on": "2026-01-01"}),
    ("/applications/{id}/files/{file}/replace", {}),
    ("/applications/{id}/files/{file}/delete", {}),
    ("/applications/{id}/submit", {}),
    ("/applications/{id}/resubmit", {}),
]


@pytest.fixture
def ids(app, staff_client, application_id):
    post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(file_1=upload(samples.pdf(), "Konzept.pdf"), description_1="Konzept"),
    )
    return {"id": application_id, "file": load(app, application_id).files[0].id}


def _client(app, email):
    client = app.test_client()
    if email:
        login(client, email)
    return client


def _assign(app, setup, application_id, state=ConflictState.NONE):
    with app.app_context():
        assessor = db.session.scalar(db.select(User).where(User.email == setup.assessor))
        db.session.add(
            Assignment(application_id=application_id, assessor_id=assessor.id, conflict_state=state)
        )
        db.session.commit()


@pytest.mark.parametrize("who", ["staff", "colleague", "office", "assigned assessor"])
def test_allowed_readers_see_every_page_and_file(app, setup, ids, who):
    if who == "assigned assessor":
        _assign(app, setup, ids["id"])
    email = {
        "staff": setup.staff,
        "colleague": setup.colleague,
        "office": setup.office,
        "assigned assessor": setup.assessor,
    }[who]
    client = _client(app, email)
    for url in VIEWS:
        response = client.get(url.format(**ids))
        assert response.status_code == 200, f"{url} as {who}: {response.status_code}"
    # the check before submitting speaks to the school; the others read the overview
    check = client.get("/applications/{id}/submit".format(**ids))
    if who in {"staff", "colleague"}:
        assert check.status_code == 200
    else:
        assert check.headers["Location"] == "/applications/{id}".format(**ids)


@pytest.mark.parametrize("state", [ConflictState.PENDING, ConflictState.CONFLICT])
def test_an_assessor_sees_nothing_before_declaring_and_nothing_after_a_conflict(
    app, setup, ids, state
):
    _assign(app, setup, ids["id"], state)
    client = _client(app, setup.assessor)
    for url in VIEWS:
        assert client.get(url.format(**ids)).status_code == 404, (url, state)


@pytest.mark.parametrize("who", ["other school", "unassigned assessor"])
def test_others_get_404_for_pages_files_and_changes(app, setup, ids, who):
    email = setup.other_staff if who == "other school" else setup.assessor
    client = _client(app, email)
    for url in VIEWS:
        assert client.get(url.format(**ids)).status_code == 404, url
    for url, data in CHANGES:
        assert client.post(url.format(**ids), data=data).status_code in (403, 404), url
    assert load(app, ids["id"]).answer_for("A.1").measures.startswith("Wir haben")
    assert len(load(app, ids["id"]).files) == 1


@pytest.mark.parametrize("who", ["office", "assigned assessor"])
def test_readers_who_are_not_the_school_change_nothing(app, setup, ids, who):
    if who == "assigned assessor":
        _assign(app, setup, ids["id"])
    client = _client(app, setup.office if who == "office" else setup.assessor)
    for url, data in CHANGES:
        assert client.post(url.format(**ids), data=data).status_code == 403, url
    assert len(load(app, ids["id"]).files) == 1


def test_anonymous_visitors_are_sent_to_login(app, ids):
    client = app.test_client()
    for url in VIEWS:
        assert client.get(url.format(**ids)).headers["Location"].startswith("/login"), url
    for url, data in CHANGES:
        assert client.post(url.format(**ids), data=data).headers["Location"].startswith("/login"), (
            url
        )


def test_files_are_served_with_safe_headers(app, staff_client, ids):
    download = staff_client.get("/applications/{id}/files/{file}".format(**ids))
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "Konzept.pdf" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download.headers["Content-Security-Policy"]
    assert "no-store" in download.headers["Cache-Control"]
    assert download.data.startswith(b"%PDF-")
    preview = staff_client.get("/applications/{id}/files/{file}/preview".format(**ids))
    assert preview.headers["Content-Disposition"].startswith("inline;")
    assert preview.mimetype == "application/pdf"
    # framed only by this site's own pages (the scoring page), and still sandboxed
    assert "frame-ancestors 'self'" in preview.headers["Content-Security-Policy"]
    assert "sandbox" in preview.headers["Content-Security-Policy"]
    assert preview.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'none'" in download.headers["Content-Security-Policy"]
    assert download.headers["X-Frame-Options"] == "DENY"


def test_office_lists_all_applications(app, setup, ids):
    client = _client(app, setup.office)
    page = client.get("/office/applications/").get_data(as_text=True)
    assert "Grundschule am Wall" in page and "in Bearbeitung" in page


def test_assessor_home_lists_assigned_applications(app, setup, ids):
    client = _client(app, setup.assessor)
    assert "keine Anträge zur Begutachtung" in client.get("/").get_data(as_text=True)
    _assign(app, setup, ids["id"])
    page = client.get("/").get_data(as_text=True)
    with app.app_context():
        assignment_id = db.session.scalar(db.select(Assignment.id))
    assert "Grundschule am Wall" in page and f'href="/review/{assignment_id}"' in page
