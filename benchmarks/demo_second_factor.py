"""Authenticator apps with known keys for the demo's office and assessor logins, so that the
load drivers and Lighthouse can log in as those people do: password, then the current code.

Run after ``flask seal demo`` against the same database (the environment names it):
``python -m benchmarks.demo_second_factor``.
"""

from __future__ import annotations

import sqlalchemy as sa

# Fixed keys of test data only: the demo accounts exist on loopback runs, never in production.
SECRETS = {
    "buero@demo.invalid": "KRUGKIDROVUWG2ZAMJZG653OEBTG66BA",
    "gutachter@demo.invalid": "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U",
}


def enrol_authenticator(user, secret: str) -> None:
    """Set up an authenticator app with ``secret`` for ``user`` (in the caller's session)."""
    from seal_app.extensions import db
    from seal_app.twofactor import totp
    from seal_app.twofactor.models import TotpFactor

    db.session.add(TotpFactor(user_id=user.id, secret_encrypted=totp.seal_secret(secret, user.id)))


def enrol_demo_accounts() -> None:
    """Every account of ``SECRETS`` gets its authenticator app (once; a second run keeps it)."""
    from seal_app import create_app
    from seal_app.auth.models import User
    from seal_app.extensions import db
    from seal_app.twofactor.models import TotpFactor

    app = create_app({"LOG_FORMAT": "plain"})
    with app.app_context():
        for email, secret in SECRETS.items():
            user = db.session.scalar(sa.select(User).where(User.email == email))
            enrolled = db.session.scalar(
                sa.select(TotpFactor.id).where(TotpFactor.user_id == user.id)
            )
            if enrolled is None:
                enrol_authenticator(user, secret)
        db.session.commit()


if __name__ == "__main__":
    enrol_demo_accounts()
