"""The second factor in tests: office and assessor accounts of the fixtures have an
authenticator app set up with a known secret, and the login helpers type a current code, as a
person would read it from the app (a code not yet used: the app refuses one used before, so a
test that logs the same account in many times waits for the next code when it must)."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pyotp
import sqlalchemy as sa

from seal_app.auth.models import User
from seal_app.extensions import db
from seal_app.twofactor import totp
from seal_app.twofactor.models import TotpFactor

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
CODE_PAGE = "/login/code"
CODE_LABEL = "Code aus der Authenticator-App"
_app = None


def use_app(app) -> None:
    """The app whose database the helpers read (the session's one app)."""
    global _app
    _app = app


def enrol(user: User) -> None:
    """Set the app up for ``user`` (inside the caller's app context and transaction)."""
    db.session.flush()
    db.session.add(
        TotpFactor(
            user_id=user.id,
            secret_encrypted=totp.seal_secret(TOTP_SECRET, user.id),
            last_used_step=0,
        )
    )


def _last_used_step(email: str) -> int:
    with _app.app_context():
        query = (
            sa.select(TotpFactor.last_used_step)
            .join(User, User.id == TotpFactor.user_id)
            .where(User.email == email.strip().lower())
        )
        return db.session.scalar(query) or 0


def code_for(email: str, secret: str = TOTP_SECRET) -> str:
    """A code the app shows now (or showed a moment ago, or shows next) that the account has
    not used yet; waits for the next one when all three are used."""
    last = _last_used_step(email)
    while True:
        now = time.time()
        step, into = int(now // totp.STEP_SECONDS), now % totp.STEP_SECONDS
        candidates = ([step - 1] if into < 25 else []) + [step, step + 1]
        for candidate in candidates:
            if candidate > last:
                return pyotp.TOTP(secret).at(candidate * totp.STEP_SECONDS)
        time.sleep(totp.STEP_SECONDS - into + 0.05)


def complete_login(client, response, email: str):
    """After the password (test client): type the code when the code page asks for it."""
    location = response.headers.get("Location", "") if response.status_code == 302 else ""
    if urlsplit(location).path != CODE_PAGE:
        return response
    return client.post(location, data={"code": code_for(email)})


def complete_login_in_browser(page, email: str) -> None:
    """After the password was sent in the browser: type the code when the code page asks."""
    page.wait_for_load_state()
    if urlsplit(page.url).path == CODE_PAGE:
        page.get_by_label(CODE_LABEL).fill(code_for(email))
        page.get_by_role("button", name="Bestätigen", exact=True).click()
        page.wait_for_url(lambda url: urlsplit(url).path != CODE_PAGE)
