"""A lost factor reset by another office account or on the command line; confirming who one
is before grave actions; the devices logged in."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import sqlalchemy as sa

from seal_app.audit.models import AuditEntry
from seal_app.auth.models import Role, SecurityEvent, SecurityEventKind, User, UserSession
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.notifications.models import OutboxMessage
from seal_app.twofactor.devices import describe
from seal_app.twofactor.models import TotpFactor
from tests.conftest import PASSWORD, login, text_of

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"


def _factors(app, email: str) -> int:
    with app.app_context():
        query = sa.select(sa.func.count(TotpFactor.id)).join(User).where(User.email == email)
        return db.session.scalar(query)


def test_another_office_account_resets_a_lost_factor(app, client, accounts, make, mail_server):
    colleague = make.user(Role.OFFICE, "kollegin@example.org")
    victim = app.test_client()
    login(victim, accounts["assessor"])
    login(client, colleague)
    user_id = make.user_id(accounts["assessor"])
    page = client.get(f"/office/users/{user_id}/edit")
    assert f"/office/users/{user_id}/second-factor/reset" in page.get_data(as_text=True)
    confirm = text_of(client.get(f"/office/users/{user_id}/second-factor/reset"))
    assert "löscht die eingerichtete Authenticator-App" in confirm
    response = client.post(f"/office/users/{user_id}/second-factor/reset")
    assert response.headers["Location"] == f"/office/users/{user_id}/edit"
    assert _factors(app, accounts["assessor"]) == 0
    assert victim.get("/").status_code == 200 and "Abmelden" not in text_of(victim.get("/"))
    with app.app_context():
        assert db.session.scalar(
            sa.select(AuditEntry.actor_id).where(AuditEntry.action == "user.second_factor_reset")
        ) == make.user_id(colleague)
        assert db.session.scalar(
            sa.select(SecurityEvent.id).where(
                SecurityEvent.event == SecurityEventKind.SECOND_FACTOR_RESET
            )
        )
        mail = db.session.scalar(
            sa.select(OutboxMessage).where(OutboxMessage.recipient == accounts["assessor"])
        )
        assert "zurückgesetzt" in mail.subject
    # at the next login the account sets its factor up again
    again = app.test_client()
    answer = again.post("/login", data={"email": accounts["assessor"], "password": PASSWORD})
    assert answer.headers["Location"].startswith("/account/second-factor/setup")


def test_an_office_account_cannot_reset_its_own_factor(app, client, accounts, make):
    login(client, accounts["office"])
    own = make.user_id(accounts["office"])
    assert "ein anderes Konto der Geschäftsstelle" in text_of(
        client.get(f"/office/users/{own}/second-factor/reset")
    )
    client.post(f"/office/users/{own}/second-factor/reset")
    assert _factors(app, accounts["office"]) == 1


def test_the_command_line_resets_the_last_office_account(app, runner, accounts):
    result = runner.invoke(args=["seal", "reset-2fa", accounts["office"]])
    assert result.exit_code == 0, result.output
    assert "ist zurückgesetzt" in result.output
    assert _factors(app, accounts["office"]) == 0
    unknown = runner.invoke(args=["seal", "reset-2fa", "niemand@example.org"])
    assert unknown.exit_code == 1 and "kein Konto" in unknown.output


def _age_confirmation(app, minutes: int = 11) -> None:
    with app.app_context():
        db.session.execute(
            sa.update(UserSession).values(confirmed_at=utcnow() - timedelta(minutes=minutes))
        )
        db.session.commit()


def test_changing_a_role_asks_again_who_one_is_and_returns(app, client, accounts, make):
    login(client, accounts["office"])
    user_id = make.user_id(accounts["assessor"])
    _age_confirmation(app)
    asked = client.get(f"/office/users/{user_id}/edit")
    assert asked.headers["Location"] == f"/account/confirm?next=/office/users/{user_id}/edit"
    page = client.get(asked.headers["Location"])
    assert "Bitte bestätigen Sie, dass Sie es sind" in text_of(page)
    wrong = client.post(asked.headers["Location"], data={"confirm_password": "falsch"})
    assert "Das Passwort ist nicht richtig." in text_of(wrong)
    right = client.post(asked.headers["Location"], data={"confirm_password": PASSWORD})
    assert right.headers["Location"] == f"/office/users/{user_id}/edit"
    assert client.get(f"/office/users/{user_id}/edit").status_code == 200


def test_a_form_sent_after_the_confirmation_ran_out_keeps_what_was_typed(
    app, client, accounts, make
):
    login(client, accounts["office"])
    user_id = make.user_id(accounts["assessor"])
    _age_confirmation(app)
    form = {"name": "Jonas Gutmann-Neu", "role": "office", "position": "head", "enabled": "y"}
    asked = client.post(f"/office/users/{user_id}/edit", data=form)
    html = asked.get_data(as_text=True)
    assert "Ihr Formular ist noch nicht gesendet" in text_of(asked)
    assert 'value="Jonas Gutmann-Neu"' in html
    with app.app_context():
        assert db.session.get(User, user_id).role is Role.ASSESSOR
    sent = client.post(
        f"/office/users/{user_id}/edit",
        data={**form, "confirming": "1", "confirm_password": PASSWORD},
    )
    assert sent.headers["Location"] == "/office/users"
    with app.app_context():
        changed = db.session.get(User, user_id)
        assert changed.role is Role.OFFICE and changed.name == "Jonas Gutmann-Neu"


def test_exports_with_personal_data_ask_again_the_others_do_not(app, client, accounts):
    login(client, accounts["office"])
    _age_confirmation(app)
    assert client.get("/office/exports/audit").headers["Location"].startswith("/account/confirm")
    assert (
        client.get("/office/exports/applications")
        .headers["Location"]
        .startswith("/account/confirm")
    )
    assert client.get("/office/exports/schools").status_code == 200


def test_the_devices_page_lists_logins_and_ends_another(app, accounts):
    here, there = app.test_client(), app.test_client()
    login(here, accounts["school"])
    there.environ_base["HTTP_USER_AGENT"] = FIREFOX
    there.environ_base["REMOTE_ADDR"] = "198.51.100.23"
    login(there, accounts["school"])
    page = text_of(here.get("/account/devices"))
    assert "Firefox unter Windows" in page and "198.51.100.0/24" in page
    assert "198.51.100.23" not in page and "(dieses Gerät)" in page
    here.post("/account/devices/end-others")
    assert there.get("/account/security").headers["Location"].startswith("/login")
    assert here.get("/account/security").status_code == 200


def test_user_agents_read_as_browser_and_system():
    assert describe(FIREFOX) == ("Firefox", "Windows")
    edge = (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0"
    )
    assert describe(edge) == ("Edge", "macOS")
    iphone = (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
    )
    assert describe(iphone) == ("Safari", "iOS")
    assert describe("curl/8.0") == ("Unbekannter Browser", "unbekanntes System")


def test_a_school_account_may_turn_the_second_factor_on_and_off(app, client, accounts):

    school = accounts["school"]
    login(client, school)
    assert "Der zweite Faktor ist ausgeschaltet" in text_of(client.get("/account/security"))
    setup = client.get("/account/second-factor/setup").get_data(as_text=True)
    token = re.search(r'name="secret_token"[^>]*value="([^"]*)"', setup).group(1)
    secret = re.search(r'class="totp-secret"><code>([A-Z2-7 ]+)</code>', setup).group(1)
    client.post(
        "/account/second-factor/totp",
        data={"secret_token": token, "code": pyotp.TOTP(secret.replace(" ", "")).now()},
    )
    fresh = app.test_client()
    answer = fresh.post("/login", data={"email": school, "password": PASSWORD})
    assert answer.headers["Location"].startswith("/login/code")
    client.post("/account/second-factor/totp/remove")
    fresh = app.test_client()
    assert (
        fresh.post("/login", data={"email": school, "password": PASSWORD}).headers["Location"]
        == "/"
    )


def test_a_set_up_begun_long_after_the_password_asks_for_a_new_login(app, make):
    email = make.user(Role.OFFICE, "spaet@example.org", second_factor=False)
    client = app.test_client()
    client.post("/login", data={"email": email, "password": PASSWORD})
    _age_confirmation(app)
    assert client.get("/account/second-factor/setup").headers["Location"] == "/login"
