"""Every character that splits a line (``str.splitlines``) is refused in one-line fields and in
the CSV import, and a message that cannot be sent anyway fails with its reason instead of
staying „wird gesendet“ for ever."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from seal_app.extensions import db
from seal_app.forms import has_control_characters
from seal_app.notifications import outbox
from seal_app.notifications.models import MessageState, OutboxMessage
from seal_app.schools.models import School
from tests.conftest import login, text_of
from tests.schools.test_import import HEADER, _upload
from tests.schools.test_schools import VALID

SEPARATORS = ["\u2028", "\u2029", "\x85", "\x1c", "\x1d", "\x1e", "\x0b", "\x0c"]


@pytest.mark.parametrize("separator", SEPARATORS)
def test_every_line_separator_counts_as_a_control_character(separator):
    assert len(f"a{separator}b".splitlines()) == 2
    assert has_control_characters(f"Grundschule{separator}Bcc: x")


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_the_school_form_refuses_a_name_with_a_line_separator(app, client, accounts, separator):
    login(client, accounts["office"])
    answer = client.post(
        "/office/schools/new", data={**VALID, "name": f"Grundschule{separator}Am Hafen"}
    )
    assert answer.status_code == 200
    assert "Bitte schreiben Sie dies in eine Zeile" in text_of(answer)
    with app.app_context():
        assert db.session.scalar(sa.select(School).where(School.name.contains("Am Hafen"))) is None


def test_the_import_refuses_a_name_with_a_line_separator(app, client, accounts):
    login(client, accounts["office"])
    bad = HEADER + (
        "76005;Schule\u2028Bcc: evil@x.invalid;Grundschule;Weg 1;18299;Laage;Stadt Laage;"
        "Landkreis Rostock;;\n"
    )
    page = text_of(_upload(client, bad))
    assert "Die Spalte „name“ enthält einen Zeilenumbruch oder ein Steuerzeichen." in page


def test_a_message_that_cannot_be_encoded_fails_with_its_reason(app, mail_server):
    with app.app_context():
        message = OutboxMessage(
            event="decision.released",
            event_key="decision_released:1:school",
            recipient="schule@example.org",
            subject="Entscheidung für Schule\u2028Bcc: evil@x.invalid",
            body_text="Text",
            body_html="<p>Text</p>",
        )
        db.session.add(message)
        db.session.commit()
        state = outbox.send(message.id)
        stored = db.session.get(OutboxMessage, message.id)
        assert state is MessageState.FAILED and stored.state is MessageState.FAILED
        assert stored.last_error.startswith("ValueError")
    assert mail_server.received == []
