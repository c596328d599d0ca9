"""The office's page of one certificate, where it is revoked after reading the consequences,
the signed original for the office, and the template helpers that show revocations on every
page listing certificates."""

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
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from seal_app.applications.models import Application
from seal_app.auth.decorators import roles_required
from seal_app.auth.models import Role
from seal_app.certificates import issuing, revocation
from seal_app.certificates.forms import RevokeForm
from seal_app.certificates.models import Certificate
from seal_app.db_types import utcnow
from seal_app.local_time import local_today
from seal_app.notifications import messages, school_recipients
from seal_app.notifications.outbox import mail_enabled
from seal_app.schools.models import School
from seal_app.twofactor.reauth import recent_authentication_required
from seal_app.uploads import store
from seal_app.views import get_or_404, save_versioned

bp = Blueprint("revocation", __name__)
office_only = roles_required(Role.OFFICE)


@bp.app_template_global()
def certificates_of(applications: list[Application]) -> dict[int, Certificate]:
    """The certificates of the listed applications, by application id (one query a page)."""
    return revocation.certificates_of(applications)


@bp.app_template_global()
def revoked_seal(school: School) -> Certificate | None:
    """The school's newest certificate if it was revoked while it would still be valid."""
    return revocation.latest_revoked(school.id, local_today())


@bp.app_template_global()
def revoked_seals() -> list[Certificate]:
    """Certificates revoked within their validity, for the office's overviews."""
    return revocation.revoked_within_validity(local_today())


@bp.route("/office/certificates/<int:certificate_id>/revoke", methods=["GET", "POST"])
@office_only
@recent_authentication_required
def confirm(certificate_id: int):
    """The certificate with what a revocation means; a reason and a click revoke it."""
    certificate = get_or_404(Certificate, certificate_id)
    page = url_for(".confirm", certificate_id=certificate.id)
    if request.method == "POST" and certificate.revoked_at is not None:
        return _already_revoked(certificate, page)
    form = RevokeForm(data={"version": certificate.version})
    if certificate.revoked_at is None and form.validate_on_submit():
        saved = _revoke(certificate, form)
        if saved:
            flash(
                _("Die Urkunde Nr. %(number)s ist widerrufen.", number=certificate.number),
                "success",
            )
            return redirect(page)
        if certificate.revoked_at is not None:  # another tab or person was first
            return _already_revoked(certificate, page)
    return render_template(
        "certificates/revoke.html",
        certificate=certificate,
        application=certificate.application,
        state=certificate.state_on(local_today()),
        form=form,
        mail_on=mail_enabled(),
        recipients=school_recipients.recipients_of(certificate.school),
        told=school_recipients.told(messages.certificate_revoked_key(certificate)),
    )


def _revoke(certificate: Certificate, form: RevokeForm) -> bool:
    def save() -> None:
        revocation.revoke(
            certificate, form.reason.data or "", form.version.data, current_user, utcnow()
        )

    try:
        saved, _stale = save_versioned(form, save, lambda: certificate)
    except revocation.AlreadyRevokedError:
        return False
    except issuing.CertificateError as error:
        form.reason.errors = [*form.reason.errors, str(error)]
        return False
    return saved


def _already_revoked(certificate: Certificate, page: str) -> Response:
    flash(
        _(
            "Die Urkunde Nr. %(number)s war schon widerrufen (am %(date)s). Es bleibt bei "
            "diesem Widerruf; Ihre Eingabe wurde nicht gespeichert.",
            number=certificate.number,
            date=format_date(certificate.revoked_at, "long", rebase=True),
        ),
        "warning",
    )
    return redirect(page)


@bp.get("/office/certificates/<int:certificate_id>/original.pdf")
@office_only
def original(certificate_id: int):
    """The signed certificate exactly as issued, also after a revocation (the archive)."""
    certificate = get_or_404(Certificate, certificate_id)
    if certificate.stored_name is None:
        abort(404)  # imported from the paper era: there is no file
    response = send_file(
        store.path_of(certificate.stored_name),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"Urkunde-{certificate.number}-Original.pdf",
        max_age=0,
        etag=certificate.sha256,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
