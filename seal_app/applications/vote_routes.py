"""The votes of the school conference, the school authority and the prevention council."""

from __future__ import annotations

from flask import (
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from seal_app.applications import access, evidence, services
from seal_app.applications.blueprint import bp, max_file_bytes, school_only
from seal_app.applications.forms import (
    VotesForm,
)
from seal_app.applications.models import Application, VoteKind
from seal_app.auth.decorators import login_required
from seal_app.database import transaction
from seal_app.local_time import local_today
from seal_app.security import accepts_uploads
from seal_app.uploads.checks import UploadRejectedError
from seal_app.uploads.store import UploadBatch


@bp.get("/<int:application_id>/votes")
@login_required
def votes(application_id: int):
    application = access.viewable_application(application_id)
    return _render_votes(application, _votes_form(application), {})


def _votes_form(application: Application) -> VotesForm:
    """The votes form showing the saved dates; what a POST sends takes their place."""
    saved = {
        kind.value: {"decided_on": vote.decided_on}
        for kind in VoteKind
        if (vote := application.vote(kind)) is not None
    }
    return VotesForm(data=saved)


def _render_votes(application: Application, form: VotesForm, kept: dict):
    for kind, entry in form.entries():
        if application.vote(kind) is not None or kind in kept:
            entry.document.description = _("Nur wählen, wenn Sie das Dokument ersetzen möchten.")
    return render_template("applications/votes.html", application=application, form=form, kept=kept)


@bp.post("/<int:application_id>/votes")
@accepts_uploads
@school_only
def save_votes(application_id: int):
    """Save every vote filled in, or none of them: when one is refused, every typed date and
    every accepted document stays in the form, and the refused part is named at its field."""
    application = access.editable_application(application_id)
    try:
        services.require_editable(application)
    except services.ApplicationError as error:
        flash(str(error), "danger")
        return redirect(url_for("applications.votes", application_id=application.id))
    form = _votes_form(application)
    valid = form.validate_on_submit()
    kept = _keep_vote_documents(application, form)
    changes = _vote_changes(application, form, kept, local_today())
    if not valid or form.errors:
        return _render_votes(application, form, kept)
    if not changes:
        flash(_("Es gab nichts Neues zu speichern."), "info")
        return redirect(url_for("applications.votes", application_id=application.id))
    try:
        with UploadBatch() as batch, transaction():
            for kind, decided_on, document in changes:
                evidence.save_vote(application, kind, decided_on, document, current_user, batch)
    except (services.ApplicationError, UploadRejectedError) as error:
        flash(str(error), "danger")
        return _render_votes(application, form, kept)
    for kind, _decided_on, _document in changes:
        flash(_("%(vote)s ist gespeichert.", vote=kind.label), "success")
    next_steps = render_template("applications/_votes_saved.html", application=application)
    flash(Markup(next_steps.strip()), "info")
    return redirect(url_for("applications.votes", application_id=application.id))


def _keep_vote_documents(application: Application, form: VotesForm) -> dict:
    """Store each chosen document at once, kept apart until the votes are saved, so that a
    failed save never asks for it again; a refused file is named at its field."""
    kept = {}
    for kind, entry in form.entries():
        document = _kept_document(application, entry.kept_id())
        upload = entry.chosen_document()
        if upload is not None:
            try:
                with UploadBatch() as batch, transaction():
                    stored = batch.save(upload, max_file_bytes())
                    if document is not None:  # another file chosen instead of the kept one
                        evidence.discard_staged(application, [document], batch)
                    document = evidence.attach_file(
                        application, stored, kind.label, current_user, None, staged=True
                    )
            except UploadRejectedError as error:
                _add_error(entry.document, str(error))
        if document is not None:
            kept[kind] = document
            entry.kept.data = str(document.id)
    return kept


def _kept_document(application: Application, file_id: int | None):
    return next(
        (
            file
            for file in application.files
            if file.id == file_id and file.staged and file.criterion_code is None
        ),
        None,
    )


def _vote_changes(application: Application, form: VotesForm, kept: dict, today) -> list:
    changes = []
    for kind, entry in form.entries():
        change = _vote_change(application.vote(kind), entry, kept.get(kind), today)
        if change is not None:
            changes.append((kind, *change))
    return changes


def _vote_change(vote, entry, document, today):
    """(date, new document or None) to save for one vote, or None: unchanged, left empty, or
    refused (then the reason is added to its field)."""
    decided_on = entry.decided_on.data
    if entry.decided_on.errors:
        return None
    if decided_on is None:
        if document is not None or vote is not None or entry.chosen_document() is not None:
            _add_error(entry.decided_on, _("Bitte geben Sie das Datum an."))
        return None
    if decided_on > today:
        _add_error(entry.decided_on, _("Das Datum darf nicht in der Zukunft liegen."))
        return None
    if document is None and vote is None:
        if not entry.document.errors:
            _add_error(entry.document, _("Bitte laden Sie das Dokument dazu hoch."))
        return None
    if document is None and vote.decided_on == decided_on:
        return None
    return decided_on, document


def _add_error(field, message: str) -> None:
    field.errors = [*field.errors, message]
