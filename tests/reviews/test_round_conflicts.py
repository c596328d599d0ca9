"""Assessors declare conflicts of interest for a round before any assignment: the searchable
list, declaring and withdrawing, bad input, and how the office's proposal, its manual
assignments and its board respect the declarations."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from seal_app.extensions import db
from seal_app.reviews.models import Assignment, ConflictState, RoundConflict
from tests.conftest import login, text_of
from tests.reviews.assignment_setup import add_assignment, assigned_names, build_round
from tests.reviews.jury_setup import audit_details
from tests.reviews.test_office_assignment import DUE, names_of, proposal_pairs


@pytest.fixture
def setup(app, make):
    return build_round(app, make)


def _client(app, email: str):
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


@pytest.fixture
def anna(app, setup):
    return _client(app, setup.assessor_emails["Anna Arndt"])


@pytest.fixture
def office(app, setup):
    return _client(app, setup.office)


def _url(setup) -> str:
    return f"/review/rounds/{setup.round_id}/conflicts"


def _form(setup, rows: dict[int, tuple[bool, str]], versions: dict[int, int] | None = None):
    """The page's form for the schools ``rows`` names (index in SCHOOLS → ticked, reason)."""
    data: dict[str, list[str] | str] = {"school": []}
    for index, (ticked, reason) in rows.items():
        school_id = setup.school_ids[index]
        data["school"].append(str(school_id))
        data[f"version-{school_id}"] = str((versions or {}).get(index, 0))
        data[f"school-{school_id}-reason"] = reason
        if ticked:
            data[f"school-{school_id}-conflict"] = "y"
    return data


def _declared(app) -> list[tuple[int, int, str]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(RoundConflict.assessor_id, RoundConflict.school_id, RoundConflict.reason)
        )
        return sorted(tuple(row) for row in rows)


def _version(app, school_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(RoundConflict.version).where(RoundConflict.school_id == school_id)
        )


def test_the_list_holds_the_round_schools_and_the_search_narrows_it(app, make, setup, anna):
    other_school = make.school(number="75999", name="Schule außerhalb")  # no application
    page = text_of(anna.get(_url(setup)))
    assert "Befangenheit für die Runde erklären" in page
    assert "3 von 3 Schulen" in page
    for name in ("Grundschule am Wall", "Regionale Schule Heidberg", "Gymnasium Sonnenberg"):
        assert name in page
    assert "Schule außerhalb" not in page

    found = text_of(anna.get(_url(setup), query_string={"q": "heidBERG"}))
    assert "1 von 3 Schulen" in found and "Regionale Schule Heidberg" in found
    assert "Grundschule am Wall" not in found
    by_number = text_of(anna.get(_url(setup), query_string={"q": "75102"}))  # Sonnenberg
    assert "Gymnasium Sonnenberg" in by_number and "Heidberg" not in by_number
    by_town = text_of(anna.get(_url(setup), query_string={"q": "güstrow wall"}))
    assert "1 von 3 Schulen" in by_town and "Grundschule am Wall" in by_town
    none = text_of(anna.get(_url(setup), query_string={"q": "Rostock"}))
    assert "Keine Schule der Runde passt zu Ihrer Suche." in none
    assert other_school


def test_declaring_with_a_reason_is_saved_and_logged(app, setup, anna, office):
    response = anna.post(_url(setup), data=_form(setup, {0: (True, "Meine Tochter lernt dort.")}))
    assert response.status_code == 302
    anna_id = setup.assessor_ids["Anna Arndt"]
    assert _declared(app) == [(anna_id, setup.school_ids[0], "Meine Tochter lernt dort.")]
    [details] = audit_details(app, "round_conflict.declared")
    assert details["school"] == "Grundschule am Wall"
    assert details["reason"] == "Meine Tochter lernt dort."
    page = text_of(anna.get(response.headers["Location"]))
    assert "1 Erklärung gespeichert." in page
    assert "Gespeichert: befangen seit" in page
    log = office.get("/office/audit/")
    assert log.status_code == 200
    assert "Befangenheit für die Runde erklärt" in text_of(log)


