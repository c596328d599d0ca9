"""The office assigns assessors: the balanced proposal, one by one, unassigning, due dates,
bad input, and who may do it."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from seal_app.applications.models import Application, ApplicationKind, ApplicationStatus
from seal_app.audit.models import AuditEntry
from seal_app.auth.models import Role
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.reviews.models import Assignment, ConflictState, Review, Score
from seal_app.rounds.models import Round, RoundStatus
from tests.conftest import login, text_of
from tests.reviews.assignment_setup import (
    add_assignment,
    assigned_names,
    build_round,
    set_status,
    status_of,
)

DUE = (date.today() + timedelta(days=21)).isoformat()


@pytest.fixture
def setup(app, make):
    return build_round(app, make)


@pytest.fixture
def office(app, setup):
    client = app.test_client()
    assert login(client, setup.office).status_code == 302
    return client


def proposal_pairs(office, round_id: int) -> list[str]:
    page = office.get(f"/office/rounds/{round_id}/assignments/proposal")
    assert page.status_code == 200
    return re.findall(r'name="pair" value="([^"]+)"', page.get_data(as_text=True))


def take_proposal(office, round_id: int, due: str = DUE, keep=None):
    """Take the proposal over with every pair ticked, or only those ``keep`` says yes to."""
    pairs = proposal_pairs(office, round_id)
    ticked = [pair for pair in pairs if keep is None or keep(pair)]
    return office.post(
        f"/office/rounds/{round_id}/assignments/proposal",
        data={"shown": pairs, "pair": ticked, "due_on": due},
    )


def names_of(setup, pairs: list[str]) -> dict[int, list[str]]:
    """Proposed pairs as application id -> assessor names."""
    by_id = {user_id: name for name, user_id in setup.assessor_ids.items()}
    grouped: dict[int, list[str]] = {}
    for pair in pairs:
        application_id, assessor_id = (int(part) for part in pair.split("-"))
        grouped.setdefault(application_id, []).append(by_id[assessor_id])
    return grouped


def actions(app) -> list[str]:
    with app.app_context():
        query = sa.select(AuditEntry.action).order_by(AuditEntry.id)
        return [action for action in db.session.scalars(query) if action.startswith("assign")]


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# --- the proposal -------------------------------------------------------------------------


def test_proposal_gives_two_each_and_balances_the_load_in_name_order(app, setup, office):
    grundschule, regionale, gymnasium = setup.application_ids
    proposed = names_of(setup, proposal_pairs(office, setup.round_id))
    # schools in name order; ties go to the first name, the next pick to the least loaded
    assert proposed == {
        grundschule: ["Anna Arndt", "Ben Brandt"],
        gymnasium: ["Clara Claussen", "Dora Dahl"],
        regionale: ["Anna Arndt", "Ben Brandt"],
    }
    assert count(app, Assignment) == 0  # showing the proposal writes nothing


def test_proposal_prefers_assessors_with_fewer_open_assignments(app, make, setup, office):
    grundschule, regionale, gymnasium = setup.application_ids
    ids = setup.assessor_ids
    # Anna already has two open reviews elsewhere in the round, Ben one, but his is done
    schools = [make.school(number=f"7520{number}", name=f"Zentrum {number}") for number in (0, 1)]
    with app.app_context():
        others = []
        for school_id in schools:
            other = Application(
                school_id=school_id,
                round_id=setup.round_id,
                kind=ApplicationKind.FIRST,
                status=ApplicationStatus.AWARDED,
            )
            db.session.add(other)
            db.session.flush()
            others.append(other.id)
        db.session.add_all(
            [
                Assignment(application_id=others[0], assessor_id=ids["Anna Arndt"]),
                Assignment(application_id=others[1], assessor_id=ids["Anna Arndt"]),
                Assignment(
                    application_id=others[1],
                    assessor_id=ids["Ben Brandt"],
                    conflict_state=ConflictState.NONE,
                    review=Review(submitted_at=utcnow()),
                ),
            ]
        )
        db.session.commit()
    proposed = names_of(setup, proposal_pairs(office, setup.round_id))
    assert proposed[grundschule] == ["Ben Brandt", "Clara Claussen"]
    assert proposed[gymnasium] == ["Dora Dahl", "Ben Brandt"]
    assert proposed[regionale] == ["Clara Claussen", "Dora Dahl"]
    assert not any("Anna Arndt" in names for names in proposed.values())
    load_table = text_of(office.get(f"/office/rounds/{setup.round_id}/assignments"))
    assert "Anna Arndt 2 0 2 0" in load_table and "Ben Brandt 1 1 0 0" in load_table


def test_proposal_skips_conflicts_also_from_other_applications_of_the_school(app, setup, office):
    grundschule, regionale, gymnasium = setup.application_ids
    ids = setup.assessor_ids
    # Anna declared a conflict for this application; Clara did for the Heidberg school's
    # application of an earlier round
    add_assignment(app, grundschule, ids["Anna Arndt"], ConflictState.CONFLICT)
    with app.app_context():
        earlier = Round(
            year=2020,
            title="Vergaberunde 2020",
            submission_deadline=date(2020, 6, 30),
            catalogue_version="2026.1",
            status=RoundStatus.CLOSED,
        )
        db.session.add(earlier)
        db.session.flush()
        old = Application(
            school_id=setup.school_ids[1],
            round_id=earlier.id,
            kind=ApplicationKind.FIRST,
            status=ApplicationStatus.AWARDED,
        )
        db.session.add(old)
        db.session.commit()
        old_id = old.id
    add_assignment(app, old_id, ids["Clara Claussen"], ConflictState.CONFLICT)
    proposed = names_of(setup, proposal_pairs(office, setup.round_id))
    assert proposed[grundschule] == ["Ben Brandt", "Clara Claussen"]  # two cleared, not Anna
    assert "Clara Claussen" not in proposed[regionale]
    assert len(proposed[regionale]) == 2 and len(proposed[gymnasium]) == 2


def test_proposal_skips_assigned_and_fills_up_to_the_setting(app, setup, office, monkeypatch):
    grundschule, regionale, gymnasium = setup.application_ids
    ids = setup.assessor_ids
    add_assignment(app, grundschule, ids["Dora Dahl"])
    add_assignment(app, gymnasium, ids["Anna Arndt"])
    add_assignment(app, gymnasium, ids["Ben Brandt"])
    proposed = names_of(setup, proposal_pairs(office, setup.round_id))
    assert len(proposed[grundschule]) == 1 and "Dora Dahl" not in proposed[grundschule]
    assert gymnasium not in proposed  # already two
    monkeypatch.setitem(app.config, "ASSESSORS_PER_APPLICATION", 3)
    proposed = names_of(setup, proposal_pairs(office, setup.round_id))
    assert [len(proposed[key]) for key in (grundschule, gymnasium, regionale)] == [2, 1, 3]


def test_short_of_assessors_is_said_plainly(app, make):
    setup = build_round(app, make, assessors=("Anna Arndt",))
    client = app.test_client()
    login(client, setup.office)
    page = client.get(f"/office/rounds/{setup.round_id}/assignments/proposal")
    text = text_of(page)
    assert "Nicht genug freie Gutachterinnen und Gutachter" in text
    assert "Regionale Schule Heidberg" in text
    assert len(re.findall(r'name="pair"', page.get_data(as_text=True))) == 3


# --- taking the proposal over -------------------------------------------------------------


def test_taking_the_proposal_assigns_everyone_logs_it_and_starts_the_review(app, setup, office):
    response = take_proposal(office, setup.round_id)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/office/rounds/{setup.round_id}/assignments")
    page = office.get(response.headers["Location"])
    assert "Der Vorschlag ist übernommen: 6 Zuweisungen." in text_of(page)
    for application_id in setup.application_ids:
        assert len(assigned_names(app, application_id)) == 2
        assert status_of(app, application_id) is ApplicationStatus.IN_REVIEW
    assert actions(app).count("assignment.created") == 6
    with app.app_context():
        due_dates = set(db.session.scalars(sa.select(Assignment.due_on)))
        entry = db.session.scalar(
            sa.select(AuditEntry).where(AuditEntry.action == "assignment.created").limit(1)
        )
        assert entry.details["due_date"] == DUE and entry.details["status"] == "in_review"
    assert due_dates == {date.fromisoformat(DUE)}
    # nothing is left to propose
    assert proposal_pairs(office, setup.round_id) == []


def test_a_changed_proposal_is_not_taken_over(app, setup, office):
    pairs = proposal_pairs(office, setup.round_id)
    add_assignment(app, setup.application_ids[0], setup.assessor_ids["Anna Arndt"])
    response = office.post(
        f"/office/rounds/{setup.round_id}/assignments/proposal",
        data={"shown": pairs, "pair": pairs, "due_on": DUE},
    )
    assert response.status_code == 200
    assert "Der Vorschlag hat sich inzwischen geändert" in text_of(response)
    assert count(app, Assignment) == 1


def test_only_the_ticked_pairs_are_taken_over(app, setup, office):
    first, *others = setup.application_ids
    response = take_proposal(office, setup.round_id, keep=lambda pair: pair.startswith(f"{first}-"))
    assert response.status_code == 302
    assert "übernommen: 2 Zuweisungen" in text_of(office.get(response.headers["Location"]))
    assert len(assigned_names(app, first)) == 2
    assert all(assigned_names(app, other) == [] for other in others)
    assert status_of(app, others[0]) is ApplicationStatus.SUBMITTED


def test_a_proposal_with_nothing_ticked_is_refused_and_keeps_the_due_date(app, setup, office):
    response = take_proposal(office, setup.round_id, due="2999-02-03", keep=lambda pair: False)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert text_of(response).startswith("Fehler:")
    assert "Bitte lassen Sie mindestens eine Zuweisung angehakt." in page
    assert 'value="2999-02-03"' in page and 'name="pair" value=' in page
    assert "checked" not in page.split('name="pair"', 1)[1].split(">", 1)[0]
    assert count(app, Assignment) == 0


def test_proposal_with_a_past_due_date_is_refused(app, setup, office):
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    response = take_proposal(office, setup.round_id, yesterday)
    assert response.status_code == 200
    assert "Die Frist liegt in der Vergangenheit." in text_of(response)
    assert count(app, Assignment) == 0 and actions(app) == []


# --- one by one ---------------------------------------------------------------------------


def assign(office, application_id: int, assessor: str | int, due: str = DUE, **extra):
    prefix = f"application-{application_id}"
    data = {f"{prefix}-assessor": str(assessor), f"{prefix}-due_on": due, **extra}
    return office.post(f"/office/applications/{application_id}/assignments", data=data)


def test_assigning_one_assessor_moves_submitted_to_review(app, setup, office):
    grundschule = setup.application_ids[0]
    response = assign(office, grundschule, setup.assessor_ids["Clara Claussen"])
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/office/applications/{grundschule}")
    assert "Clara Claussen ist zugewiesen." in text_of(office.get(response.headers["Location"]))
    assert assigned_names(app, grundschule) == ["Clara Claussen"]
    assert status_of(app, grundschule) is ApplicationStatus.IN_REVIEW
    assert actions(app) == ["assignment.created"]


def test_assigning_from_the_round_page_goes_back_there(app, setup, office):
    grundschule = setup.application_ids[0]
    response = assign(office, grundschule, setup.assessor_ids["Ben Brandt"], back="round")
    location = response.headers["Location"]
    assert location.endswith(
        f"/office/rounds/{setup.round_id}/assignments#application-{grundschule}"
    )


def test_more_requested_stays_more_requested(app, setup, office):
    regionale = setup.application_ids[1]
    set_status(app, regionale, ApplicationStatus.MORE_REQUESTED)
    assert assign(office, regionale, setup.assessor_ids["Anna Arndt"]).status_code == 302
    assert status_of(app, regionale) is ApplicationStatus.MORE_REQUESTED


@pytest.mark.parametrize(
    ("assessor", "due", "message"),
    [
        ("", DUE, "Bitte wählen Sie eine Gutachterin oder einen Gutachter aus."),
        ("999999", DUE, "Bitte wählen Sie eine Gutachterin oder einen Gutachter aus."),
        ("99999999999", DUE, "Bitte wählen Sie eine Gutachterin oder einen Gutachter aus."),
        ("abc", DUE, "Bitte wählen Sie eine Gutachterin oder einen Gutachter aus."),
        ("office", DUE, "Bitte wählen Sie eine Gutachterin oder einen Gutachter aus."),
        ("school", DUE, "Bitte wählen Sie eine Gutachterin oder einen Gutachter aus."),
        ("Anna Arndt", "", "Bitte geben Sie eine Frist an."),
        ("Anna Arndt", "2020-01-01", "Die Frist liegt in der Vergangenheit."),
        ("Anna Arndt", "gestern", "Dieses Datum gibt es nicht."),
    ],
)
def test_bad_assignments_are_refused_in_german_with_nothing_written(
    app, make, setup, office, assessor, due, message
):
    grundschule = setup.application_ids[0]
    ids = {
        "office": make.user_id(setup.office),
        "school": make.user_id(setup.staff),
        **setup.assessor_ids,
    }
    response = assign(office, grundschule, ids.get(assessor, assessor), due)
    assert response.status_code == 200
    assert "<title>Fehler:" in response.get_data(as_text=True)
    assert message in text_of(response)
    assert count(app, Assignment) == 0 and actions(app) == []
    assert status_of(app, grundschule) is ApplicationStatus.SUBMITTED


def test_a_disabled_assessor_cannot_be_assigned(app, make, setup, office):
    disabled = make.user(Role.ASSESSOR, "alt@example.org", enabled=False, name="Olaf Alt")
    response = assign(office, setup.application_ids[0], make.user_id(disabled))
    assert "Bitte wählen Sie eine Gutachterin oder einen Gutachter aus." in text_of(response)
    assert count(app, Assignment) == 0


def test_assigning_twice_is_refused(app, setup, office):
    grundschule = setup.application_ids[0]
    anna = setup.assessor_ids["Anna Arndt"]
    assert assign(office, grundschule, anna).status_code == 302
    response = assign(office, grundschule, anna, back="round")
    assert response.status_code == 200
    assert "Anna Arndt ist diesem Antrag bereits zugewiesen." in text_of(response)
    assert "Gutachterinnen und Gutachter zuweisen" in text_of(response)  # the round page
    assert count(app, Assignment) == 1 and actions(app) == ["assignment.created"]


@pytest.mark.parametrize("status", [ApplicationStatus.DRAFT, ApplicationStatus.AWARDED])
def test_applications_outside_the_review_cannot_get_assessors(app, setup, office, status):
    grundschule = setup.application_ids[0]
    set_status(app, grundschule, status)
    response = assign(office, grundschule, setup.assessor_ids["Anna Arndt"])
    assert response.status_code == 200
    assert "nur eingereichten Anträgen zuweisen" in text_of(response)
    assert count(app, Assignment) == 0
    round_page = text_of(office.get(f"/office/rounds/{setup.round_id}/assignments"))
    assert "Grundschule am Wall" not in round_page


def test_unknown_application_round_and_assignment_are_404(office):
    assert office.get("/office/applications/999999").status_code == 404
    assert office.get("/office/rounds/999999/assignments").status_code == 404
    assert office.get("/office/rounds/999999/assignments/proposal").status_code == 404
    assert assign(office, 999999, "1").status_code == 404
    assert office.get("/office/assignments/999999/remove").status_code == 404
    assert office.post("/office/assignments/999999/remove").status_code == 404
    assert office.post("/office/assignments/999999/due").status_code == 404


# --- unassigning, due dates ---------------------------------------------------------------


def scored_assignment(app, application_id: int, assessor_id: int) -> int:
    assignment_id = add_assignment(app, application_id, assessor_id, ConflictState.NONE)
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        assignment.scores = [
            Score(criterion_code="A.1", level=2, comment="Geheimer Entwurf"),
            Score(criterion_code="A.2", level=3),
        ]
        assignment.review = Review(summary="Noch nicht fertig")
        db.session.commit()
    return assignment_id


def test_unassigning_asks_first_then_drops_scores_and_review(app, setup, office):
    grundschule = setup.application_ids[0]
    set_status(app, grundschule, ApplicationStatus.IN_REVIEW)
    assignment_id = scored_assignment(app, grundschule, setup.assessor_ids["Ben Brandt"])
    confirm = office.get(f"/office/assignments/{assignment_id}/remove")
    text = text_of(confirm)
    assert "Zuweisung entfernen?" in text and "Ben Brandt" in text
    assert "Bewertungen 2" in text and "Gutachten Entwurf" in text
    response = office.post(f"/office/assignments/{assignment_id}/remove")
    assert response.headers["Location"].endswith(f"/office/applications/{grundschule}")
    assert count(app, Assignment) == 0
    assert count(app, Score) == 0 and count(app, Review) == 0
    assert status_of(app, grundschule) is ApplicationStatus.SUBMITTED  # waiting again
    with app.app_context():
        entry = db.session.scalar(
            sa.select(AuditEntry).where(AuditEntry.action == "assignment.removed")
        )
        assert entry.details["dropped_scores"] == 2 and entry.details["dropped_review"] == "draft"
    page = text_of(office.get(response.headers["Location"]))
    assert "Die Zuweisung von Ben Brandt ist entfernt." in page
    assert "Verworfene Bewertungen: 2" in page and "Verworfenes Gutachten: Entwurf" in page
    assert "Geheimer Entwurf" not in page


def test_unassigning_one_of_two_keeps_the_review_going(app, setup, office):
    grundschule = setup.application_ids[0]
    take_proposal(office, setup.round_id)
    with app.app_context():
        first = db.session.scalar(
            sa.select(Assignment.id).where(Assignment.application_id == grundschule).limit(1)
        )
    response = office.post(f"/office/assignments/{first}/remove", data={"back": "round"})
    location = f"/office/rounds/{setup.round_id}/assignments#application-{grundschule}"
    assert response.headers["Location"].endswith(location)
    assert len(assigned_names(app, grundschule)) == 1
    assert status_of(app, grundschule) is ApplicationStatus.IN_REVIEW


def test_decided_applications_keep_their_assignments(app, setup, office):
    grundschule = setup.application_ids[0]
    assignment_id = add_assignment(app, grundschule, setup.assessor_ids["Anna Arndt"])
    set_status(app, grundschule, ApplicationStatus.AWARDED)
    response = office.post(f"/office/assignments/{assignment_id}/remove", follow_redirects=True)
    assert "nur eingereichten Anträgen zuweisen" in text_of(response)
    assert count(app, Assignment) == 1


def change_due(office, assignment_id: int, due: str):
    data = {f"assignment-{assignment_id}-due_on": due}
    return office.post(f"/office/assignments/{assignment_id}/due", data=data)


def test_moving_a_due_date_is_logged_with_old_and_new(app, setup, office):
    grundschule = setup.application_ids[0]
    assignment_id = add_assignment(app, grundschule, setup.assessor_ids["Anna Arndt"])
    old = (date.today() + timedelta(days=14)).isoformat()
    new = (date.today() + timedelta(days=30)).isoformat()
    response = change_due(office, assignment_id, new)
    assert response.status_code == 302
    assert change_due(office, assignment_id, new).status_code == 302  # same again: not logged
    with app.app_context():
        assert db.session.get(Assignment, assignment_id).due_on.isoformat() == new
        entries = list(
            db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action.like("assign%")))
        )
    assert [entry.action for entry in entries] == ["assignment.due_changed"]
    assert entries[0].details["changes"] == {"due_on": {"old": old, "new": new}}
    page = text_of(office.get(f"/office/applications/{grundschule}"))
    assert "Frist für ein Gutachten geändert" in page and "Frist:" in page


def test_a_past_due_date_is_refused_on_the_application_page(app, setup, office):
    assignment_id = add_assignment(app, setup.application_ids[0], setup.assessor_ids["Ben Brandt"])
    response = change_due(office, assignment_id, "2020-02-02")
    assert response.status_code == 200
    assert "Die Frist liegt in der Vergangenheit." in text_of(response)
    assert actions(app) == []


# --- the pages ----------------------------------------------------------------------------


def test_round_page_shows_progress_declarations_and_conflicts(app, setup, office):
    grundschule, regionale, _gymnasium = setup.application_ids
    ids = setup.assessor_ids
    scored_assignment(app, grundschule, ids["Ben Brandt"])
    add_assignment(app, grundschule, ids["Anna Arndt"], ConflictState.CONFLICT)
    add_assignment(app, regionale, ids["Clara Claussen"])
    page = office.get(f"/office/rounds/{setup.round_id}/assignments")
    html, text = page.get_data(as_text=True), text_of(page)
    assert "1 Befangenheit erklärt: bitte neu zuweisen" in text
    assert "Anna Arndt bei Grundschule am Wall: „Meine Tochter geht dort zur Schule.“" in text
    assert f'href="#application-{grundschule}-assessor"' in html
    assert "assignment--conflict" in html
    assert "Bewertet: 2 von 23" in text
    assert "Erklärung zur Befangenheit: noch nicht erklärt" in text
    assert "1 von 2 Gutachter/innen" in text
    assert "Geheimer Entwurf" not in text


def test_application_page_shows_the_office_actions_and_the_log(app, setup, office):
    grundschule = setup.application_ids[0]
    take_proposal(office, setup.round_id)
    page = office.get(f"/office/applications/{grundschule}")
    html, text = page.get_data(as_text=True), text_of(page)
    assert "Antrag von Grundschule am Wall" in text and "in Begutachtung" in text
    assert f'href="/applications/{grundschule}"' in html
    assert f'href="/applications/{grundschule}/receipt.pdf"' in html
    assert f'href="/applications/{grundschule}/request-more"' in html
    assert f'href="/office/applications/{grundschule}/visit"' in html
    assert f'href="/applications/{grundschule}/consensus"' in html
    assert text.count("Gutachter/in zugewiesen") == 2  # this application's entries only
    assert "Zuweisung von Anna Arndt" in text and "Status: in Begutachtung" in text


def test_application_log_keeps_removed_objects_and_costs_the_same_queries(app, setup, office):
    grundschule = setup.application_ids[0]

    def statements_for_page() -> int:
        statements: list[str] = []
        with app.app_context():
            engine = db.engine

            def count_statement(*args):
                statements.append(args[2])

            sa.event.listen(engine, "before_cursor_execute", count_statement)
            try:
                assert office.get(f"/office/applications/{grundschule}").status_code == 200
            finally:
                sa.event.remove(engine, "before_cursor_execute", count_statement)
        return len(statements)

    anna, ben = setup.assessor_ids["Anna Arndt"], setup.assessor_ids["Ben Brandt"]
    assign(office, grundschule, anna)
    few = statements_for_page()
    for assessor in ("Clara Claussen", "Dora Dahl"):
        assign(office, grundschule, setup.assessor_ids[assessor])
    with app.app_context():
        ids = list(db.session.scalars(sa.select(Assignment.id)))
    for assignment_id in ids:
        change_due(office, assignment_id, (date.today() + timedelta(days=40)).isoformat())
    assign(office, grundschule, ben)
    assert statements_for_page() == few
    office.post(f"/office/assignments/{ids[0]}/remove")
    text = text_of(office.get(f"/office/applications/{grundschule}"))
    assert "Zuweisung (entfernt)" in text
    assert text.index("Zuweisung einer Gutachterin / eines Gutachters entfernt") < text.index(
        "Frist für ein Gutachten geändert"
    )


def test_office_list_and_audit_log_link_to_the_office_page(app, setup, office):
    grundschule = setup.application_ids[0]
    assign(office, grundschule, setup.assessor_ids["Anna Arndt"])
    listing = office.get("/office/applications/").get_data(as_text=True)
    assert f'href="/office/applications/{grundschule}"' in listing
    log = office.get("/office/audit/")
    assert "Gutachter/in zugewiesen" in text_of(log)
    assert f'href="/office/applications/{grundschule}">Zuweisung von Anna Arndt' in (
        log.get_data(as_text=True)
    )
    rounds = office.get("/office/rounds/").get_data(as_text=True)
    assert f'href="/office/rounds/{setup.round_id}/assignments"' in rounds
    home = office.get("/").get_data(as_text=True)
    assert f'href="/office/rounds/{setup.round_id}/assignments"' in home


# --- access -------------------------------------------------------------------------------


def test_only_the_office_assigns(app, setup):
    grundschule = setup.application_ids[0]
    assignment_id = add_assignment(app, grundschule, setup.assessor_ids["Anna Arndt"])
    urls = [
        ("GET", f"/office/rounds/{setup.round_id}/assignments"),
        ("GET", f"/office/rounds/{setup.round_id}/assignments/proposal"),
        ("POST", f"/office/rounds/{setup.round_id}/assignments/proposal"),
        ("GET", f"/office/applications/{grundschule}"),
        ("POST", f"/office/applications/{grundschule}/assignments"),
        ("GET", f"/office/assignments/{assignment_id}/remove"),
        ("POST", f"/office/assignments/{assignment_id}/remove"),
        ("POST", f"/office/assignments/{assignment_id}/due"),
    ]
    for email, expected in (
        (setup.staff, 403),
        (setup.assessor_emails["Anna Arndt"], 403),
        (None, "login"),
    ):
        client = app.test_client()
        if email:
            login(client, email)
        for method, url in urls:
            response = client.open(url, method=method, data={})
            answer = response.status_code
            if answer == 302 and response.headers["Location"].startswith("/login"):
                answer = "login"
            assert answer == expected, (email, method, url, answer)
    assert count(app, Assignment) == 1


def test_a_submitted_review_shows_as_done_and_can_be_reopened(app, setup, office):
    grundschule = setup.application_ids[0]
    assignment_id = scored_assignment(app, grundschule, setup.assessor_ids["Clara Claussen"])
    with app.app_context():
        db.session.get(Assignment, assignment_id).review.submitted_at = utcnow()
        db.session.commit()
    page = office.get(f"/office/applications/{grundschule}")
    assert "Gutachten: abgegeben am" in text_of(page)
    assert f'href="/office/reviews/{assignment_id}/reopen"' in page.get_data(as_text=True)
    round_page = text_of(office.get(f"/office/rounds/{setup.round_id}/assignments"))
    assert "Clara Claussen 1 1 0 0" in round_page
    confirm = text_of(office.get(f"/office/assignments/{assignment_id}/remove"))
    assert "Das abgegebene Gutachten wird mit allen Bewertungen gelöscht" in confirm


def test_a_past_due_date_is_marked_at_the_due_date_field(app, setup, office):
    grundschule = setup.application_ids[0]
    response = assign(office, grundschule, setup.assessor_ids["Anna Arndt"], "2020-01-01")
    page = response.get_data(as_text=True)
    field = f"application-{grundschule}-due_on"
    assert f'href="#{field}">Frist: Die Frist liegt in der Vergangenheit.' in page
    assert "Gutachter/in: Die Frist" not in page
