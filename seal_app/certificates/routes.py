"""The office's decisions: one page per application, one page per round to release them."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from seal_app import charts
from seal_app.applications import access
from seal_app.applications.models import Application
from seal_app.applications.services import catalogue_of
from seal_app.auth.decorators import login_required, roles_required
from seal_app.auth.models import Role
from seal_app.certificates import decisions, feedback, issuing, letters, printing
from seal_app.certificates.forms import (
    DecisionForm,
    DiscardForm,
    PrintForm,
    ReleaseForm,
)
from seal_app.certificates.models import Certificate, Decision, PrintKind, decision_taken
from seal_app.certificates.revoked_copy import revoked_download
from seal_app.database import ConflictError, transaction
from seal_app.db_types import utcnow
from seal_app.local_time import local_today
from seal_app.reviews.consensus import Consensus
from seal_app.reviews.jury_blueprint import level_mean
from seal_app.rounds.models import Round
from seal_app.twofactor.reauth import recent_authentication_required
from seal_app.uploads import store
from seal_app.uploads.store import UploadBatch
from seal_app.views import get_or_404, optional_id, save_versioned

bp = Blueprint("decisions", __name__)
office_only = roles_required(Role.OFFICE)


bp.add_app_template_global(decision_taken, "decision_taken")


@bp.app_template_global()
def released_decision(application: Application) -> Decision | None:
    """The decision on the application once it is released (before that: None for everyone,
    so that no page can show a result early)."""
    decision = decisions.decision_of(application.id)
    return decision if decision is not None and decision.is_released else None


# --- one application ---------------------------------------------------------------------------


@bp.route("/office/applications/<int:application_id>/decision", methods=["GET", "POST"])
@office_only
def decide(application_id: int):
    application = get_or_404(Application, application_id)
    catalogue = catalogue_of(application)
    decision = decisions.decision_of(application.id)
    try:
        meeting = decisions.meeting_ready(application, catalogue)
    except decisions.DecisionError as error:
        # a released decision stays readable, even where the meeting's records are incomplete
        # (a round taken over from before the app)
        return render_template(
            "certificates/decision_waiting.html",
            application=application,
            reason=str(error),
            decision=decision if decision and decision.is_released else None,
        )
    form = DecisionForm.for_catalogue(catalogue, obj=decision)
    if request.method == "GET" and decision is None:
        form.fill_advice(decisions.advice_from_reviews(meeting.reviews, form.area_codes))
        form.strengths.data = decisions.strengths_from_reviews(meeting.reviews)
    elif request.method == "GET":
        form.fill_advice(decision.advice)
    if request.method == "GET":
        form.fill_shared_texts(meeting.settled, decision.shared_texts if decision else None)
    stale = None
    if request.method == "POST" and not (decision and decision.is_released):
        saved, stale = _prepare(application, catalogue, meeting, form)
        if saved:
            flash(
                _(
                    "Die Entscheidung ist vorbereitet. Die Schule erfährt sie, wenn die "
                    "Entscheidungen der Runde freigegeben sind."
                ),
                "success",
            )
            return redirect(url_for("decisions.decide", application_id=application.id))
    return render_template(
        "certificates/decision.html",
        application=application,
        meeting=meeting,
        decision=decisions.decision_of(application.id),
        form=form,
        discard_form=DiscardForm(data={"version": decision.version if decision else None}),
        stale=stale,
        proposed=decisions.proposed_outcome(meeting.proposal.met),
    )


def _prepare(application: Application, catalogue, meeting: Consensus, form: DecisionForm):
    """Validate (every rule at once) and store; (saved, what is stored now if it changed)."""
    valid = form.validate_on_submit()
    for problem in decisions.check(form.values(), meeting.proposal.met):
        form[problem.field].errors = [*form[problem.field].errors, str(problem)]
        valid = False
    if not valid:
        return False, None

    def save() -> None:
        decisions.prepare(application, catalogue, form.values(), form.version.data, current_user)

    try:
        return save_versioned(form, save, lambda: decisions.decision_of(application.id))
    except decisions.DecisionError as error:
        flash(str(error), "danger")
        return False, None


@bp.post("/office/applications/<int:application_id>/decision/discard")
@office_only
def discard(application_id: int):
    application = get_or_404(Application, application_id)
    form = DiscardForm()
    if form.validate_on_submit():
        try:
            with transaction():
                decisions.discard(application, form.version.data, current_user)
        except ConflictError:
            flash(
                _("Die Entscheidung wurde inzwischen geändert. Bitte prüfen Sie sie noch einmal."),
                "warning",
            )
        else:
            flash(_("Der Entwurf der Entscheidung ist verworfen."), "success")
    return redirect(url_for("decisions.decide", application_id=application.id))


# --- a whole round ----------------------------------------------------------------------------


@bp.route("/office/rounds/<int:round_id>/decisions", methods=["GET", "POST"])
@office_only
@recent_authentication_required
def round_decisions(round_id: int):
    round_ = get_or_404(Round, round_id)
    form = ReleaseForm()
    if request.method == "POST" and form.validate_on_submit():
        if not form.confirmed.data:
            form.confirmed.errors = [_("Bitte bestätigen Sie die Freigabe.")]
        elif _release(round_):
            return redirect(url_for("decisions.round_decisions", round_id=round_.id))
    lines = decisions.round_lines(round_)
    jobs = printing.latest_jobs(round_.id)
    return render_template(
        "certificates/round_decisions.html",
        round=round_,
        lines=lines,
        ready=decisions.prepared(lines),
        form=form,
        print_form=PrintForm(),
        print_jobs=jobs,
        print_revoked={kind: printing.revoked_since(job) for kind, job in jobs.items()},
        printable={kind: len(printing.items_of(round_.id, kind)) for kind in PrintKind},
    )


def _shown(value: str) -> tuple[int | None, int | None]:
    """A decision the release page listed, as „id:version“."""
    decision_id, _colon, version = value.partition(":")
    return optional_id(decision_id), optional_id(version)


def _release(round_: Round) -> bool:
    shown = [_shown(value) for value in request.form.getlist("decision")]
    if any(None in item for item in shown):
        shown = []  # not what the page sends: treated as a list that changed
    try:
        with UploadBatch() as batch, transaction():
            count = decisions.release(round_, shown, catalogue_of, current_user, utcnow(), batch)
    except (decisions.DecisionError, issuing.CertificateError) as error:
        flash(str(error), "danger")
        return False
    except ConflictError:
        flash(
            _(
                "Inzwischen wurden Entscheidungen vorbereitet, geändert oder freigegeben. Bitte "
                "prüfen Sie die Liste noch einmal."
            ),
            "warning",
        )
        return False
    flash(
        ngettext(
            "%(num)d Entscheidung ist freigegeben. Die Schule sieht ihr Ergebnis jetzt.",
            "%(num)d Entscheidungen sind freigegeben. Die Schulen sehen ihr Ergebnis jetzt.",
            count,
        ),
        "success",
    )
    return True


# --- the school's written feedback ------------------------------------------------------------


def _feedback(application_id: int) -> feedback.Feedback:
    """The feedback on an application the current user may read, once its decision is
    released; 404 before that and for anyone else."""
    application = access.viewable_application(application_id)
    decision = released_decision(application) or abort(404)
    return feedback.feedback_of(application, catalogue_of(application), decision)


@bp.get("/applications/<int:application_id>/feedback")
@login_required
def feedback_page(application_id: int):
    letter = _feedback(application_id)
    return render_template(
        "certificates/feedback.html",
        feedback=letter,
        application=letter.application,
        chart_size=charts.size(len(letter.area_levels)),
    )


@bp.get("/applications/<int:application_id>/feedback/chart.svg")
@login_required
def feedback_chart(application_id: int):
    letter = _feedback(application_id)
    top = letter.catalogue.top_level
    drawing = feedback.levels_drawing(
        letter, _("Mittlere vereinbarte Stufe (0 bis %(top)d)", top=top), number=level_mean
    )
    return charts.svg_response(
        drawing,
        _("Mittlere vereinbarte Stufe je Bereich"),
        _("Balkendiagramm; die Zahlen stehen auch in der Tabelle daneben."),
    )


@bp.get("/applications/<int:application_id>/feedback.pdf")
@login_required
def feedback_download(application_id: int):
    """The signed letter as stored at the release (the document of record)."""
    application = access.viewable_application(application_id)
    decision = released_decision(application) or abort(404)
    try:
        letter = letters.stored_letter(decision)
    except issuing.CertificateError as error:
        flash(str(error), "danger")
        return redirect(url_for(".feedback_page", application_id=application_id))
    return stored_pdf(letter.stored_name, letter.sha256, letters.file_name(application))


def stored_pdf(stored_name: str, sha256: str, download_name: str) -> Response:
    """A stored document of record as a download, exactly as stored."""
    response = send_file(
        store.path_of(stored_name),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=download_name,
        max_age=0,
        etag=sha256,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- certificates -----------------------------------------------------------------------------


@bp.app_template_global()
def current_seal(school) -> Certificate | None:
    """The school's valid certificate today, for its home page."""
    return issuing.current_seal(school.id, local_today())


@bp.app_template_global()
def seal_expires_soon(certificate: Certificate | None) -> bool:
    return issuing.expires_soon(certificate, local_today())


@bp.app_template_global()
def expiring_seals() -> list[Certificate]:
    """Seals whose validity ends within a year, for the office's home page."""
    return issuing.expiring(local_today())


@bp.app_template_global()
def certificate_of(application: Application):
    """The application's certificate, if one is issued (only after the release)."""
    return issuing.certificate_of(application.id)


@bp.get("/applications/<int:application_id>/certificate.pdf")
@login_required
def certificate_download(application_id: int):
    """The stored, signed certificate: for the school, the office and its assessors; once
    revoked, a copy stamped „WIDERRUFEN“ (the office has the original on its own page)."""
    application = access.viewable_application(application_id)
    certificate = issuing.certificate_of(application.id) or abort(404)
    if certificate.revoked_at is not None:
        return revoked_download(certificate)
    return stored_pdf(certificate.stored_name, certificate.sha256, issuing.file_name(certificate))
