"""The retention periods in German words, for the Datenschutzerklärung („zwölf Monate“)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from seal_app.retention import policy

# Numbers up to twelve are written as words in running text.
NUMBER_WORDS = {
    2: _l("zwei"),
    3: _l("drei"),
    4: _l("vier"),
    5: _l("fünf"),
    6: _l("sechs"),
    7: _l("sieben"),
    8: _l("acht"),
    9: _l("neun"),
    10: _l("zehn"),
    11: _l("elf"),
    12: _l("zwölf"),
}


@dataclass(frozen=True)
class PeriodWords:
    evidence_after_seal: str
    evidence_after_refusal: str
    declined_requests: str
    security_log: str
    outbox: str
    audit_log: str


def number(value: int) -> str:
    word = NUMBER_WORDS.get(value)
    return str(word) if word is not None else str(value)


def months(value: int) -> str:
    """„einen Monat“, „sechs Monate“, „ein Jahr“, „zwei Jahre“, „18 Monate“ (as in „… nach“)."""
    if value == 0:
        return _("unmittelbar")
    if value % 12 == 0:
        years = value // 12
        return ngettext("ein Jahr", "%(count)s Jahre", years, count=number(years))
    return ngettext("einen Monat", "%(count)s Monate", value, count=number(value))


def days(value: int) -> str:
    """„einen Tag“, „sieben Tage“, „90 Tage“ (as in „… nach“)."""
    if value == 0:
        return _("unmittelbar")
    return ngettext("einen Tag", "%(count)s Tage", value, count=number(value))


def years_or_days(value: int) -> str:
    """„zehn Jahre“ for whole years of 365 days, else as ``days``."""
    if value and value % 365 == 0:
        years = value // 365
        return ngettext("ein Jahr", "%(count)s Jahre", years, count=number(years))
    return days(value)


def periods_in_words() -> PeriodWords | None:
    """The configured periods in words; None when a setting is broken (the page then says
    the periods in general terms instead of failing)."""
    try:
        periods = policy.periods_of(current_app.config)
    except policy.RetentionSettingError:
        current_app.logger.warning("retention settings are broken; privacy page is general")
        return None
    return PeriodWords(
        evidence_after_seal=months(periods.evidence_after_seal_months),
        evidence_after_refusal=months(periods.evidence_after_refusal_months),
        declined_requests=days(periods.declined_requests_days),
        security_log=days(periods.security_log_days),
        outbox=days(periods.outbox_days),
        audit_log=years_or_days(periods.audit_log_days),
    )
