"""``flask seal retention [--dry-run]``: list or delete what the retention periods make due."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from seal_app.database import ConflictError
from seal_app.formatting import file_size
from seal_app.local_time import local_zone
from seal_app.retention import apply, policy


@click.command("retention")
@with_appcontext
@click.option("--dry-run", is_flag=True, help="Nur auflisten, was fällig ist; nichts löschen.")
def retention_command(dry_run: bool) -> None:
    """Löschen, was nach den Aufbewahrungsfristen fällig ist (DSGVO)."""
    try:
        if dry_run:
            _list(apply.due_today())
            return
        deleted = apply.delete_due()
    except policy.RetentionSettingError as error:
        raise click.ClickException(str(error)) from error
    except ConflictError as error:
        raise click.ClickException(
            _(
                "Gerade ändert ein anderer Vorgang dieselben Daten; nichts wurde gelöscht. "
                "Bitte versuchen Sie es gleich noch einmal."
            )
        ) from error
    click.echo(_summary(deleted))


def _list(due: policy.Due) -> None:
    click.echo(_("Probelauf für den %(day)s: Es wird nichts gelöscht.", day=format_date(due.today)))
    if due.is_empty:
        click.echo(_("Nichts ist fällig."))
        return
    if due.evidence:
        click.echo(_("Nachweise:"))
    for item in due.evidence:
        if item.awarded:
            reason = _("Siegel gültig bis %(day)s", day=format_date(item.since))
        else:
            reason = _("nicht verliehen am %(day)s", day=format_date(item.since))
        click.echo(
            "  "
            + _(
                "Antrag %(id)s (%(school)s, Runde %(year)s, %(reason)s): %(files)s, %(size)s",
                id=item.application_id,
                school=item.school_name,
                year=item.round_year,
                reason=reason,
                files=ngettext("%(num)s Datei", "%(num)s Dateien", item.files),
                size=file_size(item.size),
            )
        )
    if due.requests:
        click.echo(_("Abgelehnte Zugangsanfragen:"))
    for request in due.requests:
        click.echo(
            "  "
            + _(
                "Zugangsanfrage %(id)s (Schulnummer %(number)s), abgelehnt am %(day)s",
                id=request.request_id,
                number=request.school_number,
                day=format_date(request.declined_on),
            )
        )
    if due.security_events:
        click.echo(
            _(
                "Sicherheitsprotokoll: %(entries)s vor dem %(day)s",
                entries=ngettext("%(num)s Eintrag", "%(num)s Einträge", due.security_events),
                day=format_date(due.security_before.astimezone(local_zone()).date()),
            )
        )
    if due.outbox_messages:
        click.echo(
            _(
                "Postausgang: %(messages)s (gesendet oder fehlgeschlagen) vor dem %(day)s",
                messages=ngettext("%(num)s E-Mail", "%(num)s E-Mails", due.outbox_messages),
                day=format_date(due.outbox_before.astimezone(local_zone()).date()),
            )
        )
    if due.kept_drafts:
        click.echo(_("Aufbewahrte Formulareingaben: %(count)s abgelaufen", count=due.kept_drafts))
    if due.audit_entries:
        click.echo(
            _(
                "Protokoll der Änderungen: %(entries)s vor dem %(day)s",
                entries=ngettext("%(num)s Eintrag", "%(num)s Einträge", due.audit_entries),
                day=format_date(due.audit_before.astimezone(local_zone()).date()),
            )
        )
    if due.evidence_archives:
        click.echo(
            ngettext(
                "%(num)s ZIP-Archiv mit Nachweisen zum Herunterladen, älter als einen Tag",
                "%(num)s ZIP-Archive mit Nachweisen zum Herunterladen, älter als einen Tag",
                due.evidence_archives,
            )
        )


def _summary(deleted: apply.Deleted) -> str:
    if deleted.is_empty:
        return _("Nichts ist fällig; nichts wurde gelöscht.")
    parts = []
    if deleted.files or deleted.votes:
        parts.append(
            _(
                "%(files)s (%(size)s) und %(votes)s aus %(applications)s",
                files=ngettext("%(num)s Nachweis", "%(num)s Nachweise", deleted.files),
                size=file_size(deleted.size),
                votes=ngettext("%(num)s Votum", "%(num)s Voten", deleted.votes),
                applications=ngettext("%(num)s Antrag", "%(num)s Anträgen", deleted.applications),
            )
        )
    if deleted.requests:
        parts.append(
            ngettext(
                "%(num)s abgelehnte Zugangsanfrage",
                "%(num)s abgelehnte Zugangsanfragen",
                deleted.requests,
            )
        )
    if deleted.security_events:
        parts.append(
            ngettext(
                "%(num)s Eintrag des Sicherheitsprotokolls",
                "%(num)s Einträge des Sicherheitsprotokolls",
                deleted.security_events,
            )
        )
    if deleted.outbox_messages:
        parts.append(
            ngettext(
                "%(num)s E-Mail aus dem Postausgang",
                "%(num)s E-Mails aus dem Postausgang",
                deleted.outbox_messages,
            )
        )
    if deleted.drafts:
        parts.append(
            ngettext(
                "%(num)s abgelaufene aufbewahrte Formulareingabe",
                "%(num)s abgelaufene aufbewahrte Formulareingaben",
                deleted.drafts,
            )
        )
    if deleted.audit_entries:
        parts.append(
            ngettext(
                "%(num)s Eintrag des Protokolls der Änderungen",
                "%(num)s Einträge des Protokolls der Änderungen",
                deleted.audit_entries,
            )
        )
    if deleted.evidence_archives:
        parts.append(
            ngettext(
                "%(num)s ZIP-Archiv mit Nachweisen",
                "%(num)s ZIP-Archive mit Nachweisen",
                deleted.evidence_archives,
            )
        )
    return _("Gelöscht: %(parts)s.", parts="; ".join(parts))


COMMANDS = (retention_command,)
