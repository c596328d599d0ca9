"""Counting attempts against the limits of logins, password changes and second factors.

An attempt is *taken* from its limit before the password or code is checked, and *given back*
when the answer was right: only wrong answers count, and requests sent at the same moment
cannot all pass a test made before any of them was counted (a check first and a count
afterwards let twenty parallel guesses through where five were allowed).

The counts live in the rate limiter's storage, so several workers share them (with redis://).
While that storage cannot be reached, each process counts in its own memory: the limits fail
closed per process (README, „Rate limits while Redis is gone“), never open and never with an
error page. Giving back relies on fixed windows, Flask-Limiter's default strategy.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter, RateLimiter

from seal_app.extensions import limiter

REFUSALS_LOGGED = parse("20 per 10 minutes")  # per address and page
_IN_PROCESS = FixedWindowRateLimiter(MemoryStorage())
_log = logging.getLogger(__name__)
T = TypeVar("T")


def _counted(call: Callable[[RateLimiter], T]) -> T:
    try:
        return call(limiter.limiter)
    except Exception:  # each storage has its own errors (redis, memcached, ...)
        _log.warning("rate limit storage unreachable: counting in this process")
        return call(_IN_PROCESS)


def left(limit: RateLimitItem, *identifiers: str) -> bool:
    """True while one more attempt is allowed."""
    return _counted(lambda counts: counts.test(limit, *identifiers))


def take(limit: RateLimitItem, *identifiers: str) -> bool:
    """Take one attempt; False when none was left (the attempt is then refused)."""
    return _counted(lambda counts: counts.hit(limit, *identifiers))


def give_back(limit: RateLimitItem, *identifiers: str) -> None:
    """Return an attempt taken with ``take`` whose answer was right."""

    def count_down(counts: RateLimiter) -> None:
        if isinstance(counts, FixedWindowRateLimiter):
            counts.storage.incr(limit.key_for(*identifiers), limit.get_expiry(), amount=-1)

    _counted(count_down)


# --- passwords: per account AND address, so that strangers cannot lock the owner out ----------


def _identifiers(scope: str, account: str) -> tuple[str, ...]:
    return ("failed-password", scope, account, get_remote_address() or "")


def _limit() -> RateLimitItem:
    return parse(current_app.config["LOGIN_LIMIT_PER_ACCOUNT"])


def _address_limit() -> RateLimitItem:
    return parse(current_app.config["LOGIN_LIMIT_PER_ADDRESS"])


def exhausted(scope: str, account: str) -> bool:
    """True when one more failure from this address for this account would be too many."""
    return not left(_limit(), *_identifiers(scope, account))


def take_password_attempt(scope: str, account: str) -> bool:
    return take(_limit(), *_identifiers(scope, account))


def give_back_password_attempt(scope: str, account: str) -> None:
    give_back(_limit(), *_identifiers(scope, account))


def take_login_attempt(account: str) -> bool:
    """The login's two limits, per address (a school's staff share one) and per account and
    address; False when either is used up."""
    by_address = take(_address_limit(), "login", get_remote_address() or "")
    return take_password_attempt("login", account) and by_address


def give_back_login_attempt(account: str) -> None:
    give_back(_address_limit(), "login", get_remote_address() or "")
    give_back_password_attempt("login", account)


def refusal_worth_logging(scope: str) -> bool:
    """True for the first refusals from an address in a while: a flood of refused requests
    must not flood the security log too."""
    return take(REFUSALS_LOGGED, "refusal-logged", scope, get_remote_address() or "")
