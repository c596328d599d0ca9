"""The assessor's pages: the declaration, the scoring overview and one page per criterion.

Every page looks the assignment up among the current assessor's own: anyone else's is 404.
Before the declaration only the declaration page opens; after a conflict nothing does.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.routing import BuildError

from seal_app.applications.models import Application
from seal_app.auth.decorators import roles_required
from seal_app.auth.models import Role
from seal_app.catalogue.model import Catalogue, Criterion
from seal_app.database import ConflictError, transaction
from seal_app.reviews import conflicts, requests, scoring, submission, visits
from seal_app.reviews.forms import DeclarationForm, ScoreForm
from seal_app.reviews.models import Assignment, ConflictState, Score
from seal_app.views import save_versioned

bp = Blueprint("reviews", __name__, url_prefix="/review")
assessor_only = roles_required(Role.ASSESSOR)


def _own(assignment_id: int) -> Assignment:
    return scoring.own_assignment(assignment_id, current_user) or abort(404)


def _cleared(assignment_id: int) -> Assignment:
    """The assessor's assignment once they declared no conflict; before the declaration the
    way leads to it, after a conflict there is nothing (404)."""
    assignment = _own(assignment_id)
    if assignment.conflict_state is ConflictState.PENDING:
        abort(redirect(url_for("reviews.declaration", assignment_id=assignment.id)))
    if not assignment.has_access:
        abort(404)
    return assignment


@bp.route("/<int:assignment_id>/declaration", methods=["GET", "POST"])
@assessor_only
def declaration(assignment_id: int):
    assignment = _own(assignment_id)
    form = DeclarationForm()
    if request.method == "POST":
        if assignment.conflict_state is not ConflictState.PENDING:
            flash(_("Ihre Erklärung ist schon abgegeben. Ändern kann sie nur die Geschäftsstelle."))
            return redirect(url_for("reviews.declaration", assignment_id=assignment.id))
        if form.validate_on_submit():
            return _declare(assignment, form)
    return render_template("reviews/declaration.html", assignment=assignment, form=form)


def _declare(assignment: Assignment, form: DeclarationForm):
    try:
        with transaction():
            conflicts.declare(assignment, form.conflict, form.reason.data or "", current_user)
    except (scoring.ScoringError, ConflictError) as error:
        message = str(error) if isinstance(error, scoring.ScoringError) else ""
        flash(
            message
            or _("Ihre Erklärung wurde nicht gespeichert. Bitte versuchen Sie es noch einmal."),
            "danger",
        )
        return redirect(url_for("reviews.declaration", assignment_id=assignment.id))
    if form.conflict:
        flash(
            _(
                "Ihre Befangenheit ist der Geschäftsstelle gemeldet. Sie weist den Antrag neu zu; "
                "Sie sehen ihn nicht mehr. Vielen Dank für Ihre Offenheit."
            ),
            "success",
        )
        return redirect(url_for("main.home"))
    flash(_("Vielen Dank. Sie können den Antrag jetzt begutachten."), "success")
    return redirect(url_for("reviews.overview", assignment_id=assignment.id))


@bp.get("/<int:assignment_id>")
@assessor_only
def overview(assignment_id: int):
    assignment = _cleared(assignment_id)
    application = assignment.application
    catalogue = scoring.catalogue_of(assignment)
    return render_template(
        "reviews/overview.html",
        assignment=assignment,
        application=application,
        catalogue=catalogue,
        progress=scoring.progress_of_assignment(assignment),
        changed=scoring.changed_criteria(assignment),
        read_only=scoring.is_submitted(assignment),
        meeting_open=scoring.is_submitted(assignment) and submission.all_reviews_in(application),
        submit_url=_submit_url(assignment),
        visit=visits.visit_for_assessor(assignment),
        first_open=_first_open(assignment, catalogue),
    )


def _first_open(assignment: Assignment, catalogue: Catalogue) -> str | None:
    """The first criterion in catalogue order without a level from this assessor."""
    return next((item.code for item in submission.unscored(assignment, catalogue)), None)


def _submit_url(assignment: Assignment) -> str | None:
    """Where the assessor completes their review, if that page exists."""
    try:
        return url_for("review_submission.submit", assignment_id=assignment.id)
    except BuildError:
        return None


@bp.route("/<int:assignment_id>/criteria/<code>", methods=["GET", "POST"])
@assessor_only
def criterion(assignment_id: int, code: str):
    assignment = _cleared(assignment_id)
    catalogue = scoring.catalogue_of(assignment)
    item = catalogue.criterion(code) or abort(404)
    form = _score_form(assignment.score_for(code), catalogue)
    stale = None
    if request.method == "POST":
        if scoring.is_submitted(assignment):
            flash(
                _("Ihr Gutachten ist eingereicht; die Bewertungen sind nicht mehr änderbar."),
                "warning",
            )
            return redirect(url_for("reviews.criterion", assignment_id=assignment.id, code=code))
        saved, stale = _save(assignment, catalogue, item, form)
        if saved:
            return redirect(_after_save(assignment, catalogue, code))
    return _render_criterion(assignment, catalogue, item, form, stale)


def _score_form(score: Score | None, catalogue: Catalogue) -> ScoreForm:
    """The form showing the stored score; what a POST sends takes its place."""
    data = (
        {"level": str(score.level) if score.level is not None else None, "comment": score.comment}
        if score is not None
        else {}
    )
    form = ScoreForm(data={**data, "version": score.version if score else None})
    form.use_scale(catalogue)
    return form


def _save(assignment: Assignment, catalogue: Catalogue, item: Criterion, form: ScoreForm):
    """Validate (the comment rule too) and save; returns (saved, the newer score or None)."""
    valid = form.validate_on_submit()
    level = form.level_value
    if level is not None:
        answer = assignment.application.answer_for(item.code)
        self_rating = answer.self_rating if answer is not None else None
        reasons = scoring.comment_reasons_for(item, catalogue.award_rule, level, self_rating)
        if reasons and not (form.comment.data or "").strip() and not form.comment.errors:
            minimum = catalogue.award_rule.mandatory_min_level
            message = scoring.comment_required_message(reasons, level, self_rating, minimum)
            form.comment.errors = [*form.comment.errors, message]
            valid = False
    if not valid or level is None:
        return False, None
    values = scoring.ScoreInput(level=level, comment=form.comment.data or "")

    def save() -> None:
        scoring.save_score(assignment, item.code, values, form.version.data, current_user)

    try:
        return save_versioned(form, save, lambda: assignment.score_for(item.code))
    except scoring.ScoringError as error:
        flash(str(error), "danger")
        return False, None


def _after_save(assignment: Assignment, catalogue: Catalogue, code: str) -> str:
    """Where a saved score leads. "Speichern und weiter" opens the next criterion at the
    assessor's side (its heading takes the focus: the next Tab reaches the levels), where a
    line says what was saved, so that it is seen also on a phone; otherwise a message above."""
    following = scoring.next_code(catalogue, code)
    action = request.form.get("action")
    if action == "next" and following:
        return url_for(
            "reviews.criterion",
            assignment_id=assignment.id,
            code=following,
            saved=code,
            _anchor="score-title",
        )
    flash(_("Ihre Bewertung zu %(code)s ist gespeichert.", code=code), "success")
    if action in ("overview", "next"):
        return url_for("reviews.overview", assignment_id=assignment.id)
    return url_for("reviews.criterion", assignment_id=assignment.id, code=code)


def _render_criterion(
    assignment: Assignment,
    catalogue: Catalogue,
    item: Criterion,
    form: ScoreForm,
    stale: Score | None,
):
    application: Application = assignment.application
    answer = application.answer_for(item.code)
    self_rating = answer.self_rating if answer is not None else None
    codes = [criterion.code for criterion in catalogue.criteria]
    index = codes.index(item.code)
    form.comment.description = _comment_hint(catalogue, item, self_rating)
    return render_template(
        "reviews/criterion.html",
        assignment=assignment,
        application=application,
        catalogue=catalogue,
        criterion=item,
        answer=answer,
        files=scoring.criterion_files(application.id, item.code),
        requests=[r for r in application.evidence_requests if item.code in r.criteria_codes],
        form=form,
        stale=stale,
        read_only=scoring.is_submitted(assignment),
        progress=scoring.progress_of_assignment(assignment),
        position=index + 1,
        previous_code=codes[index - 1] if index > 0 else None,
        next_code=codes[index + 1] if index + 1 < len(codes) else None,
        just_saved=request.args.get("saved") if request.args.get("saved") in codes else None,
        self_rating=self_rating,
        self_level=next((lv for lv in catalogue.scale if lv.value == self_rating), None),
        minimum=catalogue.award_rule.mandatory_min_level,
        may_request=requests.may_request(application) and not scoring.is_submitted(assignment),
    )


def _comment_hint(catalogue: Catalogue, item: Criterion, self_rating: int | None) -> str:
    """Which levels need a comment here, and why, so that nobody learns it from an error."""
    rule = catalogue.award_rule
    needing = [
        level
        for level in catalogue.scale
        if scoring.comment_reasons_for(item, rule, level.value, self_rating)
    ]
    if not needing:
        return _("Freiwillig: erläutern Sie Ihre Bewertung, wenn es hilft.")
    why = []
    if self_rating is not None:
        why.append(_("zwei oder mehr Stufen von der Selbsteinschätzung der Schule entfernt"))
    if item.mandatory:
        why.append(
            _(
                "bei diesem Pflichtkriterium unter der Mindeststufe %(minimum)d",
                minimum=rule.mandatory_min_level,
            )
        )
    return _(
        "Nötig bei Stufe %(levels)s (%(why)s).",
        levels=_either([str(level.value) for level in needing]),
        why=_either(why),
    )


def _either(parts: list[str]) -> str:
    """„0, 1 oder 3“."""
    if len(parts) == 1:
        return parts[0]
    return _("%(first)s oder %(last)s", first=", ".join(parts[:-1]), last=parts[-1])
