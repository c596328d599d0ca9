"""The second factor in tests: office and assessor accounts of the fixtures have an
authenticator app set up with a known secret, and the login helpers type a current code, as a
person would read it from the app. The app refuses a code used before, so a test that logs the
same account in many times within half a minute types one of its recovery codes instead."""

from __future__ import annotations

import re
import secrets
import time
from urllib.parse import urlsplit

import pyotp
import sqlalchemy as sa
from playwright.sync_api import Error as PlaywrightError

from seal_app.auth.models import User
from seal_app.extensions import db
from seal_app.twofactor import recovery, totp
from seal_app.twofactor.models import RecoveryCode, TotpFactor

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
    while True:
        code = _unused_code(email, secret)
        if code is not None:
            return code
        time.sleep(totp.STEP_SECONDS - time.time() % totp.STEP_SECONDS + 0.05)


def _unused_code(email: str, secret: str = TOTP_SECRET) -> str | None:
    last = _last_used_step(email)
    now = time.time()
    step, into = int(now // totp.STEP_SECONDS), now % totp.STEP_SECONDS
    candidates = ([step - 1] if into < 25 else []) + [step, step + 1]
    for candidate in candidates:
        if candidate > last:
            return pyotp.TOTP(secret).at(candidate * totp.STEP_SECONDS)
    return None


def second_step(email: str) -> dict[str, str]:
    """What the person types on the code page: a current code of the app, or, when the
    account has used every code of this half minute (many logins in a row), one of its
    recovery codes, as a person in a hurry would."""
    code = _unused_code(email)
    if code is not None:
        return {"code": code}
    return {"recovery_code": _spare_recovery_code(email)}


def _spare_recovery_code(email: str) -> str:
    """A recovery code of the account (as if printed at set-up), for one login."""
    typed = "".join(secrets.choice(recovery.ALPHABET) for _ in range(recovery.LENGTH))
    with _app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
        db.session.add(RecoveryCode(user_id=user.id, code_hash=recovery._hash(typed)))
        db.session.commit()
    return recovery.shown(typed)


def complete_login(client, response, email: str):
    """After the password (test client): type the code when the code page asks for it."""
    location = response.headers.get("Location", "") if response.status_code == 302 else ""
    if urlsplit(location).path != CODE_PAGE:
        return response
    return client.post(location, data=second_step(email))


def complete_login_in_browser(page, email: str) -> None:
    """After the password was sent in the browser: type the code when the code page asks."""
    _wait_for_the_answer_to_the_password(page)
    if urlsplit(page.url).path == CODE_PAGE:
        typed = second_step(email)
        if "code" in typed:
            page.get_by_label(CODE_LABEL).fill(typed["code"])
            page.get_by_role("button", name="Bestätigen", exact=True).click()
        else:
            page.get_by_label("Wiederherstellungscode", exact=True).fill(typed["recovery_code"])
            page.get_by_role("button", name="Mit Wiederherstellungscode anmelden").click()
        page.wait_for_url(lambda url: urlsplit(url).path != CODE_PAGE)


def _wait_for_the_answer_to_the_password(page, seconds: float = 30) -> None:
    """Until the browser has left the login page, or shows it again with a refusal."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if urlsplit(page.url).path != "/login":
            break
        try:
            if page.locator(".kern-alert--danger, .error-summary").count():
                break
        except PlaywrightError:  # the page is just being replaced
            pass
        page.wait_for_timeout(100)
    page.wait_for_load_state()


SETUP_PAGE = "/account/second-factor/setup"


def set_up_app_at_first_login(client, email: str, password: str):
    """An account without a factor (the demo's): the password leads to the set-up, where the
    person scans the key into an app and types its code. Returns the recovery codes' page."""
    response = client.post("/login", data={"email": email, "password": password})
    assert urlsplit(response.headers["Location"]).path == SETUP_PAGE
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    token = re.search(r'name="secret_token"[^>]*value="([^"]*)"', page).group(1)
    key = re.search(r'class="totp-secret"><code>([A-Z2-7 ]+)</code>', page).group(1)
    code = pyotp.TOTP(key.replace(" ", "")).now()
    return client.post("/account/second-factor/totp", data={"secret_token": token, "code": code})
