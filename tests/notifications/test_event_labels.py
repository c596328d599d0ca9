"""Every kind of message the app writes has a German label on the office's outbox page."""

from __future__ import annotations

import ast
from pathlib import Path

from seal_app.extensions import db
from seal_app.notifications.models import OutboxMessage
from seal_app.notifications.routes import EVENT_LABELS
from tests.conftest import login, text_of

PACKAGE = Path(__file__).parents[2] / "seal_app" / "notifications"
VISIT_KINDS = ("planned", "changed", "cancelled", "withdrawn")  # visit_messages: f"visit.{kind}"


WRITERS = {"write", "_to_school_and_office"}  # the event kind is the first argument of each


def _written_events() -> set[str]:
    """The first argument of every call of a writer in the package's modules."""
    events: set[str] = set()
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in WRITERS:
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant):
                    events.add(first.value)
                elif isinstance(first, ast.JoinedStr):
                    events.update(f"visit.{kind}" for kind in VISIT_KINDS)
    return events


def test_every_event_written_has_a_label():
    events = _written_events()
    assert "certificate.revoked" in events and "visit.planned" in events
    assert sorted(events - EVENT_LABELS.keys()) == []


def test_the_outbox_page_names_a_revocation_in_german(app, accounts, mail_server):
    with app.app_context():
        db.session.add(
            OutboxMessage(
                event="certificate.revoked",
                event_key="certificate_revoked:1:office",
                recipient="buero@example.org",
                subject="Urkunde Nr. 2026-001 widerrufen",
                body_text="Text",
                body_html="<p>Text</p>",
            )
        )
        db.session.commit()
    client = app.test_client()
    login(client, accounts["office"])
    page = text_of(client.get("/office/outbox"))
    assert "Urkunde widerrufen" in page and "certificate.revoked" not in page
