"""Twenty guesses at the same moment, against the served app: wrong codes from twenty
password-only logins of one account, and wrong passwords for one account. The limit of five
holds for both: each attempt is taken before its answer is checked, so no request passes a
test made before the others were counted."""

from __future__ import annotations

import sqlalchemy as sa

from seal_app.auth.models import Role, SecurityEvent, SecurityEventKind
from seal_app.extensions import db
from tests.concurrency.conftest import HttpSession, send_together
from tests.conftest import PASSWORD
from tests.two_factor import CODE_PAGE, code_for

SESSIONS = 20
CHECKED = "Der Code ist nicht richtig, abgelaufen oder wurde schon verwendet"


def test_wrong_codes_sent_together_get_no_more_attempts_than_the_limit(app, served_app, make):
    office = make.user(Role.OFFICE, "parallel@example.org")
    sessions = [HttpSession(served_app, f"guess {number}") for number in range(SESSIONS)]
    for session in sessions:
        answer = session.request("/login", {"email": office, "password": PASSWORD})
        assert answer.location.startswith(CODE_PAGE), answer.status
    right = code_for(office)
    wrong = [str((int(right) + 1 + number) % 1_000_000).zfill(6) for number in range(SESSIONS)]
    guesses = iter(wrong)

    answers, errors = send_together(
        sessions, lambda session: session.request(CODE_PAGE, {"code": next(guesses)})
    )

    assert errors == [] and len(answers) == SESSIONS
    checked = [answer for answer in answers if answer.status == 200]
    assert all(CHECKED in answer.body for answer in checked)
    assert len(checked) == 5, [answer.status for answer in answers]
    assert sorted({answer.status for answer in answers}) == [200, 429]
    with app.app_context():
        failed = db.session.scalar(
            sa.select(sa.func.count()).where(
                SecurityEvent.event == SecurityEventKind.SECOND_FACTOR_FAILED
            )
        )
    assert failed == 5
    refused_right_code = sessions[0].request(CODE_PAGE, {"code": right})
    assert refused_right_code.status == 429  # the limit holds for the right code too


def test_wrong_passwords_sent_together_get_no_more_attempts_than_the_limit(
    app, served_app, make, monkeypatch
):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes")
    office = make.user(Role.OFFICE, "passwort@example.org")
    sessions = [HttpSession(served_app, f"guess {number}") for number in range(SESSIONS)]
    guesses = iter(f"Falsches-Passwort-{number}" for number in range(SESSIONS))

    answers, errors = send_together(
        sessions,
        lambda session: session.request("/login", {"email": office, "password": next(guesses)}),
    )

    assert errors == [] and len(answers) == SESSIONS
    assert sorted(answer.status for answer in answers) == [200] * 5 + [429] * 15
    with app.app_context():
        failed = db.session.scalar(
            sa.select(sa.func.count()).where(SecurityEvent.event == SecurityEventKind.LOGIN_FAILED)
        )
    assert failed == 5
    owner_elsewhere = HttpSession(served_app, "owner")  # the same address: refused too
    assert owner_elsewhere.request("/login", {"email": office, "password": PASSWORD}).status == 429
