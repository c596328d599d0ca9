"""E-mail through the outbox and the task queue to a real SMTP server on loopback: who gets
what, in German, with working links; each event once; a mail server that cannot be reached
or refuses an address; the office's outbox page."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
import sqlalchemy as sa

from seal_app.accounts.models import AccessRequest
from seal_app.extensions import db
from seal_app.notifications import messages, outbox
from seal_app.notifications.models import MessageState, OutboxMessage
from tests.conftest import login, text_of
from tests.mail_server import free_port
from tests.task_queue import real_queue


def _register(client, email="neu@example.org", number="75001"):
    return client.post(
        "/register",
        data={
            "school_number": number,
            "name": "Nina Neu",
            "position": "coordinator",
            "email": email,
        },
    )


def _outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def _request_id(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(AccessRequest.id))


def link_in(text: str) -> str:
    return re.search(r"https://siegel\.example\.org/\S+", text).group(0)


def test_an_access_request_reaches_the_office_with_a_link_to_the_requests(
    app, client, accounts, mail_server
):
    _register(client)
    [mail] = mail_server.received
    assert mail.recipients == [app.config["OFFICE_EMAIL"]]
    assert mail.subject == "Neue Zugangsanfrage: Grundschule am Wall"
    assert "Nina Neu" in mail.text and "neu@example.org" in mail.text
    assert app.config["OFFICE_PHONE"] in mail.text  # the office's contact in the footer
    assert mail.message["Reply-To"] == app.config["OFFICE_EMAIL"]
    link = link_in(mail.text)
    assert f'<a href="{link}">' in mail.html
    office = app.test_client()
    login(office, accounts["office"])
    assert "Nina Neu" in text_of(office.get(urlparse(link).path))


def test_an_approval_mails_the_set_password_link_that_works(app, client, accounts, mail_server):
    _register(client)
    login(client, accounts["office"])
    page = client.post(f"/office/access-requests/{_request_id(app)}/approve")
    assert "bekommt den Link per E-Mail an neu@example.org" in text_of(page)
    [mail] = mail_server.to("neu@example.org")
    assert mail.subject == "Ihr Zugang zum Gütesiegel „Sicherheit macht Schule“"
    assert "Guten Tag Nina Neu" in mail.text and "72 Stunden" in mail.text
    link = link_in(mail.text.split("Passwort; er gilt")[1])
    assert "/password/set/" in link
    answer = app.test_client().get(urlparse(link).path, follow_redirects=True)
    assert answer.status_code == 200 and "Für das Konto neu@example.org" in text_of(answer)


def test_a_declined_request_is_told_with_the_reason(app, client, accounts, mail_server):
    _register(client)
    login(client, accounts["office"])
    client.post(
        f"/office/access-requests/{_request_id(app)}/decline",
        data={"reason": "Bitte beantragen Sie den Zugang mit Ihrer Schuladresse."},
    )
    [mail] = mail_server.to("neu@example.org")
    assert mail.subject == "Ihre Zugangsanfrage für Grundschule am Wall"
    assert "Bitte beantragen Sie den Zugang mit Ihrer Schuladresse." in mail.text


def test_each_event_is_written_and_sent_once(app, client, accounts, mail_server):
    _register(client)
    _register(client)  # the same request again: nothing new
    with app.app_context():
        request = db.session.get(AccessRequest, _request_id(app))
        assert messages.access_request_received(request) is None  # the event was written
        db.session.commit()
        [message] = db.session.scalars(sa.select(OutboxMessage)).all()
        assert outbox.send(message.id) is None  # sent already: a second task does nothing
        outbox.send_waiting()
        outbox.send_waiting()
    assert len(mail_server.received) == 1
    assert [item.state for item in _outbox(app)] == [MessageState.SENT]


def test_an_unreachable_mail_server_keeps_the_message_waiting(app, client, accounts, mail_server):
    app.config["MAIL_PORT"] = free_port()  # nobody listens there
    outbox.mail.init_app(app)
    answer = _register(client)
    assert answer.status_code == 200 and "Vielen Dank" in text_of(answer)  # the action succeeds
    [message] = _outbox(app)
    assert message.state is MessageState.QUEUED and message.attempts == 1
    assert "Connection" in message.last_error or "Errno" in message.last_error
    assert message.next_attempt_at > message.created_at

    app.config["MAIL_PORT"] = mail_server.port  # the server is back
    outbox.mail.init_app(app)
    with app.app_context():
        outbox.send_waiting()  # not yet due: nothing happens
        assert mail_server.received == []
        later = message.next_attempt_at + timedelta(seconds=1)
        outbox.send(message.id, now=later)
    [sent] = _outbox(app)
    assert sent.state is MessageState.SENT and sent.attempts == 2 and sent.last_error == ""
    assert len(mail_server.received) == 1


def test_a_refused_address_fails_and_the_office_sees_why(app, client, accounts, mail_server):
    mail_server.refuse.add("neu@example.org")
    _register(client)
    login(client, accounts["office"])
    client.post(f"/office/access-requests/{_request_id(app)}/decline", data={"reason": "Doppelt."})
    failed = [item for item in _outbox(app) if item.recipient == "neu@example.org"]
    assert [item.state for item in failed] == [MessageState.FAILED]
    page = text_of(client.get("/office/outbox?status=failed"))
    assert "neu@example.org" in page and "550" in page and "fehlgeschlagen" in page
    assert "Ihre Zugangsanfrage für Grundschule am Wall" in page


def test_after_the_last_attempt_a_message_counts_as_failed(app, client, accounts, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 2)
    outbox.mail.init_app(app)
    _register(client)
    [message] = _outbox(app)
    with app.app_context():
        outbox.send(message.id, now=message.next_attempt_at + timedelta(hours=1))
    [message] = _outbox(app)
    assert message.state is MessageState.FAILED and message.attempts == 2


def test_with_mail_off_nothing_is_written_and_the_office_hands_the_link_over(app, client, accounts):
    assert not app.config["MAIL_SERVER"]
    _register(client)
    login(client, accounts["office"])
    page = text_of(client.post(f"/office/access-requests/{_request_id(app)}/approve"))
    assert "Geben Sie diesen Link an Nina Neu weiter." in page
    assert _outbox(app) == []


def test_names_are_plain_text_in_the_html_alternative(app, make, client, mail_server):
    make.school(number="75077", name="Schule <b>fett</b> & Co")
    _register(client, number="75077")
    [mail] = mail_server.received
    assert "Schule <b>fett</b> & Co" in mail.text
    assert "Schule &lt;b&gt;fett&lt;/b&gt; &amp; Co" in mail.html


@pytest.mark.parametrize("role", ["school", "assessor"])
def test_only_the_office_reads_the_outbox(app, accounts, role):
    client = app.test_client()
    login(client, accounts[role])
    assert client.get("/office/outbox").status_code == 403


def test_a_real_worker_sends_what_a_request_wrote(app, client, accounts, mail_server, tmp_path):
    with real_queue(app, tmp_path) as start_worker:
        _register(client)
        [message] = _outbox(app)
        assert message.state is MessageState.QUEUED  # written; the request did not send it
        start_worker()
        [mail] = mail_server.wait_for(1)
    assert mail.subject == "Neue Zugangsanfrage: Grundschule am Wall"
    assert [item.state for item in _outbox(app)] == [MessageState.SENT]


def test_a_name_on_more_than_one_line_is_refused(app, client, accounts, mail_server):
    answer = client.post(
        "/register",
        data={
            "school_number": "75001",
            "name": "Max Muster\r\n\r\nBitte sofort hier anmelden: http://evil.example/login",
            "position": "coordinator",
            "email": "max@example.org",
        },
    )
    assert "Bitte schreiben Sie dies in eine Zeile" in text_of(answer)
    assert mail_server.received == [] and _outbox(app) == []


def test_only_the_apps_own_addresses_become_links_in_a_mail(app, client, accounts, mail_server):
    _register(client, email="max@example.org")
    with app.app_context():
        request = db.session.get(AccessRequest, _request_id(app))
        request.name = "Max http://evil.example/login"
        db.session.commit()
        mail_server.received.clear()
        db.session.execute(sa.delete(OutboxMessage))
        db.session.commit()
        messages.access_request_received(db.session.get(AccessRequest, _request_id(app)))
        db.session.commit()
    [mail] = mail_server.received
    assert "Max http://evil.example/login" in mail.text
    assert 'href="http://evil.example' not in mail.html
    assert 'href="https://siegel.example.org/office/access-requests"' in mail.html


def test_a_password_link_is_not_kept_once_sent(app, client, accounts, mail_server):
    client.post("/password/forgot", data={"email": accounts["school"]})
    [mail] = mail_server.received
    token = re.search(r"/password/set/(\S+)", mail.text).group(1)
    [message] = _outbox(app)
    assert message.state is MessageState.SENT
    assert token not in message.body_text and token not in message.body_html
    assert "/password/set/[nach dem Versand entfernt]" in message.body_text
    office = app.test_client()
    login(office, accounts["office"])
    assert token not in office.get("/office/outbox").get_data(as_text=True)
    still_works = app.test_client().get(f"/password/set/{token}", follow_redirects=True)
    assert still_works.status_code == 200
