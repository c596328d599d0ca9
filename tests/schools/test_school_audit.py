"""The audit log names each school a CSV import created or changed, with old and new values."""

from __future__ import annotations

import sqlalchemy as sa

from seal_app.audit.models import AuditEntry
from seal_app.extensions import db
from seal_app.schools.models import School
from tests.conftest import login
from tests.schools.test_import import GOOD, _upload
from tests.schools.test_schools import VALID


def _entries(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        query = sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        entries = list(db.session.scalars(query))
        db.session.expunge_all()
        return entries


def _school_ids(app) -> dict[str, int]:
    with app.app_context():
        return dict(db.session.execute(sa.select(School.school_number, School.id)).all())


def test_import_records_each_created_school(app, client, accounts):
    login(client, accounts["office"])
    _upload(client, GOOD)
    ids = _school_ids(app)
    created = _entries(app, "school.created")
    assert [(e.school_id, e.object_id) for e in created] == [
        (ids["76001"], str(ids["76001"])),
        (ids["76002"], str(ids["76002"])),
    ]
    assert created[0].details == {"school_number": "76001", "source": "csv_import"}
    summary = _entries(app, "schools.imported")
    assert summary[0].details == {"created": 2, "updated": 0}


def test_import_records_changed_fields_with_old_and_new_values(app, client, accounts):
    login(client, accounts["office"])
    _upload(client, GOOD)
    changed = GOOD.replace("Gymnasium Teterow", "Gymnasium Teterow am See").replace(
        "03996 1234", ""
    )
    _upload(client, changed)
    updates = _entries(app, "school.updated")
    assert len(updates) == 1  # the unchanged school gets no entry
    assert updates[0].school_id == _school_ids(app)["76002"]
    assert updates[0].details == {
        "changes": {
            "name": {"old": "Gymnasium Teterow", "new": "Gymnasium Teterow am See"},
            "phone": {"old": "03996 1234", "new": None},
        },
        "source": "csv_import",
    }


def test_manual_edit_records_old_and_new_values(app, client, accounts):
    login(client, accounts["office"])
    school_id = _school_ids(app)["75001"]
    with app.app_context():
        current = db.session.get(School, school_id)
        saved = {**VALID, "school_number": "75001", "name": current.name, "version": "1"}
        saved.update(street=current.street, postal_code=current.postal_code, town=current.town)
        saved.update(school_authority=current.school_authority, district=current.district)
    response = client.post(
        f"/office/schools/{school_id}/edit",
        data={**saved, "name": "Grundschule am Neuen Wall", "town": "Bützow"},
    )
    assert response.status_code == 302
    (entry,) = _entries(app, "school.updated")
    assert entry.school_id == school_id
    assert entry.details == {
        "changes": {
            "name": {"old": "Grundschule am Wall", "new": "Grundschule am Neuen Wall"},
            "town": {"old": "Güstrow", "new": "Bützow"},
        }
    }
