"""Kept drafts that nobody picked up are deleted by the retention run, logged by number only."""

from __future__ import annotations

import json
from datetime import timedelta

import sqlalchemy as sa

from seal_app.auth.models import Role
from seal_app.db_types import utcnow
from seal_app.drafts.models import KeptDraft
from seal_app.extensions import db
from tests.retention.setup import retention_audit, run_retention

SECRET_TEXT = "Vertraulich: Herr Beispiel meldete einen Vorfall."


def test_expired_drafts_are_deleted_and_only_counted(app, make):
    user_id = make.user_id(make.user(Role.SCHOOL))
    with app.app_context():
        for days_ago, path in ((3, "/alt/1"), (2, "/alt/2"), (0, "/neu")):
            created = utcnow() - timedelta(days=days_ago)
            db.session.add(
                KeptDraft(
                    user_id=user_id,
                    path=path,
                    fields=json.dumps([["measures", SECRET_TEXT]]),
                    created_at=created,
                    expires_at=created + timedelta(hours=24),
                )
            )
        db.session.commit()

    listed = run_retention(app, "--dry-run")
    assert "Aufbewahrte Formulareingaben: 2 abgelaufen" in listed.output
    result = run_retention(app)

    assert "2 abgelaufene aufbewahrte Formulareingaben" in result.output
    with app.app_context():
        assert db.session.scalars(sa.select(KeptDraft.path)).all() == ["/neu"]
    entries = [
        entry for entry in retention_audit(app) if entry.action == "retention.drafts_deleted"
    ]
    assert [entry.details for entry in entries] == [{"count": 2}]
    assert SECRET_TEXT not in json.dumps([entry.details for entry in retention_audit(app)])
