"""The office's pages for rounds."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from seal_app.auth.decorators import roles_required
from seal_app.auth.models import Role
from seal_app.catalogue import services as catalogue_services
from seal_app.database import transaction
from seal_app.db_types import utcnow
from seal_app.forms import choices
from seal_app.rounds import services
from seal_app.rounds.forms import STATUS_LABELS, EditRoundForm, NewRoundForm
from seal_app.rounds.models import Round, RoundStatus
from seal_app.views import get_or_404, save_versioned

bp = Blueprint("rounds", __name__, url_prefix="/office/rounds")
office_only = roles_required(Role.OFFICE)


@bp.get("/")
@office_only
def index():
    return render_template(
        "rounds/index.html", rounds=services.all_rounds(), status_labels=STATUS_LABELS
    )


@bp.route("/new", methods=["GET", "POST"])
@office_only
def new():
    form = NewRoundForm()
    versions = sorted(
        catalogue_services.available(), key=catalogue_services.version_key, reverse=True
    )
    form.catalogue_version.choices = choices((version, version) for version in versions)
    if not form.is_submitted():
        form.year.data = utcnow().year + (1 if utcnow().month > 6 else 0)
    if form.validate_on_submit():
        deadline = form.deadline() or services.default_deadline(form.year.data)
        try:
            with transaction():
                round_ = services.create_round(
                    form.year.data,
                    deadline,
                    form.catalogue_version.data,
                    current_user,
                    title=form.title.data or "",
                )
        except services.RoundError as error:
            form.year.errors.append(str(error))
        else:
            flash(_("„%(title)s“ ist eröffnet.", title=round_.title), "success")
            return redirect(url_for("rounds.index"))
    return render_template("rounds/new.html", form=form)


@bp.route("/<int:round_id>/edit", methods=["GET", "POST"])
@office_only
def edit(round_id: int):
    round_ = get_or_404(Round, round_id)
    form = EditRoundForm(obj=round_)
    if not form.is_submitted():
        form.status.data = round_.status.value
    stale = None

    def save() -> None:
        services.update_round(
            round_,
            form.submission_deadline.data,
            RoundStatus(form.status.data),
            form.version.data,
            current_user,
            review_until=form.review_until.data,
            decision_expected_on=form.decision_expected_on.data,
        )

    if form.validate_on_submit():
        try:
            saved, stale = save_versioned(form, save, lambda: round_)
        except services.RoundError as error:
            form.status.errors.append(str(error))
        else:
            if saved:
                flash(_("Die Vergaberunde ist gespeichert."), "success")
                return redirect(url_for("rounds.index"))
    return render_template(
        "rounds/edit.html", form=form, round=round_, stale=stale, status_labels=STATUS_LABELS
    )
