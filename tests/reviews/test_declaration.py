"""The declaration (Befangenheit): before anything of the application, once, logged."""

from __future__ import annotations

import sqlalchemy as sa

from seal_app.audit.models import AuditEntry
from seal_app.extensions import db
from seal_app.reviews.models import Assignment, ConflictState
from tests.conftest import text_of
from tests.reviews.scoring_setup import client_of, scoring_fixture  # noqa: F401

PAGES = [
    "/review/{a}",
    "/review/{a}/criteria/A.1",
    "/applications/{app}",
    "/applications/{app}/criteria/A.1",
    "/applications/{app}/files/{pdf}",
    "/applications/{app}/files/{pdf}/preview",
    "/applications/{app}/files/{image}/preview",
]


def _urls(scoring) -> list[str]:
    return [
        page.format(
            a=scoring.assignment_id,
            app=scoring.application_id,
            pdf=scoring.pdf_id,
            image=scoring.image_id,
        )
        for page in PAGES
    ]


def _assignment(app, assignment_id: int) -> Assignment:
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        db.session.expunge(assignment)
        return assignment


def test_before_declaring_only_name_place_and_round(app, scoring):
    client = client_of(app, scoring.assessor)
    page = client.get(f"/review/{scoring.assignment_id}/declaration")
    assert page.status_code == 200
    text = text_of(page)
    assert "Grundschule am Wall" in text and "Güstrow" in text
    assert "Krisenteam" not in text and "Konzept.pdf" not in text
    for url in _urls(scoring):
        answer = client.get(url)
        if url.startswith("/review/"):
            assert answer.status_code == 302, url
            assert answer.headers["Location"].endswith("/declaration")
        else:
            assert answer.status_code == 404, url


def test_home_links_an_open_declaration(app, scoring):
    page = client_of(app, scoring.assessor).get("/")
    text = text_of(page)
    assert "Erklärung offen" in text
    assert f"/review/{scoring.assignment_id}/declaration" in page.get_data(as_text=True)


def test_no_conflict_opens_the_application(app, scoring):
    client = client_of(app, scoring.assessor)
    answer = client.post(
        f"/review/{scoring.assignment_id}/declaration", data={"decision": "none", "reason": ""}
    )
    assert answer.status_code == 302
    assert answer.headers["Location"] == f"/review/{scoring.assignment_id}"
    assignment = _assignment(app, scoring.assignment_id)
    assert assignment.conflict_state is ConflictState.NONE and assignment.declared_at
    for url in _urls(scoring):
        assert client.get(url).status_code == 200, url
    with app.app_context():
        entry = db.session.scalar(
            sa.select(AuditEntry).where(AuditEntry.action == "assignment.declared")
        )
        assert entry.details["state"] == "none"
        assert entry.school_id is not None


def test_conflict_needs_a_reason(app, scoring):
    client = client_of(app, scoring.assessor)
    page = client.post(
        f"/review/{scoring.assignment_id}/declaration",
        data={"decision": "conflict", "reason": "  "},
    )
    assert page.status_code == 200
    assert "Bitte nennen Sie den Grund Ihrer Befangenheit" in text_of(page)
    assert _assignment(app, scoring.assignment_id).conflict_state is ConflictState.PENDING


def test_no_choice_is_refused_in_german(app, scoring):
    client = client_of(app, scoring.assessor)
    for decision in ("", "vielleicht"):
        page = client.post(
            f"/review/{scoring.assignment_id}/declaration", data={"decision": decision}
        )
        assert page.status_code == 200
        assert "Bitte wählen Sie eine der beiden Erklärungen." in text_of(page)
    assert _assignment(app, scoring.assignment_id).conflict_state is ConflictState.PENDING


def test_conflict_removes_access_and_is_logged(app, scoring):
    client = client_of(app, scoring.assessor)
    answer = client.post(
        f"/review/{scoring.assignment_id}/declaration",
        data={"decision": "conflict", "reason": "Meine Tochter besucht die Schule."},
    )
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    assignment = _assignment(app, scoring.assignment_id)
    assert assignment.conflict_state is ConflictState.CONFLICT
    assert assignment.conflict_reason == "Meine Tochter besucht die Schule."
    for url in _urls(scoring):
        assert client.get(url).status_code == 404, url
    home = text_of(client.get("/"))
    assert "befangen" in home and "Zur Bewertung" not in home
    with app.app_context():
        entry = db.session.scalar(
            sa.select(AuditEntry).where(AuditEntry.action == "assignment.declared")
        )
        assert entry.details == {
            "application_id": scoring.application_id,
            "state": "conflict",
            "reason": "Meine Tochter besucht die Schule.",
        }
    office = text_of(client_of(app, scoring.office).get("/office/audit/"))
    assert "Erklärung zur Befangenheit abgegeben" in office and "befangen" in office


def test_declared_once_never_changed_by_the_assessor(app, scoring):
    client = client_of(app, scoring.assessor)
    url = f"/review/{scoring.assignment_id}/declaration"
    client.post(url, data={"decision": "conflict", "reason": "Ich unterrichte dort."})
    again = client.post(url, data={"decision": "none"}, follow_redirects=True)
    assert "Ändern kann sie nur die Geschäftsstelle" in text_of(again)
    assert _assignment(app, scoring.assignment_id).conflict_state is ConflictState.CONFLICT
    page = text_of(client.get(url))
    assert "Ich unterrichte dort." in page and "Erklärung abgeben" not in page
    with app.app_context():
        count = db.session.scalar(
            sa.select(sa.func.count()).where(AuditEntry.action == "assignment.declared")
        )
        assert count == 1


def test_only_the_own_assessor_may_declare(app, scoring):
    url = f"/review/{scoring.assignment_id}/declaration"
    for email in (scoring.other, scoring.stranger):
        client = client_of(app, email)
        assert client.get(url).status_code == 404
        assert client.post(url, data={"decision": "none"}).status_code == 404
    for email in (scoring.staff, scoring.office):
        assert client_of(app, email).get(url).status_code == 403
    assert _assignment(app, scoring.assignment_id).conflict_state is ConflictState.PENDING
