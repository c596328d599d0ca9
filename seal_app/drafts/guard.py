"""Request hooks: keep what a form sent when its login has ended, forget a draft once its
form is saved, and never hand one to another account.

``register_request_guards`` must run before CSRFProtect is set up: a form sent after the
cookie session was lost fails the CSRF check, and its text has to be kept first.
"""

from __future__ import annotations

from flask import (
    Flask,
    Response,
    current_app,
    flash,
    g,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import ValidationError, validate_csrf
from werkzeug.exceptions import HTTPException

from seal_app.database import transaction
from seal_app.drafts import services
from seal_app.drafts.forms import is_login_protected
from seal_app.drafts.tokens import TOKEN_FIELD, DraftOwner, read_token

KEPT_IN_COOKIE = "kept_drafts"  # drafts kept from this browser, until someone logs in
SAVED_IN_COOKIE = "drafts_saved"  # pages whose form was saved, for the browser to forget
CLEAR_ALL_IN_COOKIE = "drafts_clear_all"  # logged out: the browser forgets every draft


def register_request_guards(app: Flask) -> None:
    app.before_request(keep_unsaved_form)
    app.after_request(forget_used_drafts)


def keep_unsaved_form() -> Response | None:
    """A login-protected form sent without a valid login (or with a CSRF token that no longer
    fits) is kept for the person named in its token, and they are sent to log in again (or
    back to the form, where it is restored)."""
    if request.endpoint == "auth.login" and request.method == "POST":
        g.kept_before_login = session.get(KEPT_IN_COOKIE, [])
    if request.method != "POST" or not is_login_protected():
        return None
    owner = read_token(request.form.get(TOKEN_FIELD), request.path)
    if owner is None:
        return None
    g.draft_owner = owner
    if current_user.is_authenticated and current_user.id == owner.user_id:
        if _csrf_fits():
            return None
        _keep(owner)
        flash(
            _(
                "Das Formular war abgelaufen. Ihre Eingaben stehen wieder im Formular, "
                "sind aber noch nicht gespeichert. Bitte prüfen Sie sie und speichern Sie "
                "noch einmal."
            ),
            "warning",
        )
        return redirect(owner.path, 303)
    draft_id = _keep(owner)
    if current_user.is_authenticated:  # someone else logged in meanwhile in this browser
        flash(
            _(
                "Dieses Formular wurde unter einem anderen Konto geöffnet. Es wurde nichts "
                "gespeichert."
            ),
            "warning",
        )
        return redirect(url_for("main.home"), 303)
    if draft_id is not None:
        session[KEPT_IN_COOKIE] = [*session.get(KEPT_IN_COOKIE, [])[-9:], draft_id]
        flash(
            _(
                "Sie waren abgemeldet, deshalb wurde nichts gespeichert. Ihre Eingaben sind "
                "aufbewahrt: Nach der Anmeldung stehen sie wieder im Formular."
            ),
            "warning",
        )
    return redirect(url_for("auth.login", next=owner.path), 303)


def _csrf_fits() -> bool:
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return True
    name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    sent = next((value for key, value in request.form.items() if key.endswith(name)), None)
    try:
        validate_csrf(sent)
    except ValidationError:
        return False
    return True


def _keep(owner: DraftOwner) -> int | None:
    try:
        sent = list(request.form.items(multi=True))
    except HTTPException:  # a body too large or cut off: there is nothing to show
        return []
    fields = services.keepable_fields(sent)
    had_files = any(upload.filename for upload in request.files.values())
    g.draft_redirected = True  # the answer is this module's redirect, not a saved form
    with transaction():
        draft = services.keep(owner.user_id, owner.path, fields, had_files)
        return draft.id if draft is not None else None


def typed_texts() -> list[str]:
    """The texts sent with a login-protected form of this request, for a page that refuses to
    save them (the application was submitted meanwhile), so that nothing typed is lost."""
    if request.method != "POST":
        return []
    if g.get("draft_owner") is None and not current_user.is_authenticated:
        return []
    try:
        sent = list(request.form.items(multi=True))
    except HTTPException:  # a body too large or cut off: there is nothing to show
        return []
    fields = services.keepable_fields(sent)
    return [value for _name, value in fields if any(char.isalpha() for char in value)]


def forget_used_drafts(response: Response) -> Response:
    if request.endpoint == "auth.login" and not current_user.is_anonymous:  # factor or not
        _discard_other_accounts()
    owner = g.get("draft_owner")
    if (
        owner is not None
        and response.status_code in (302, 303)
        and current_user.is_authenticated
        and current_user.id == owner.user_id
        and request.method == "POST"
        and not g.get("draft_redirected")
    ):
        _form_saved(owner)
    return response


def _form_saved(owner: DraftOwner) -> None:
    """A form that answers with a redirect was saved: no kept draft of it is needed any more."""
    forget_page(owner.user_id, owner.path)


def forget_page(user_id: int, path: str) -> None:
    """The kept text of the page is no longer needed, here or in the browser (the next page
    tells drafts.js to forget it)."""
    with transaction():
        services.discard(user_id, path)
    session[SAVED_IN_COOKIE] = [*session.get(SAVED_IN_COOKIE, [])[-9:], path]


def _discard_other_accounts() -> None:
    """Drafts kept from this browser belong to whoever typed them; another account logging in
    here never sees them, and they are deleted."""
    kept = [item for item in g.get("kept_before_login") or [] if isinstance(item, int)]
    if kept:
        with transaction():
            services.discard_ids(kept, keep_for_user=current_user.id)
