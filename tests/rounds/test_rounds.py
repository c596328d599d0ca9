"""Rounds: default deadline, one open at a time, the catalogue version locked."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from seal_app.catalogue.models import CatalogueVersion
from seal_app.extensions import db
from seal_app.rounds.models import Round, RoundStatus
from tests.conftest import login, text_of


def _rounds(app):
    with app.app_context():
        return db.session.scalars(sa.select(Round).order_by(Round.year)).all()


def test_new_round_defaults_to_30_june_and_locks_the_catalogue(app, client, accounts):
    login(client, accounts["office"])
    response = client.post(
        "/office/rounds/new",
        data={"year": "2027", "catalogue_version": "2026.1"},
        follow_redirects=True,
    )
    page = text_of(response)
    assert "„Vergaberunde 2027“ ist eröffnet." in page and "30. Juni 2027" in page
    (round_,) = _rounds(app)
    assert round_.submission_deadline == date(2027, 6, 30) and round_.status is RoundStatus.OPEN
    with app.app_context():
        locked = db.session.get(CatalogueVersion, "2026.1")
        from seal_app.catalogue import services

        assert locked.sha256 == services.available()["2026.1"].sha256
        assert "Schülerstreitschlichtung" in locked.content


def test_only_one_round_is_open_and_years_are_unique(app, client, accounts):
    login(client, accounts["office"])
    client.post("/office/rounds/new", data={"year": "2027", "catalogue_version": "2026.1"})
    second = client.post("/office/rounds/new", data={"year": "2028", "catalogue_version": "2026.1"})
    assert "Es ist noch eine Vergaberunde offen." in text_of(second)
    round_id = _rounds(app)[0].id
    client.post(
        f"/office/rounds/{round_id}/edit",
        data={"submission_deadline": "2027-06-30", "status": "closed", "version": "1"},
    )
    same_year = client.post(
        "/office/rounds/new", data={"year": "2027", "catalogue_version": "2026.1"}
    )
    assert "Für 2027 gibt es schon eine Vergaberunde." in text_of(same_year)


def test_deadline_change_and_stale_edit(app, accounts):
    office, other = app.test_client(), app.test_client()
    login(office, accounts["office"])
    login(other, accounts["office"])
    office.post("/office/rounds/new", data={"year": "2027", "catalogue_version": "2026.1"})
    round_id = _rounds(app)[0].id
    saved = office.post(
        f"/office/rounds/{round_id}/edit",
        data={"submission_deadline": "2027-07-15", "status": "open", "version": "1"},
    )
    assert saved.status_code == 302
    stale = other.post(
        f"/office/rounds/{round_id}/edit",
        data={"submission_deadline": "2027-05-01", "status": "open", "version": "1"},
    )
    assert "Jemand anderes hat diese Runde inzwischen geändert" in text_of(stale)
    assert "15. Juli 2027" in text_of(stale)
    assert _rounds(app)[0].submission_deadline == date(2027, 7, 15)


def test_a_changed_catalogue_file_cannot_be_used_again_under_the_same_version(app, accounts):
    from seal_app.catalogue import services
    from seal_app.rounds.services import RoundError, create_round

    with app.app_context():
        db.session.add(
            CatalogueVersion(
                version="2026.1", sha256="0" * 64, source_name="2026.1.yaml", content="old text"
            )
        )
        db.session.commit()
        try:
            create_round(2030, date(2030, 6, 30), "2026.1", None)
        except RoundError as error:
            assert "wurde geändert, nachdem eine Runde sie nutzte" in str(error)
        else:
            raise AssertionError("a changed catalogue must be refused")
        changed = services.changed_versions()
        assert [record.version for record, _reason in changed] == ["2026.1"]


def test_a_date_that_does_not_exist_gets_its_own_message(app, client, accounts):
    login(client, accounts["office"])
    client.post("/office/rounds/new", data={"year": "2027", "catalogue_version": "2026.1"})
    round_id = _rounds(app)[0].id
    for typed in ("2027-02-30", "morgen"):
        response = client.post(
            f"/office/rounds/{round_id}/edit",
            data={"submission_deadline": typed, "status": "open", "version": "1"},
        )
        page = text_of(response)
        assert page.startswith("Fehler:")
        assert "Dieses Datum gibt es nicht. Bitte prüfen Sie Tag, Monat und Jahr." in page
        assert "Bitte geben Sie die Abgabefrist an." not in page and "Not a valid" not in page
    new = client.post(
        "/office/rounds/new",
        data={"year": "2028", "catalogue_version": "2026.1", "submission_deadline": "2028-13-01"},
    )
    assert "Dieses Datum gibt es nicht." in text_of(new)
    assert _rounds(app)[0].submission_deadline == date(2027, 6, 30) and len(_rounds(app)) == 1
