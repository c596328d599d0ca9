"""The office's audit log: German words, school names and links, filters and pages."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

import seal_app
from seal_app.applications.models import Application, ApplicationKind, EvidenceFile
from seal_app.audit import labels
from seal_app.audit.models import AuditEntry
from seal_app.audit.services import record
from seal_app.extensions import db
from seal_app.rounds.services import create_round
from seal_app.schools.models import School
from tests.conftest import login, text_of

ACTION_CALL = re.compile(r"\brecord\(\s*\"([a-z_.]+)\"")


def test_every_recorded_action_has_a_german_label():
    package = Path(seal_app.__file__).parent
    actions = {
        action
        for path in package.rglob("*.py")
        for action in ACTION_CALL.findall(path.read_text(encoding="utf-8"))
    }
    assert {"school.created", "application.submitted"} <= actions  # the search works
    assert actions - labels.ACTION_LABELS.keys() == set()
    assert {
        "answer.saved",
        "evidence.replaced",
        "evidence.described",
    } <= labels.ACTION_LABELS.keys()


def _school_id(number: str) -> int:
    return db.session.scalar(sa.select(School.id).where(School.school_number == number))


def _application(app, school_id: int) -> int:
    with app.app_context():
        round_ = db.session.scalar(sa.text("select id from rounds"))
        if round_ is None:
            round_ = create_round(2027, date(2027, 6, 30), "2026.1", None).id
        application = Application(school_id=school_id, round_id=round_, kind=ApplicationKind.FIRST)
        db.session.add(application)
        db.session.commit()
        return application.id


def test_page_shows_german_words_school_names_and_links(app, client, accounts, make):
    school_id = make.school(number="75002", name="Regionale Schule Laage")
    application_id = _application(app, school_id)
    with app.app_context():
        application = db.session.get(Application, application_id)
        record("application.submitted", application, None)
        record(
            "vote.saved", application, None, application_id=application_id,
            kind="prevention_council", decided_on="2026-03-02",
        )  # fmt: skip
        school = db.session.get(School, school_id)
        record("school.updated", school, None, changes={
            "name": {"old": "Regionale Schule", "new": "Regionale Schule Laage"},
            "school_type": {"old": "grundschule", "new": "regionale_schule"},
        })  # fmt: skip
        record("something.new", None, None, note="frei")
        db.session.commit()
    login(client, accounts["office"])
    response = client.get("/office/audit/")
    html, page = response.get_data(as_text=True), text_of(response)
    assert "Antrag eingereicht" in page and "application.submitted" not in page
    assert "Votum gespeichert" in page
    assert "Art: Votum des Kommunalen Präventionsrats" in page
    assert "Datum: 02.03.2026" in page
    assert "Schuldaten geändert" in page
    assert "Name der Schule: „Regionale Schule“ → „Regionale Schule Laage“" in page
    assert "Schulart: Grundschule → Regionale Schule" in page
    assert "something.new" in page  # unknown actions show their code
    assert f'href="/applications/{application_id}"' in html
    assert f'href="/office/schools/{school_id}">Regionale Schule Laage</a>' in html
    assert "prevention_council" not in page and "evidence_files" not in page


def test_record_fills_the_school_from_the_object(app, make):
    school_id = make.school(number="75003")
    application_id = _application(app, school_id)
    with app.app_context():
        application = db.session.get(Application, application_id)
        file = EvidenceFile(
            application=application, stored_name="x", display_name="Konzept.pdf",
            description="Konzept", media_type="application/pdf", size=10, sha256="0" * 64,
        )  # fmt: skip
        db.session.add(file)
        entries = [
            record("school.updated", db.session.get(School, school_id), None),
            record("application.submitted", application, None),
            record("evidence.uploaded", file, None),
            record("round.created", application.round, None),
        ]
        db.session.commit()
        assert [entry.school_id for entry in entries] == [school_id] * 3 + [None]


def _entry(action: str, school_id: int | None, when: datetime, **details) -> AuditEntry:
    return AuditEntry(
        action=action,
        object_type="schools" if school_id else "-",
        object_id=str(school_id) if school_id else "-",
        school_id=school_id,
        occurred_at=when,
        details=details,
    )


@pytest.fixture
def two_schools(app, make, accounts):
    first = make.school(number="75010", name="Grundschule Nord")
    second = make.school(number="75011", name="Gymnasium Süd")
    with app.app_context():
        db.session.add_all(
            [
                _entry("school.created", first, datetime(2026, 1, 10, 9, tzinfo=UTC)),
                _entry("school.updated", first, datetime(2026, 2, 10, 9, tzinfo=UTC)),
                _entry("school.created", second, datetime(2026, 3, 10, 9, tzinfo=UTC)),
                _entry("round.created", None, datetime(2026, 3, 11, 9, tzinfo=UTC)),
            ]
        )
        db.session.commit()
    return first, second


def _table(response) -> str:
    html = response.get_data(as_text=True)
    return html[html.index("<tbody") : html.index("</tbody>")]


def _rows(response) -> int:
    return response.get_data(as_text=True).count('<tr class="kern-table__row">') - 1


def test_filter_by_school(client, accounts, two_schools):
    first, _second = two_schools
    login(client, accounts["office"])
    response = client.get(f"/office/audit/?school={first}")
    assert _rows(response) == 2
    page = text_of(response)
    assert "Gymnasium Süd (Güstrow)" in page  # offered in the filter
    assert "2 Einträge" in page


def test_filter_by_action(client, accounts, two_schools):
    login(client, accounts["office"])
    response = client.get("/office/audit/?action=school.created")
    assert _rows(response) == 2
    assert "Schule angelegt" in _table(response)
    assert "Schuldaten geändert" not in _table(response)


def test_filter_by_dates_counts_whole_local_days(client, accounts, two_schools):
    login(client, accounts["office"])
    assert _rows(client.get("/office/audit/?date_from=2026-02-10&date_to=2026-03-10")) == 2
    assert _rows(client.get("/office/audit/?date_from=2026-03-11")) == 1
    assert _rows(client.get("/office/audit/?date_to=2026-01-10")) == 1


def test_a_day_starts_at_local_midnight(app, client, accounts):
    """00:03 in Berlin on 1 March is 23:03 UTC on 28 February: it belongs to 1 March."""
    with app.app_context():
        db.session.add(_entry("round.created", None, datetime(2026, 2, 28, 23, 3, tzinfo=UTC)))
        db.session.commit()
    login(client, accounts["office"])
    assert _rows(client.get("/office/audit/?date_from=2026-03-01&date_to=2026-03-01")) == 1
    day_before = client.get("/office/audit/?date_from=2026-02-28&date_to=2026-02-28")
    assert "Keine Einträge gefunden." in text_of(day_before)


def test_end_before_start_is_an_error_shown_with_the_form(client, accounts, two_schools):
    login(client, accounts["office"])
    response = client.get("/office/audit/?date_from=2026-03-01&date_to=2026-02-01")
    assert response.status_code == 200
    assert "Das Ende liegt vor dem Anfang." in text_of(response)


@pytest.mark.parametrize(
    "query",
    [
        "school=abc",
        "school=99999999999999999999999",
        "action=nonsense",
        "date_from=gestern",
        "page=99999999999999999999999",
        "page=-3",
    ],
)
def test_odd_filter_values_never_break_the_page(client, accounts, two_schools, query):
    login(client, accounts["office"])
    assert client.get(f"/office/audit/?{query}").status_code == 200


def test_pages_through_all_entries_newest_first(app, client, accounts, make):
    school_id = make.school(number="75020", name="Grundschule Viele")
    with app.app_context():
        db.session.add_all(
            _entry("school.updated", school_id, datetime(2026, 1, 1, tzinfo=UTC), n=number)
            for number in range(120)
        )
        db.session.add(_entry("school.created", None, datetime(2025, 1, 1, tzinfo=UTC)))
        db.session.commit()
    login(client, accounts["office"])
    first = client.get(f"/office/audit/?school={school_id}")
    assert _rows(first) == 50
    page = text_of(first)
    assert "120 Einträge" in page and "Seite 1 von 3" in page
    assert f'href="/office/audit/?page=2&amp;school={school_id}"' in first.get_data(as_text=True)
    last = client.get(f"/office/audit/?school={school_id}&page=3")
    assert _rows(last) == 20
    everything = client.get("/office/audit/?page=3")
    assert "Schule angelegt" in text_of(everything)  # the oldest entry, on the last page


def test_names_and_links_cost_the_same_queries_for_many_entries(app, client, accounts, make):
    def queries_for(count: int) -> int:
        with app.app_context():
            db.session.execute(sa.delete(AuditEntry))
            db.session.commit()
        schools = [make.school(number=f"7{count:02d}{number:03d}") for number in range(count)]
        applications = [_application(app, school_id) for school_id in schools]
        with app.app_context():
            for application_id in applications:
                record("application.submitted", db.session.get(Application, application_id), None)
            db.session.commit()
        statements: list[str] = []
        with app.app_context():
            engine = db.engine

            def count_statement(*args):
                statements.append(args[2])

            sa.event.listen(engine, "before_cursor_execute", count_statement)
            try:
                assert client.get("/office/audit/").status_code == 200
            finally:
                sa.event.remove(engine, "before_cursor_execute", count_statement)
        return len(statements)

    login(client, accounts["office"])
    queries_for(1)  # the first request also loads what every page needs once
    assert queries_for(3) == queries_for(12)