def test_ticked_without_reason_is_refused_at_the_field_and_keeps_the_rest(app, setup, anna):
    form = _form(setup, {0: (True, "  "), 1: (True, "Ich berate die Schule.")})
    response = anna.post(_url(setup), data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _declared(app) == []  # nothing saved while one row is wrong
    error = f'id="school-{setup.school_ids[0]}-reason-error"'
    assert error in html
    assert "Bitte nennen Sie den Grund Ihrer Befangenheit." in text_of(response)
    assert 'value="Ich berate die Schule."' in html  # what was typed stays
    assert "Fehler:" in html  # the title says so, the summary lists it


def test_an_overlong_reason_is_refused_in_german(app, setup, anna):
    response = anna.post(_url(setup), data=_form(setup, {0: (True, "x" * 10_000)}))
    assert response.status_code == 200
    assert "Der Text ist 9.500 Zeichen zu lang (höchstens 500 Zeichen)." in text_of(response)
    assert _declared(app) == []


def test_only_assessors_declare_and_only_for_schools_of_the_round(app, make, setup, office):
    other_school = make.school(number="75888", name="Fremde Schule")
    assert office.get(_url(setup)).status_code == 403
    school = _client(app, setup.staff)
    assert school.get(_url(setup)).status_code == 403
    assert school.post(_url(setup), data=_form(setup, {0: (True, "x")})).status_code == 403
    anna = _client(app, setup.assessor_emails["Anna Arndt"])
    stranger = {
        "school": [str(other_school)],
        f"version-{other_school}": "0",
        f"school-{other_school}-conflict": "y",
        f"school-{other_school}-reason": "Grund",
    }
    assert anna.post(_url(setup), data=stranger).status_code == 404
    assert anna.post(_url(setup), data={"school": ["abc"]}).status_code == 404
    assert anna.get("/review/rounds/99999/conflicts").status_code == 404
    assert _declared(app) == []


def test_a_declaration_is_always_the_current_assessors_own(app, setup, anna):
    # there is no field naming the assessor: a sent „assessor_id“ changes nothing
    form = _form(setup, {0: (True, "Grund")})
    form["assessor_id"] = str(setup.assessor_ids["Ben Brandt"])
    assert anna.post(_url(setup), data=form).status_code == 302
    assert [row[0] for row in _declared(app)] == [setup.assessor_ids["Anna Arndt"]]


def test_a_stale_page_is_refused_and_keeps_what_was_typed(app, setup, anna):
    assert anna.post(_url(setup), data=_form(setup, {0: (True, "Erster Grund")})).status_code == 302
    other_window = _form(setup, {0: (True, "Zweiter Grund")})  # still shows no declaration
    response = anna.post(_url(setup), data=other_window)
    assert response.status_code == 200
    assert "Es wurde nichts gespeichert." in text_of(response)
    assert 'value="Zweiter Grund"' in response.get_data(as_text=True)
    assert _declared(app)[0][2] == "Erster Grund"
    # saving again from the refreshed page is a deliberate change
    again = _form(setup, {0: (True, "Zweiter Grund")}, {0: _version(app, setup.school_ids[0])})
    assert anna.post(_url(setup), data=again).status_code == 302
    assert _declared(app)[0][2] == "Zweiter Grund"
    [details] = audit_details(app, "round_conflict.changed")
    assert details["changes"]["reason"] == {"old": "Erster Grund", "new": "Zweiter Grund"}


def test_withdrawing_is_possible_until_someone_else_is_assigned(app, setup, anna):
    both = _form(setup, {0: (True, "Grund"), 1: (True, "Grund")})
    assert anna.post(_url(setup), data=both).status_code == 302
    versions = {0: _version(app, setup.school_ids[0]), 1: _version(app, setup.school_ids[1])}
    add_assignment(app, setup.application_ids[1], setup.assessor_ids["Ben Brandt"])
    response = anna.post(_url(setup), data=_form(setup, {0: (False, ""), 1: (False, "")}, versions))
    assert response.status_code == 200
    assert "Diese Erklärung bleibt bestehen" in text_of(response)
    assert len(_declared(app)) == 2  # nothing changed at all

    response = anna.post(
        _url(setup), data=_form(setup, {0: (False, ""), 1: (True, "Grund")}, versions)
    )
    assert response.status_code == 302
    assert [row[1] for row in _declared(app)] == [setup.school_ids[1]]
    [details] = audit_details(app, "round_conflict.withdrawn")
    assert details["school"] == "Grundschule am Wall"


def test_the_proposal_leaves_out_declared_pairs_and_balances_the_rest(app, setup, anna, office):
    assert anna.post(_url(setup), data=_form(setup, {0: (True, "Nachbarin")})).status_code == 302
    proposed = names_of(setup, proposal_pairs(office, setup.round_id))
    grundschule, regionale, gymnasium = setup.application_ids
    assert "Anna Arndt" not in proposed[grundschule]
    assert len(proposed[grundschule]) == 2
    assert all(len(proposed[item]) == 2 for item in (regionale, gymnasium))
    counts = {
        name: sum(name in names for names in proposed.values())
        for name in ("Anna Arndt", "Ben Brandt", "Clara Claussen", "Dora Dahl")
    }
    assert sorted(counts.values()) == [1, 1, 2, 2]  # six places over four people


def test_assigning_a_declared_pair_by_hand_is_refused(app, setup, anna, office):
    assert anna.post(_url(setup), data=_form(setup, {0: (True, "Nachbarin")})).status_code == 302
    application_id = setup.application_ids[0]
    response = office.post(
        f"/office/applications/{application_id}/assignments",
        data={
            f"application-{application_id}-assessor": str(setup.assessor_ids["Anna Arndt"]),
            f"application-{application_id}-due_on": DUE,
        },
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "Anna Arndt hat bei dieser Schule Befangenheit erklärt" in text
    assert "Anna Arndt (0 offen) – befangen bei dieser Schule" in text
    assert assigned_names(app, application_id) == []


def test_the_office_board_lists_the_declarations_per_assessor(app, setup, anna, office):
    form = _form(setup, {0: (True, "Nachbarin der Leitung"), 2: (True, "Ehemals Lehrerin dort")})
    assert anna.post(_url(setup), data=form).status_code == 302
    text = text_of(office.get(f"/office/rounds/{setup.round_id}/assignments"))
    assert "Für die Runde erklärte Befangenheiten" in text
    assert "Anna Arndt (2 Schulen)" in text
    assert "Grundschule am Wall (Güstrow): „Nachbarin der Leitung“" in text
    assert "Gymnasium Sonnenberg (Güstrow): „Ehemals Lehrerin dort“" in text
    assert "bitte prüfen" not in text


def test_a_declaration_after_assignment_counts_for_the_assignment_and_tells_the_office(
    app, setup, anna, office
):
    assignment_id = add_assignment(app, setup.application_ids[0], setup.assessor_ids["Anna Arndt"])
    page = text_of(anna.get(_url(setup)))
    assert "Eine Befangenheit hier gilt sofort auch für die Zuweisung" in page
    late = _form(setup, {0: (True, "Ich kenne die Leitung.")})
    assert anna.post(_url(setup), data=late).status_code == 302
    board = text_of(office.get(f"/office/rounds/{setup.round_id}/assignments"))
    assert "1 Befangenheit erklärt: bitte neu zuweisen" in board
    assert "Anna Arndt bei Grundschule am Wall: „Ich kenne die Leitung.“" in board
    declaration = text_of(anna.get(f"/review/{assignment_id}/declaration"))
    assert "Sie haben eine Befangenheit erklärt." in declaration
    assert "Ich kenne die Leitung." in declaration
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        assert assignment.conflict_state is ConflictState.CONFLICT
        assert assignment.conflict_reason == "Ich kenne die Leitung."
    assert "Ihnen zugewiesen und als befangen erfasst" in text_of(anna.get(_url(setup)))


def test_the_assessors_home_links_the_page_while_the_round_is_being_assigned(
    app, setup, anna, monkeypatch
):
    assert f'href="{_url(setup)}"' in anna.get("/").get_data(as_text=True)
    monkeypatch.setitem(app.config, "ASSESSORS_PER_APPLICATION", 1)
    for application_id in setup.application_ids:
        add_assignment(app, application_id, setup.assessor_ids["Ben Brandt"])
    assert f'href="{_url(setup)}"' not in anna.get("/").get_data(as_text=True)


def test_a_reason_without_the_box_is_refused_at_the_field_and_keeps_everything(app, setup, anna):
    form = _form(setup, {0: (False, "Mein Sohn geht dort zur Schule."), 1: (True, "Ich berate.")})
    response = anna.post(_url(setup), data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _declared(app) == []  # nothing saved, nothing silently dropped
    assert f'id="school-{setup.school_ids[0]}-reason-error"' in html
    assert (
        "Sie haben einen Grund eingetragen, aber „befangen“ nicht angekreuzt. "
        "Kreuzen Sie es an oder löschen Sie den Grund." in text_of(response)
    )
    assert 'value="Mein Sohn geht dort zur Schule."' in html
    assert 'value="Ich berate."' in html
