"""The issuer's DID document and profile, each certificate's credential and baked badge, the
revocation status list, the public check of a credential, and the school's seal page."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, current_app, render_template, request

from seal_app.applications import access
from seal_app.auth.decorators import login_required
from seal_app.certificates import issuing
from seal_app.certificates.models import Certificate
from seal_app.config import MEGABYTE
from seal_app.credentials import checking, credential, identity, pictures, status
from seal_app.credentials.forms import CredentialCheckForm
from seal_app.credentials.tokens import MEDIA_TYPE
from seal_app.database import transaction
from seal_app.extensions import limiter
from seal_app.security import accepts_uploads

bp = Blueprint("credentials", __name__)
SHORT_CACHE = "public, max-age=300"
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def _json(body: dict, mimetype: str = "application/json") -> Response:
    response = Response(json.dumps(body, ensure_ascii=False, indent=2), mimetype=mimetype)
    response.headers["Cache-Control"] = SHORT_CACHE
    response.headers["Access-Control-Allow-Origin"] = "*"  # verifiers read it from anywhere
    return response


@bp.get("/.well-known/did.json")
@bp.get("/did.json")  # where did:web looks when PUBLIC_BASE_URL has a path
def did_document():
    return _json(identity.did_document())


@bp.get("/issuer")
@bp.get("/issuer.json")
def issuer():
    """The issuer's profile: a page for people, JSON for machines (``.json`` or Accept)."""
    wanted = request.accept_mimetypes.best_match(["text/html", "application/json"])
    if request.path.endswith(".json") or wanted == "application/json":
        return _json({"@context": credential.CONTEXT, **identity.issuer_profile()})
    return render_template(
        "credentials/issuer.html",
        profile=identity.issuer_profile(),
        document=identity.did_document(),
    )


def _verify_limit() -> str:
    return current_app.config["VERIFY_LIMIT_PER_ADDRESS"]


def _certificate_or_404(number: str) -> Certificate:
    certificate = issuing.by_number(number)
    if certificate is None or certificate.imported:  # paper-era seals have no credential
        page = render_template("certificates/verify_unknown.html", number=number[:40])
        abort(Response(page, status=404))
    return certificate


def _signed(certificate: Certificate) -> str:
    with transaction():  # a certificate issued before credentials existed gets its place
        return credential.signed_credential(certificate)


@bp.get("/verify/<number>/credential")
def credential_jwt(number: str):
    token = _signed(_certificate_or_404(number))
    response = Response(token, mimetype=MEDIA_TYPE)
    response.headers["Cache-Control"] = SHORT_CACHE
    response.headers["Access-Control-Allow-Origin"] = "*"
    if "download" in request.args:
        name = f"Siegel-{number}.jwt"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _image(picture: pictures.Picture, name: str) -> Response:
    response = Response(picture.data, mimetype=picture.mimetype)
    response.headers["Cache-Control"] = pictures.CACHE_CONTROL
    response.set_etag(picture.etag)
    if picture.mimetype == "image/svg+xml":
        response.headers["Content-Security-Policy"] = SVG_POLICY
    if "download" in request.args:
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response.make_conditional(request)


def _seal_picture(number: str, kind: str) -> Response:
    certificate = _certificate_or_404(number)
    picture = pictures.certificate_picture(certificate, kind, lambda: _signed(certificate))
    revoked = "-widerrufen" if certificate.revoked_at else ""
    return _image(picture, f"Siegel-{number}{revoked}.{kind}")


# the verification page's limit, for both kinds of picture together
_picture_limit = limiter.shared_limit(_verify_limit, scope="seal-pictures")


@bp.get("/verify/<number>/siegel.png")
@_picture_limit
def baked_png(number: str):
    return _seal_picture(number, "png")


@bp.get("/verify/<number>/siegel.svg")
@_picture_limit
def baked_svg(number: str):
    return _seal_picture(number, "svg")


@bp.get("/credentials/siegel.png")
def seal_image_png():
    """The seal itself (the achievement's image)."""
    return _image(pictures.plain_seal(), "Siegel.png")


@bp.get("/credentials/status/<int:list_id>")
def status_list(list_id: int):
    with transaction():
        signed = status.signed_list(list_id)
    if signed is None:
        abort(404)
    response = Response(signed, mimetype=MEDIA_TYPE)
    response.headers["Cache-Control"] = SHORT_CACHE
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.post("/verify")
@accepts_uploads
@limiter.limit(_verify_limit)
def check():
    """A credential pasted or a baked badge chosen on /verify: checked, never stored."""
    limit = current_app.config["CREDENTIAL_CHECK_MAX_BYTES"]
    if request.content_length and request.content_length > 2 * limit + MEGABYTE:
        abort(413)  # a file and a text of at most the limit each: nothing larger is read
    form = CredentialCheckForm()
    result = None
    if form.validate_on_submit():
        given = form.submitted(limit)
        if given is not None:
            kind, data = given
            result = (
                checking.check_file(data)
                if kind == "file"
                else checking.check_token(data.decode("utf-8"))
            )
    return render_template("credentials/check.html", form=form, result=result)


@bp.get("/applications/<int:application_id>/siegel")
@login_required
def school_seal(application_id: int):
    """The school's seal page: the badge, its downloads and the snippet for its website."""
    application = access.viewable_application(application_id)
    certificate = issuing.certificate_of(application.id)
    if certificate is None or certificate.revoked_at is not None:
        abort(404)
    verify_url = issuing.verify_url(certificate.number)
    response = Response(
        render_template(
            "credentials/school_seal.html",
            application=application,
            certificate=certificate,
            title=pictures.seal_title(certificate),
            verify_url=verify_url,
            png_url=f"{verify_url}/siegel.png",
        )
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.app_template_global()
def verdict_label(verdict: str) -> str:
    return str(checking.VERDICT_LABELS[verdict])


@bp.app_template_global()
def credential_check_form() -> CredentialCheckForm:
    """An empty check form for the page where a certificate's number is typed."""
    return CredentialCheckForm(formdata=None)
