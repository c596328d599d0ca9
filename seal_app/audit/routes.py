"""The office's view of the audit log."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from seal_app.audit import labels, log
from seal_app.audit.forms import AuditFilterForm
from seal_app.auth.decorators import roles_required
from seal_app.auth.models import Role

bp = Blueprint("audit", __name__, url_prefix="/office/audit")

MAX_PAGE = 100_000
FILTER_NAMES = ("school", "action", "date_from", "date_to")


@bp.get("/")
@roles_required(Role.OFFICE)
def index():
    form = AuditFilterForm(formdata=request.args)
    form.fill_choices(log.schools_for_filter(), labels.action_choices())
    filters = log.Filters()
    if form.validate():
        filters = log.Filters(
            school_id=form.chosen_school_id(),
            action=form.chosen_action(),
            date_from=form.date_from.data,
            date_to=form.date_to.data,
        )
    page = min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)
    pagination = log.search(filters, page, current_app.config["AUDIT_ENTRIES_PER_PAGE"])
    arguments = {name: request.args[name] for name in FILTER_NAMES if request.args.get(name)}
    return render_template(
        "audit/index.html",
        form=form,
        pagination=pagination,
        rows=log.rows(list(pagination.items)),
        arguments=arguments,
        filtered=filters != log.Filters(),
    )
