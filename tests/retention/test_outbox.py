"""Retention of the e-mail outbox: sent and failed messages go after RETENTION_OUTBOX_DAYS,
waiting ones stay; the audit log and the Datenschutzerklärung say so."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from seal_app.auth.models import Role
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.local_time import local_today
from seal_app.notifications.models import MessageState, OutboxAttachment, OutboxMessage
from seal_app.retention import apply
from tests.conftest import login, text_of
from tests.retention.setup import retention_audit, run_retention

RECIPIENT = "erika.musterfrau@example.org"
SUBJECT = "Ihr Antrag für Erika Musterfrau"
TEXT = "Guten Tag Frau Musterfrau, vertrauliche Zeilen."


@dataclass
class Outbox:
    due: list[int]  # sent or failed, written before the period
    kept: list[int]  # recent, or still waiting / being sent however old


def build(app) -> Outbox:
    """Messages on either side of the default 180 days, in every state."""
    rows = [
        (MessageState.SENT, 400, True),
        (MessageState.FAILED, 181, True),
        (MessageState.SENT, 179, False),
        (MessageState.FAILED, 10, False),
        (MessageState.QUEUED, 400, False),
        (MessageState.SENDING, 400, False),
    ]
    data = Outbox(due=[], kept=[])
    with app.app_context():
        for index, (state, days_ago, due) in enumerate(rows):
            written = utcnow() - timedelta(days=days_ago)
            message = OutboxMessage(
                event="test",
                event_key=f"test:{index}",
                recipient=RECIPIENT,
                subject=SUBJECT,
                body_text=TEXT,
                body_html=f"<p>{TEXT}</p>",
                state=state,
                created_at=written,
                next_attempt_at=written,
                sent_at=written if state is MessageState.SENT else None,
            )
            db.session.add(message)
            db.session.flush()
            (data.due if due else data.kept).append(message.id)
        db.session.commit()
    return data


def _ids(app) -> set[int]:
    with app.app_context():
        return set(db.session.scalars(sa.select(OutboxMessage.id)))


def _cut_off(app, days: int = 180) -> str:
    """The cut-off day as the app counts it (the local date, not the server's)."""
    with app.app_context():
        return (local_today() - timedelta(days=days)).isoformat()


def test_dry_run_lists_the_due_messages_and_deletes_nothing(app):
    data = build(app)

    result = run_retention(app, "--dry-run")

    assert result.exit_code == 0, result.output
    assert "Postausgang: 2 E-Mails (gesendet oder fehlgeschlagen) vor dem" in result.output
    for secret in (RECIPIENT, SUBJECT, TEXT, "Musterfrau"):
        assert secret not in result.output
    assert _ids(app) == set(data.due + data.kept)
    assert retention_audit(app) == []


def test_run_deletes_only_sent_and_failed_messages_past_the_period(app):
    data = build(app)

    result = run_retention(app)

    assert result.exit_code == 0, result.output
    assert "Gelöscht: 2 E-Mails aus dem Postausgang." in result.output
    assert _ids(app) == set(data.kept)
    with app.app_context():
        states = set(db.session.scalars(sa.select(OutboxMessage.state)))
    assert {MessageState.QUEUED, MessageState.SENDING} <= states

    again = run_retention(app)
    assert again.exit_code == 0
    assert "Nichts ist fällig; nichts wurde gelöscht." in again.output
    assert "Nichts ist fällig." in run_retention(app, "--dry-run").output
    assert _ids(app) == set(data.kept)
    assert len(retention_audit(app)) == 1


def test_audit_entry_holds_only_the_count_and_the_cut_off(app):
    build(app)
    run_retention(app)

    [entry] = retention_audit(app)
    assert entry.action == "retention.outbox_deleted"
    assert entry.object_type == "-" and entry.object_id == "-"
    assert entry.details == {"count": 2, "before": _cut_off(app)}
    logged = json.dumps(entry.details)
    for secret in (RECIPIENT, SUBJECT, TEXT, "Musterfrau", "test:"):
        assert secret not in logged


def test_audit_log_names_the_outbox_deletion_in_german(app, make, client):
    build(app)
    run_retention(app)
    login(client, make.user(Role.OFFICE))
    page = text_of(client.get("/office/audit/"))
    assert "Alte E-Mails aus dem Postausgang gelöscht" in page
    assert "Musterfrau" not in page


def test_shorter_period_makes_recent_messages_due_but_never_waiting_ones(app, monkeypatch):
    data = build(app)
    monkeypatch.setitem(app.config, "RETENTION_OUTBOX_DAYS", 0)

    result = run_retention(app)

    assert result.exit_code == 0, result.output
    assert "4 E-Mails aus dem Postausgang" in result.output
    with app.app_context():
        left = set(db.session.scalars(sa.select(OutboxMessage.state)))
    assert left == {MessageState.QUEUED, MessageState.SENDING}
    assert len(_ids(app)) == len(data.kept) - 2
    assert retention_audit(app)[0].details == {"count": 4, "before": _cut_off(app, 0)}


def test_a_broken_outbox_setting_is_named_and_nothing_is_deleted(app, monkeypatch):
    data = build(app)
    for value in ("halbes Jahr", -1, 1201, True, None):
        monkeypatch.setitem(app.config, "RETENTION_OUTBOX_DAYS", value)
        for args in ((), ("--dry-run",)):
            result = run_retention(app, *args)
            assert result.exit_code == 1, (value, result.output)
            assert "RETENTION_OUTBOX_DAYS" in result.output
            assert "ganze Zahl" in result.output
    assert _ids(app) == set(data.due + data.kept)
    assert retention_audit(app) == []


def test_weekly_task_deletes_the_outbox_when_enabled(app, monkeypatch):
    data = build(app)
    with app.app_context():
        apply.weekly_retention()
    assert _ids(app) == set(data.due + data.kept)
    monkeypatch.setitem(app.config, "RETENTION_ENABLED", True)
    with app.app_context():
        apply.weekly_retention()
    assert _ids(app) == set(data.kept)
    assert [entry.action for entry in retention_audit(app)] == ["retention.outbox_deleted"]


def test_privacy_page_names_the_outbox_and_its_period(app, client, monkeypatch):
    page = text_of(client.get("/datenschutz"))
    assert "E-Mails: Von jeder Nachricht, die dieses Angebot versendet" in page
    assert "den Betreff und den Text im Postausgang der Geschäftsstelle" in page
    assert "erhält der Mailserver, den der Betreiber dieses Angebots dafür benennt" in page
    assert "Links zum Setzen eines Passworts, die nur einmal gelten, entfernen wir" in page
    assert "E-Mails im Postausgang: jede Nachricht bis 180 Tage nach dem Versand" in page

    monkeypatch.setitem(app.config, "RETENTION_OUTBOX_DAYS", 30)
    page = text_of(client.get("/datenschutz"))
    assert "jede Nachricht bis 30 Tage nach dem Versand" in page
    monkeypatch.setitem(app.config, "RETENTION_OUTBOX_DAYS", 1)
    assert "jede Nachricht bis einen Tag nach dem Versand" in text_of(client.get("/datenschutz"))

    monkeypatch.setitem(app.config, "RETENTION_OUTBOX_DAYS", "viel")
    response = client.get("/datenschutz")
    assert response.status_code == 200
    assert "Versendete E-Mails bewahren wir nur so lange auf" in text_of(response)


def test_attachments_go_with_their_messages(app):
    data = build(app)
    with app.app_context():
        for message_id in data.due + data.kept:
            db.session.add(
                OutboxAttachment(
                    message_id=message_id,
                    filename="Besuch.ics",
                    content_type="text/calendar; method=REQUEST; charset=utf-8",
                    size=3,
                    data=b"ics",
                )
            )
        db.session.commit()

    assert run_retention(app).exit_code == 0

    with app.app_context():
        left = set(db.session.scalars(sa.select(OutboxAttachment.message_id)))
    assert left == set(data.kept)
