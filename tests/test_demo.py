"""``flask seal demo``: a district to click through at once, safe to run twice."""

from __future__ import annotations

import sqlalchemy as sa

from seal_app.auth.models import User
from seal_app.extensions import db
from seal_app.rounds.models import Round, RoundStatus
from seal_app.schools.models import School
from tests.conftest import login


def test_demo_is_idempotent_and_its_logins_work(app, runner, monkeypatch):
    monkeypatch.setenv("SEAL_DEMO_PASSWORD", "Demo-Passwort-fuer-Tests")
    first = runner.invoke(args=["seal", "demo"])
    second = runner.invoke(args=["seal", "demo"])
    assert first.exit_code == second.exit_code == 0
    for email in ("schule@demo.invalid", "gutachter@demo.invalid", "buero@demo.invalid"):
        assert email in second.output
    with app.app_context():
        schools = db.session.scalars(sa.select(School)).all()
        assert len(schools) >= 12 and len({s.school_type for s in schools}) >= 5
        assert {"Güstrow", "Bad Doberan", "Teterow", "Kühlungsborn"} <= {s.town for s in schools}
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 3
        rounds = db.session.scalars(sa.select(Round)).all()
        assert len(rounds) == 1 and rounds[0].status is RoundStatus.OPEN
    client = app.test_client()
    assert login(client, "buero@demo.invalid", "Demo-Passwort-fuer-Tests").status_code == 302


def test_demo_prints_random_passwords_without_the_variable(app, runner, monkeypatch):
    monkeypatch.delenv("SEAL_DEMO_PASSWORD", raising=False)
    result = runner.invoke(args=["seal", "demo"])
    password = result.output.split("buero@demo.invalid")[1].split("Passwort:")[1].split()[0]
    assert len(password) >= 12
    assert login(app.test_client(), "buero@demo.invalid", password).status_code == 302
