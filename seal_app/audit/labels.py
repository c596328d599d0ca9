"""German words for the audit log: actions, detail names and detail values.

Every action name passed to ``record`` has a label here; an unknown one is shown as its code,
so that a new action never breaks the log.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from seal_app.formatting import file_size, two_decimals

ACTION_LABELS = {
    "access_request.approved": _l("Zugangsanfrage angenommen"),
    "access_request.declined": _l("Zugangsanfrage abgelehnt"),
    "answer.saved": _l("Angaben zu einem Kriterium gespeichert"),
    "assignment.created": _l("Gutachter/in zugewiesen"),
    "assignment.due_changed": _l("Frist für ein Gutachten geändert"),
    "assignment.removed": _l("Zuweisung einer Gutachterin / eines Gutachters entfernt"),
    "assignment.declared": _l("Erklärung zur Befangenheit abgegeben"),
    "application.more_requested": _l("Unterlagen nachgefordert"),
    "application.resubmitted": _l("Nachgeforderte Unterlagen eingereicht"),
    "application.started": _l("Antrag begonnen"),
    "application.submitted": _l("Antrag eingereicht"),
    "consensus.level_saved": _l("Vereinbarte Stufe der Jury gespeichert"),
    "consensus.levels_adopted": _l("Gerundete Mittelwerte als vereinbarte Stufen übernommen"),
    "certificate.issued": _l("Urkunde ausgestellt"),
    "certificate.revoked": _l("Urkunde widerrufen"),
    "certificate.imported": _l("Urkunde aus der Zeit vor dem Online-Verfahren übernommen"),
    "certificates.imported": _l("Urkunden aus CSV-Datei übernommen"),
    "document.timestamp_added": _l("Zeitstempel zu einem Dokument nachgetragen"),
    "feedback_letter.issued": _l("Rückmeldung ausgestellt und signiert"),
    "discussion.comment_added": _l("Beitrag zur Diskussion der Jury geschrieben"),
    "discussion.comment_edited": _l("Beitrag zur Diskussion der Jury geändert"),
    "discussion.comment_withdrawn": _l("Beitrag zur Diskussion der Jury zurückgezogen"),
    "decision.discarded": _l("Entwurf einer Entscheidung verworfen"),
    "decision.prepared": _l("Entscheidung vorbereitet"),
    "decision.released": _l("Entscheidung freigegeben"),
    "evidence.deleted": _l("Nachweis gelöscht"),
    "evidence.described": _l("Beschreibung eines Nachweises geändert"),
    "evidence.replaced": _l("Nachweis ersetzt"),
    "evidence.uploaded": _l("Nachweis hochgeladen"),
    "retention.access_request_deleted": _l("Abgelehnte Zugangsanfrage nach Fristablauf gelöscht"),
    "retention.audit_log_deleted": _l("Alte Einträge des Protokolls der Änderungen gelöscht"),
    "retention.drafts_deleted": _l("Abgelaufene aufbewahrte Formulareingaben gelöscht"),
    "retention.evidence_deleted": _l("Nachweise nach Ablauf der Aufbewahrungsfrist gelöscht"),
    "retention.outbox_deleted": _l("Alte E-Mails aus dem Postausgang gelöscht"),
    "retention.security_log_deleted": _l("Alte Einträge des Sicherheitsprotokolls gelöscht"),
    "review.reopened": _l("Gutachten wieder geöffnet"),
    "review.saved": _l("Entwurf eines Gutachtens gespeichert"),
    "review.submitted": _l("Gutachten abgegeben"),
    "catalogue.version_added": _l("Neue Fassung des Kriterienkatalogs hinzugefügt"),
    "round.created": _l("Vergaberunde angelegt"),
    "round.updated": _l("Vergaberunde geändert"),
    "round_conflict.declared": _l("Befangenheit für die Runde erklärt"),
    "round_conflict.changed": _l("Grund einer Befangenheit für die Runde geändert"),
    "round_conflict.withdrawn": _l("Befangenheit für die Runde zurückgenommen"),
    "school.created": _l("Schule angelegt"),
    "school.updated": _l("Schuldaten geändert"),
    "score.saved": _l("Bewertung eines Kriteriums gespeichert"),
    "schools.imported": _l("Schulen aus CSV-Datei eingelesen"),
    "user.created": _l("Benutzerkonto angelegt"),
    "user.password_link_issued": _l("Link zum Setzen des Passworts erstellt"),
    "user.password_set": _l("Passwort gesetzt"),
    "user.totp_enrolled": _l("Authenticator-App eingerichtet"),
    "user.totp_removed": _l("Authenticator-App entfernt"),
    "user.passkey_added": _l("Passkey eingerichtet"),
    "user.passkey_removed": _l("Passkey entfernt"),
    "user.second_factor_reset": _l("Zweiter Faktor zurückgesetzt"),
    "user.updated": _l("Benutzerkonto geändert"),
    "visit.cancelled": _l("Besuch vor Ort abgesagt"),
    "visit.changed": _l("Besuch vor Ort geändert"),
    "visit.planned": _l("Besuch vor Ort geplant"),
    "visit.photo_added": _l("Foto zum Besuch vor Ort hochgeladen"),
    "visit.photo_deleted": _l("Foto zum Besuch vor Ort gelöscht"),
    "visit.protocol_added": _l("Protokoll des Besuchs vor Ort ergänzt"),
    "visit.protocol_saved": _l("Protokoll des Besuchs vor Ort gespeichert"),
    "visit.recorded": _l("Besuch vor Ort nachträglich eingetragen"),
    "vote.document_uploaded": _l("Dokument zu einem Votum hochgeladen"),
    "vote.saved": _l("Votum gespeichert"),
}

DETAIL_LABELS = {
    "carried_over_confirmed": _l("Übernommene Angaben bestätigt"),
    "catalogue_version": _l("Version des Kriterienkatalogs"),
    "changes": _l("Änderungen"),
    "assessor": _l("Gutachter/in"),
    "created": _l("neu angelegt"),
    "count": _l("Anzahl"),
    "criteria": _l("Kriterien"),
    "criterion": _l("Kriterium"),
    "criterion_code": _l("Kriterium"),
    "deadline": _l("Abgabefrist"),
    "decided_on": _l("Datum"),
    "description": _l("Beschreibung"),
    "dropped_review": _l("Verworfenes Gutachten"),
    "dropped_scores": _l("Verworfene Bewertungen"),
    "due_date": _l("Frist"),
    "email": _l("E-Mail-Adresse"),
    "enabled": _l("Zugang aktiv"),
    "fields": _l("Geänderte Felder"),
    "file": _l("Datei"),
    "kind": _l("Art"),
    "new": _l("Neu"),
    "old": _l("Bisher"),
    "purpose": _l("Zweck"),
    "recommendation": _l("Empfehlung"),
    "reason": _l("Begründung"),
    "receipt_sha256": _l("Prüfsumme der Eingangsbestätigung (SHA-256)"),
    "role": _l("Rolle"),
    "school_number": _l("Schulnummer"),
    "sha256": _l("Prüfsumme (SHA-256)"),
    "size": _l("Größe"),
    "source": _l("Quelle"),
    "state": _l("Erklärung"),
    "status": _l("Status"),
    "updated": _l("geändert"),
    "year": _l("Jahr"),
    "basis": _l("Anlass"),
    "before": _l("Einträge vor dem"),
    "period_days": _l("Aufbewahrungsfrist (Tage)"),
    "period_months": _l("Aufbewahrungsfrist (Monate)"),
    "votes": _l("Voten"),
    "names_removed": _l("Einträge ohne Dateinamen"),
    "area": _l("Bereich"),
    "mean": _l("Mittelwert der Gutachten"),
    "note": _l("Hinweis oder Begründung"),
    "starts_at": _l("Termin"),
    "visitors": _l("Besuchende Gutachter/innen"),
    "outcome": _l("Entscheidung"),
    "number": _l("Nummer"),
    "valid_until": _l("Gültig bis"),
    "proposal": _l("Vorschlag nach der Vergaberegel"),
    "departs": _l("Weicht vom Vorschlag ab"),
    "length": _l("Länge (Zeichen)"),
    "old_length": _l("Bisherige Länge (Zeichen)"),
    "old_sha256": _l("Prüfsumme des bisherigen Texts (SHA-256)"),
    "divergent": _l("Gutachten weichen stark voneinander ab"),
    "shared_reasons": _l("Begründungen in der Rückmeldung"),
    "school": _l("Schule"),
    "assigned": _l("Schon zugewiesen"),
}

# Shown elsewhere in the row (school, object link) or meaningless to readers.
HIDDEN_DETAILS = frozenset(
    {
        "application_id",
        "school_id",
        "round_id",
        "request_id",
        "user_id",
        "file_id",
        "assessor_id",
    }
)

# Field names in ``changes``, by the labels of their forms.
FIELD_LABELS = {
    "school_number": _l("Schulnummer"),
    "name": _l("Name der Schule"),
    "school_type": _l("Schulart"),
    "street": _l("Straße und Hausnummer"),
    "postal_code": _l("Postleitzahl"),
    "town": _l("Ort"),
    "school_authority": _l("Schulträger"),
    "district": _l("Landkreis"),
    "email": _l("E-Mail-Adresse der Schule"),
    "phone": _l("Telefon"),
    "self_rating": _l("Selbsteinschätzung"),
    "measures": _l("Was tut Ihre Schule zu diesem Kriterium?"),
    "since": _l("Seit wann?"),
    "participants": _l("Wer ist beteiligt?"),
    "partners": _l("Partner außerhalb der Schule"),
    "due_on": _l("Frist"),
    "level": _l("Bewertung"),
    "comment": _l("Kommentar"),
    "starts_at": _l("Termin"),
    "note": _l("Hinweis für die Schule"),
    "visitors": _l("Besuchende Gutachter/innen"),
    "observed": _l("Was gesehen wurde"),
    "talked_to": _l("Gesprächspartner"),
    "findings": _l("Feststellungen"),
    "reason": _l("Grund"),
}

SOURCE_LABELS = {"csv_import": _l("CSV-Import"), "form": _l("Formular")}
PURPOSE_LABELS = {"invite": _l("Einladung"), "reset": _l("Neues Passwort")}
RETENTION_BASIS_LABELS = {
    "seal_ended": _l("Gültigkeit des Siegels beendet"),
    "not_awarded": _l("Siegel nicht verliehen"),
}
DROPPED_REVIEW_LABELS = {"draft": _l("Entwurf"), "submitted": _l("abgegeben")}


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def action_choices() -> list[tuple[str, str]]:
    """(action, label) pairs sorted by label, for the filter."""
    return sorted(((key, str(label)) for key, label in ACTION_LABELS.items()), key=lambda p: p[1])


def describe(details: dict[str, Any]) -> list[tuple[str, str]]:
    """The details of an entry as (German name, German value) pairs; each changed field of
    ``changes`` is a pair of its own: (field label, „old“ → „new“)."""
    pairs: list[tuple[str, str]] = []
    for key, value in details.items():
        if key in HIDDEN_DETAILS:
            continue
        if key == "changes" and isinstance(value, dict):
            pairs.extend(
                (_field_label(name), _change(name, change)) for name, change in value.items()
            )
        else:
            pairs.append((_detail_label(key), _detail_value(key, value)))
    return pairs


def _detail_label(key: str) -> str:
    label = DETAIL_LABELS.get(key)
    return str(label) if label is not None else key


def _detail_value(key: str, value: Any) -> str:
    if key == "fields" and isinstance(value, list):
        return ", ".join(_field_label(name) for name in value)
    formatter = _VALUE_FORMATTERS.get(key)
    if formatter is not None:
        try:
            return formatter(value)
        except (KeyError, TypeError, ValueError):
            pass
    return _plain_value(value)


def _change(field: str, change: Any) -> str:
    """„alt“ → „neu“ for a change stored as {"old": …, "new": …}."""
    if isinstance(change, dict) and {"old", "new"} <= change.keys():
        old, new = _field_value(field, change["old"]), _field_value(field, change["new"])
        return _("%(old)s → %(new)s", old=old, new=new)
    return _plain_value(change)


def _field_label(name: str) -> str:
    label = FIELD_LABELS.get(name)
    return str(label) if label is not None else name


def _field_value(field: str, value: Any) -> str:
    if value is None or value == "":
        return _("(leer)")
    if field == "school_type":
        return _enum_label("school_type", value)
    if field == "due_on" and isinstance(value, str):
        return _iso_date(value)
    if field in ("self_rating", "level") and isinstance(value, int):
        return _("Stufe %(level)d", level=value)
    return f"„{value}“"


def _file_or_text(value: Any) -> str:
    """A file as „name“ (size), or a plain text such as a description."""
    if isinstance(value, dict) and "name" in value:
        size = value.get("size")
        sized = f" ({file_size(size)})" if isinstance(size, int) else ""
        return f"„{value['name']}“{sized}"
    return _field_value("", value)


def _plain_value(value: Any) -> str:
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if value is None or value == "":
        return _("(leer)")
    if isinstance(value, list | tuple):
        return ", ".join(_plain_value(item) for item in value)
    if isinstance(value, float):
        return format_decimal(value)  # „2,5“, not „2.5“; integers (years, numbers) stay as they are
    return str(value)


def _iso_date(value: str) -> str:
    return format_date(date.fromisoformat(value), "medium")


def _enum_label(kind: str, value: str) -> str:
    """The label of a stored enum value; imported late, the models import this package."""
    from seal_app.accounts.forms import ROLE_LABELS
    from seal_app.applications.models import ApplicationKind, ApplicationStatus, VoteKind
    from seal_app.auth.models import Role
    from seal_app.rounds.forms import STATUS_LABELS as ROUND_STATUS_LABELS
    from seal_app.rounds.models import RoundStatus
    from seal_app.schools.models import SchoolType

    if kind == "kind":
        enum_type = VoteKind if value in VoteKind._value2member_map_ else ApplicationKind
        return enum_type(value).label
    if kind == "status":
        if value in RoundStatus._value2member_map_:
            return str(ROUND_STATUS_LABELS[RoundStatus(value)])
        return ApplicationStatus(value).label
    if kind == "role":
        return str(ROLE_LABELS[Role(value)])
    if kind == "state":
        from seal_app.reviews.models import ConflictState

        return ConflictState(value).label
    return SchoolType(value).label


def _recommendation_label(value: str) -> str:
    from seal_app.reviews.models import Recommendation

    return Recommendation(value).label


_VALUE_FORMATTERS: dict[str, Callable[[Any], str]] = {
    "deadline": _iso_date,
    "decided_on": _iso_date,
    "due_date": _iso_date,
    "kind": lambda value: _enum_label("kind", value),
    "status": lambda value: _enum_label("status", value),
    "role": lambda value: _enum_label("role", value),
    "size": file_size,
    "mean": two_decimals,
    "old": _file_or_text,
    "new": _file_or_text,
    "sha256": lambda value: f"{value[:12]}…",
    "old_sha256": lambda value: f"{value[:12]}…",
    "before": _iso_date,
    "basis": lambda value: str(RETENTION_BASIS_LABELS[value]),
    "source": lambda value: str(SOURCE_LABELS[value]),
    "recommendation": lambda value: _recommendation_label(value),
    "state": lambda value: _enum_label("state", value),
    "purpose": lambda value: str(PURPOSE_LABELS[value]),
    "dropped_review": lambda value: str(DROPPED_REVIEW_LABELS[value]),
}
