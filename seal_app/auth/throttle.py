"""Counting failed password checks per account and address, with the login limit.

Keyed on account and address together, so that strangers elsewhere cannot lock an owner out.
Uses the rate limiter's storage, so several workers share the counts (with redis://).
"""

from __future__ import annotations

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import parse

from seal_app.extensions import limiter

REFUSALS_LOGGED = parse("20 per 10 minutes")  # per address and page


def _identifiers(scope: str, account: str) -> tuple[str, ...]:
    return ("failed-password", scope, account, get_remote_address() or "")


def _limit():
    return parse(current_app.config["LOGIN_LIMIT_PER_ACCOUNT"])


def exhausted(scope: str, account: str) -> bool:
    """True when one more failure from this address for this account would be too many."""
    return not limiter.limiter.test(_limit(), *_identifiers(scope, account))


def count_failure(scope: str, account: str) -> None:
    limiter.limiter.hit(_limit(), *_identifiers(scope, account))


def refusal_worth_logging(scope: str) -> bool:
    """True for the first refusals from an address in a while: a flood of refused requests
    must not flood the security log too."""
    return limiter.limiter.hit(REFUSALS_LOGGED, "refusal-logged", scope, get_remote_address() or "")
