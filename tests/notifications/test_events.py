"""The journey's e-mails: a new round to every school account, an assignment to the
assessor, and the morning reminders (deadline, review due, seal expiring) that the worker's
daily task sends once per event however often it runs."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlparse

import sqlalchemy as sa

from seal_app.applications.models import Application, ApplicationKind, ApplicationStatus
from seal_app.auth.models import Role, User
from seal_app.extensions import db
from seal_app.local_time import months_later
from seal_app.notifications import reminders
from seal_app.notifications.reminders import step_for
from seal_app.reviews.assignment import assign
from seal_app.rounds.services import create_round
from tests.certificates.print_setup import round_with_certificates
from tests.conftest import login
from tests.reviews.jury_setup import submitted_application

TODAY = date(2027, 3, 1)


def _path(mail) -> str:
    return urlparse(re.search(r"https://siegel\.example\.org/\S*", mail.text).group(0)).path


def _client(app, email):
    client = app.test_client()
    login(client, email)
    return client


def test_the_reminder_step_is_the_latest_one_due():
    assert step_for(20, (14, 3)) is None
    assert step_for(14, (14, 3)) == 14 and step_for(4, (14, 3)) == 14
    assert step_for(3, (14, 3)) == 3 and step_for(0, (14, 3)) == 3
    assert step_for(-1, (14, 3)) is None
    assert months_later(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert months_later(date(2027, 11, 15), 3) == date(2028, 2, 15)


def test_a_new_round_is_told_to_every_school_account(app, make, accounts, mail_server):
    make.user(Role.SCHOOL, "ruhend@example.org", enabled=False)
    office = _client(app, accounts["office"])
    office.post("/office/rounds/new", data={"year": "2028", "catalogue_version": "2026.1"})
    assert [mail.recipients for mail in mail_server.received] == [[accounts["school"]]]
    [mail] = mail_server.received
    assert mail.subject == "Vergaberunde 2028 ist eröffnet"
    assert _client(app, accounts["school"]).get(_path(mail)).status_code == 200


def test_an_assessor_hears_of_an_assignment(app, make, accounts, mail_server):
    school_id = make.school(number="75050", name="Grundschule Seeblick")
    with app.app_context():
        round_ = create_round(2027, TODAY + timedelta(days=30), "2026.1", None)
        application = submitted_application(school_id, round_.id)
        office = db.session.scalar(sa.select(User).where(User.email == accounts["office"]))
        assessor = db.session.scalar(sa.select(User).where(User.email == accounts["assessor"]))
        assign(application, assessor.id, TODAY + timedelta(days=28), TODAY, office)
        db.session.commit()
    [mail] = mail_server.to(accounts["assessor"])
    assert mail.subject == "Neuer Antrag zur Begutachtung: Grundschule Seeblick"
    assert "Befangen" in mail.text or "befangen" in mail.text
    page = _client(app, accounts["assessor"]).get(_path(mail))
    assert page.status_code == 200


def _draft_round(app, make, accounts, deadline: date) -> int:
    school_id = make.school(number="75060", name="Grundschule Sonnenhang")
    staff = make.user(Role.SCHOOL, "leitung.sonnenhang@example.org", school_ids=(school_id,))
    with app.app_context():
        round_ = create_round(deadline.year, deadline, "2026.1", None)
        db.session.add(
            Application(
                school_id=school_id,
                round_id=round_.id,
                kind=ApplicationKind.FIRST,
                status=ApplicationStatus.DRAFT,
            )
        )
        db.session.commit()
    return staff


def test_schools_with_a_draft_are_reminded_14_and_3_days_before_the_deadline(
    app, make, accounts, mail_server
):
    staff = _draft_round(app, make, accounts, TODAY + timedelta(days=20))
    mail_server.received.clear()  # „round opened“
    with app.app_context():
        reminders.send_reminders(TODAY)  # 20 days left: nothing yet
        assert mail_server.received == []
        for day in (6, 7, 8):  # 14 days left, and the mornings after
            reminders.send_reminders(TODAY + timedelta(days=day))
            reminders.send_reminders(TODAY + timedelta(days=day))  # the task runs twice
    [first] = mail_server.to(staff)
    assert first.subject == "Erinnerung: Abgabe bis 21. März 2027"
    assert "in 14 Tagen" in first.text
    assert _client(app, staff).get(_path(first)).status_code == 200
    with app.app_context():
        reminders.send_reminders(TODAY + timedelta(days=17))
        reminders.send_reminders(TODAY + timedelta(days=18))
    assert [mail.subject for mail in mail_server.to(staff)][1:] == [
        "Erinnerung: Abgabe bis 21. März 2027"
    ]
    assert "in 3 Tagen" in mail_server.to(staff)[1].text


def test_an_assessor_is_reminded_three_days_before_the_review_is_due(
    app, make, accounts, mail_server
):
    school_id = make.school(number="75070", name="Grundschule Lindenhof")
    with app.app_context():
        round_ = create_round(2027, TODAY, "2026.1", None)
        application = submitted_application(school_id, round_.id)
        office = db.session.scalar(sa.select(User).where(User.email == accounts["office"]))
        assessor = db.session.scalar(sa.select(User).where(User.email == accounts["assessor"]))
        assign(application, assessor.id, TODAY + timedelta(days=10), TODAY, office)
        db.session.commit()
    mail_server.received.clear()  # the assignment's message
    with app.app_context():
        reminders.send_reminders(TODAY + timedelta(days=6))  # 4 days left
        assert mail_server.received == []
        reminders.send_reminders(TODAY + timedelta(days=7))
        reminders.send_reminders(TODAY + timedelta(days=8))
    [mail] = mail_server.to(accounts["assessor"])
    assert mail.subject == "Erinnerung: Gutachten zu Grundschule Lindenhof fällig am 11. März 2027"
    assert "in 3 Tagen" in mail.text
    page = _client(app, accounts["assessor"]).get(_path(mail), follow_redirects=True)
    assert page.status_code == 200  # not declared yet: the declaration comes first


def test_a_seal_expiring_is_told_12_and_3_months_ahead_with_a_copy_to_the_office(
    app, make, mail_server
):
    printed = round_with_certificates(app, make, 1)
    staff = make.user(Role.SCHOOL, "leitung.muritz@example.org", school_ids=(_school_of(app),))
    with app.app_context():
        until = db.session.scalar(sa.text("select valid_until from certificates"))
        until = date.fromisoformat(str(until))
        reminders.send_reminders(months_later(until, -13))  # more than a year ahead
        assert mail_server.received == []
        day = months_later(until, -12)
        reminders.send_reminders(day)
        reminders.send_reminders(day + timedelta(days=1))
    to_school = mail_server.to(staff)
    to_office = mail_server.to(app.config["OFFICE_EMAIL"])
    assert len(to_school) == len(to_office) == 1
    assert to_school[0].subject.startswith(f"Das Gütesiegel von {printed.schools[0]} läuft am ")
    assert "Verlängerung" in to_school[0].text
    assert "Kopie für die Geschäftsstelle" in to_office[0].text
    assert _client(app, staff).get(_path(to_school[0])).status_code == 200
    with app.app_context():
        reminders.send_reminders(months_later(until, -3))
    assert len(mail_server.to(staff)) == 2


def _school_of(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Application.school_id))
