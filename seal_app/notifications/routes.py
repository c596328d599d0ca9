"""The office reads the outbox: every message, whether it was sent, and why not."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from seal_app.auth.decorators import roles_required
from seal_app.auth.models import Role
from seal_app.extensions import db
from seal_app.notifications import reminders  # noqa: F401  (registers the daily task)
from seal_app.notifications.models import MessageState, OutboxMessage
from seal_app.notifications.outbox import hide_secrets
from seal_app.views import page_number

bp = Blueprint("notifications", __name__)
PER_PAGE = 50

EVENT_LABELS = {
    "access_request.received": _l("Zugangsanfrage eingegangen"),
    "access_request.approved": _l("Zugang gewährt"),
    "access_request.declined": _l("Zugangsanfrage abgelehnt"),
    "password.reset": _l("Neues Passwort angefordert"),
    "second_factor.reset": _l("Zweiter Faktor zurückgesetzt"),
    "round.opened": _l("Runde eröffnet"),
    "deadline.reminder": _l("Erinnerung an die Abgabefrist"),
    "evidence.requested": _l("Nachforderung"),
    "evidence.answered": _l("Antwort der Schule"),
    "assignment.created": _l("Begutachtung zugewiesen"),
    "review.due": _l("Erinnerung an das Gutachten"),
    "decision.released": _l("Entscheidung freigegeben"),
    "application.submitted": _l("Antrag eingegangen"),
    "visit.planned": _l("Besuch geplant"),
    "visit.changed": _l("Besuch geändert"),
    "visit.cancelled": _l("Besuch abgesagt"),
    "visit.withdrawn": _l("Nicht mehr beim Besuch"),
    "review.reopened": _l("Gutachten wieder geöffnet"),
    "discussion.comments": _l("Neue Beiträge in der Diskussion der Jury"),
    "seal.expiring": _l("Siegel läuft ab"),
    "certificate.revoked": _l("Urkunde widerrufen"),
}


@bp.get("/office/outbox")
@roles_required(Role.OFFICE)
def outbox():
    chosen = request.args.get("status", "")
    state = MessageState(chosen) if chosen in MessageState._value2member_map_ else None
    query = (
        sa.select(OutboxMessage)
        .options(selectinload(OutboxMessage.attachments))
        .order_by(OutboxMessage.id.desc())
    )
    if state is not None:
        query = query.where(OutboxMessage.state == state)
    page = request.args.get("page", 1, type=page_number)
    pagination = db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)
    if page > max(pagination.pages, 1):  # past the end: the last page
        pagination = db.paginate(query, page=pagination.pages, per_page=PER_PAGE)
    counts = dict(
        db.session.execute(
            sa.select(OutboxMessage.state, sa.func.count()).group_by(OutboxMessage.state)
        ).all()
    )
    return render_template(
        "notifications/outbox.html",
        pagination=pagination,
        messages=list(pagination.items),
        state=state,
        states=list(MessageState),
        counts=counts,
        event_labels=EVENT_LABELS,
        arguments={"status": state.value} if state else {},
        hide_secrets=hide_secrets,
    )
