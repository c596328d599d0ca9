"""Every route, every role: who gets the page, who is refused, who must log in first."""

from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa

from seal_app.accounts.models import AccessRequest
from seal_app.applications.models import EvidenceFile
from seal_app.auth.models import Role
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.rounds.services import create_round
from seal_app.schools.models import Position, School
from tests.applications import samples
from tests.conftest import PASSWORD, login

ROLES = ("anonymous", "school", "assessor", "office")
LOGIN = "login"  # a redirect to the login page
HOME = "home"  # a redirect to the start page

EVERYONE = dict.fromkeys(ROLES, 200)
OFFICE_ONLY = {"anonymous": LOGIN, "school": 403, "assessor": 403, "office": 200}
OFFICE_POST = {"anonymous": LOGIN, "school": 403, "assessor": 403, "office": 302}
SIGNED_IN = {"anonymous": LOGIN, "school": 200, "assessor": 200, "office": 200}
SIGNED_POST = {"anonymous": LOGIN, "school": 302, "assessor": 302, "office": 302}
SCHOOL_ONLY_404 = {"anonymous": LOGIN, "school": 404, "assessor": 403, "office": 403}
APPLICATION_VIEW = {"anonymous": LOGIN, "school": 200, "assessor": 404, "office": 200}
APPLICATION_CHANGE = {"anonymous": LOGIN, "school": 302, "assessor": 403, "office": 403}
# the address of a form's POST, opened again: a redirect to the page the form lives on
APPLICATION_REOPENED = {"anonymous": LOGIN, "school": 302, "assessor": 404, "office": 302}
SCHOOL_PAGE = {"anonymous": LOGIN, "school": 200, "assessor": 403, "office": 403}
ASSESSOR_OWN = {"anonymous": LOGIN, "school": 403, "assessor": 200, "office": 403}
# a page of the assessor's own that is sent without any of its rows: nothing to store, back to it
ASSESSOR_POST = {"anonymous": LOGIN, "school": 403, "assessor": 302, "office": 403}

# endpoint: (method, url with {placeholders}, expected answer per role)
MATRIX = {
    "main.home": ("GET", "/", EVERYONE),
    "main.healthz": ("GET", "/healthz", EVERYONE),
    "operations.readyz": ("GET", "/readyz", EVERYONE),
    # from loopback (the test client's address) without a token; elsewhere 404
    "operations.metrics_page": ("GET", "/metrics", EVERYONE),
    "main.favicon": ("GET", "/favicon.ico", EVERYONE),
    "main.accessibility": ("GET", "/accessibility", EVERYONE),
    "main.imprint": ("GET", "/impressum", EVERYONE),
    "main.privacy": ("GET", "/datenschutz", EVERYONE),
    "main.language": ("POST", "/language", dict.fromkeys(ROLES, 302)),
    "catalogue.current": ("GET", "/catalogue/", EVERYONE),
    "catalogue.version": ("GET", "/catalogue/2026.1", EVERYONE),
    "catalogue_versions.index": ("GET", "/office/catalogue/versions", OFFICE_ONLY),
    "catalogue_versions.new": ("GET", "/office/catalogue/versions/new", OFFICE_ONLY),
    "catalogue_versions.changes": ("GET", "/office/catalogue/versions/2026.1/changes", OFFICE_ONLY),
    "catalogue_versions.download": ("GET", "/office/catalogue/versions/2026.1.yaml", OFFICE_ONLY),
    # without the checked text: the upload page with its message
    "catalogue_versions.confirm": ("POST", "/office/catalogue/versions/confirm", OFFICE_ONLY),
    "auth.login": (
        "GET",
        "/login",
        {"anonymous": 200, "school": HOME, "assessor": HOME, "office": HOME},
    ),
    "auth.logout": ("POST", "/logout", dict.fromkeys(ROLES, LOGIN)),
    # how long the login lasts, and renewing it: JSON for everyone ({"active": false} without)
    "session.status": ("GET", "/session/status", EVERYONE),
    "session.renew": ("POST", "/session/renew", EVERYONE),
    # discarding a kept draft: a redirect to the page named (here none: the start page)
    "session.discard_draft": (
        "POST",
        "/session/drafts/discard",
        {"anonymous": LOGIN, "school": HOME, "assessor": HOME, "office": HOME},
    ),
    "auth.change_password": ("GET", "/account/password", SIGNED_IN),
    "auth.set_password": ("GET", "/password/set/not-a-token", dict.fromkeys(ROLES, 404)),
    "auth.set_password_form": ("GET", "/password/set", dict.fromkeys(ROLES, 404)),
    "auth.forgot_password": ("GET", "/password/forgot", EVERYONE),
    "notifications.outbox": ("GET", "/office/outbox", OFFICE_ONLY),
    "accounts.register": ("GET", "/register", EVERYONE),
    "accounts.users": ("GET", "/office/users", OFFICE_ONLY),
    "accounts.new_user": ("GET", "/office/users/new", OFFICE_ONLY),
    "accounts.edit_user": ("GET", "/office/users/{user_id}/edit", OFFICE_ONLY),
    "accounts.password_link": (
        "POST",
        "/office/users/{user_id}/password-link",
        {**OFFICE_POST, "office": 200},
    ),
    "accounts.password_link_page": ("GET", "/office/users/{user_id}/password-link", OFFICE_POST),
    "accounts.access_requests": ("GET", "/office/access-requests", OFFICE_ONLY),
    "accounts.approve_request_page": (
        "GET",
        "/office/access-requests/{request_id}/approve",
        OFFICE_POST,
    ),
    "accounts.approve_request": (
        "POST",
        "/office/access-requests/{request_id}/approve",
        {**OFFICE_POST, "office": 200},
    ),
    "accounts.decline_request": (
        "GET",
        "/office/access-requests/{request_id}/decline",
        OFFICE_ONLY,
    ),
    "schools.index": ("GET", "/office/schools/", OFFICE_ONLY),
    "schools.new": ("GET", "/office/schools/new", OFFICE_ONLY),
    "schools.show": ("GET", "/office/schools/{school_id}", OFFICE_ONLY),
    "schools.edit": ("GET", "/office/schools/{school_id}/edit", OFFICE_ONLY),
    "schools.import_csv": ("GET", "/office/schools/import", OFFICE_ONLY),
    "paper_seals.upload": ("GET", "/office/certificates/import", OFFICE_ONLY),
    # an unknown (or another user's) preview: back to the upload with a notice
    "paper_seals.preview": ("GET", "/office/certificates/import/unknown", OFFICE_POST),
    "rounds.index": ("GET", "/office/rounds/", OFFICE_ONLY),
    "rounds.new": ("GET", "/office/rounds/new", OFFICE_ONLY),
    "rounds.edit": ("GET", "/office/rounds/{round_id}/edit", OFFICE_ONLY),
    "audit.index": ("GET", "/office/audit/", OFFICE_ONLY),
    "exports.index": ("GET", "/office/exports", OFFICE_ONLY),
    # without a choice: the page again with its errors (the schools: XLSX, the default format)
    "exports.applications": ("GET", "/office/exports/applications", OFFICE_ONLY),
    "exports.schools": ("GET", "/office/exports/schools", OFFICE_ONLY),
    "exports.sealed": ("GET", "/office/exports/sealed", OFFICE_ONLY),
    "exports.audit": ("GET", "/office/exports/audit", OFFICE_ONLY),
    "auth.security_log_index": ("GET", "/office/security-log", OFFICE_ONLY),
    "office_applications.office_index": ("GET", "/office/applications/", OFFICE_ONLY),
    # the application of the school user's own school; assessors are not assigned to it
    "applications.start_page": (
        "GET",
        "/applications/start",
        {"anonymous": LOGIN, "school": HOME, "assessor": HOME, "office": HOME},
    ),
    "applications.start": ("POST", "/applications/start", SCHOOL_ONLY_404),
    "applications.overview": ("GET", "/applications/{application_id}", APPLICATION_VIEW),
    "applications.criterion": (
        "GET",
        "/applications/{application_id}/criteria/A.1",
        APPLICATION_VIEW,
    ),
    "applications.renewal": (
        "GET",
        "/applications/{application_id}/renewal/A",
        {**APPLICATION_VIEW, "school": 404, "office": 404},
    ),
    "applications.votes": ("GET", "/applications/{application_id}/votes", APPLICATION_VIEW),
    "applications.submit": (
        "GET",
        "/applications/{application_id}/submit",
        {**APPLICATION_VIEW, "office": 302},  # the office reads the overview instead
    ),
    "applications.receipt": (
        "GET",
        "/applications/{application_id}/receipt.pdf",
        {**APPLICATION_VIEW, "school": 404, "office": 404},
    ),
    "applications.receipt_version": (
        "GET",
        "/applications/{application_id}/receipts/1.pdf",
        {**APPLICATION_VIEW, "school": 404, "office": 404},
    ),
    "applications.submitted": (
        "GET",
        "/applications/{application_id}/submitted",
        {**APPLICATION_VIEW, "school": 404, "office": 404},
    ),
    "applications.download": (
        "GET",
        "/applications/{application_id}/files/{file_id}",
        APPLICATION_VIEW,
    ),
    "applications.preview": (
        "GET",
        "/applications/{application_id}/files/{file_id}/preview",
        APPLICATION_VIEW,
    ),
    # all evidence as one ZIP: whoever may see the files one by one; an archive made by the
    # task queue only for the person who asked (here: none, 404)
    "applications.evidence_zip": (
        "GET",
        "/applications/{application_id}/evidence.zip",
        APPLICATION_VIEW,
    ),
    "applications.evidence_archive_page": (
        "GET",
        "/applications/{application_id}/evidence-zip",
        APPLICATION_VIEW,
    ),
    "applications.start_evidence_archive": (
        "POST",
        "/applications/{application_id}/evidence-zip",
        APPLICATION_REOPENED,
    ),
    "applications.evidence_archive_job": (
        "GET",
        "/applications/{application_id}/evidence-zip/999999",
        {"anonymous": LOGIN, "school": 404, "assessor": 404, "office": 404},
    ),
    "applications.evidence_archive_download": (
        "GET",
        "/applications/{application_id}/evidence-zip/999999/download",
        {"anonymous": LOGIN, "school": 404, "assessor": 404, "office": 404},
    ),
    "applications.save_votes": ("POST", "/applications/{application_id}/votes", APPLICATION_CHANGE),
    "applications.response_page": (
        "GET",
        "/applications/{application_id}/criteria/A.1/response",
        APPLICATION_REOPENED,
    ),
    "applications.respond": (
        "POST",
        "/applications/{application_id}/criteria/A.1/response",
        # the school may answer, but nothing was requested: refused with its text kept
        {**APPLICATION_CHANGE, "school": 409},
    ),
    "applications.resubmit_page": (
        "GET",
        "/applications/{application_id}/resubmit",
        APPLICATION_REOPENED,
    ),
    "applications.resubmit": (
        "POST",
        "/applications/{application_id}/resubmit",
        APPLICATION_CHANGE,
    ),
    "applications.replace_file_page": (
        "GET",
        "/applications/{application_id}/files/{file_id}/replace",
        APPLICATION_REOPENED,
    ),
    "applications.replace_file": (
        "POST",
        "/applications/{application_id}/files/{file_id}/replace",
        APPLICATION_CHANGE,
    ),
    "applications.confirm_delete_file": (
        "GET",
        "/applications/{application_id}/files/{file_id}/delete",
        SCHOOL_PAGE,
    ),
    "applications.delete_file": (
        "POST",
        "/applications/{application_id}/files/{file_id}/delete",
        APPLICATION_CHANGE,
    ),
    # the assessor's own pages, for an assignment of theirs (cleared: no conflict declared);
    # another assessor's assignment is 404 (tests/reviews)
    "reviews.declaration": ("GET", "/review/{own_assignment_id}/declaration", ASSESSOR_OWN),
    "reviews.overview": ("GET", "/review/{own_assignment_id}", ASSESSOR_OWN),
    # conflicts declared for a round's schools before assignment: assessors only
    "round_conflicts.declare": ("GET", "/review/rounds/{round_id}/conflicts", ASSESSOR_OWN),
    "reviews.criterion": ("GET", "/review/{own_assignment_id}/criteria/A.1", ASSESSOR_OWN),
    # the assessor of the matrix is not assigned; the review belongs to another assessor
    "review_submission.request_more": (
        "GET",
        "/applications/{application_id}/request-more",
        {"anonymous": LOGIN, "school": 403, "assessor": 404, "office": 200},
    ),
    "review_submission.submit": (
        "GET",
        "/review/{review_assignment_id}/submit",
        {"anonymous": LOGIN, "school": 403, "assessor": 404, "office": 403},
    ),
    "review_submission.reopen": (
        "GET",
        "/office/reviews/{review_assignment_id}/reopen",
        OFFICE_ONLY,
    ),
    "jury.plan_visit": ("GET", "/office/applications/{application_id}/visit", OFFICE_ONLY),
    # the matrix assessor is not assigned: no visit protocol, no meeting (all reviews are in)
    "jury.visit_protocols": (
        "GET",
        "/review/{review_assignment_id}/visit",
        {"anonymous": LOGIN, "school": 403, "assessor": 404, "office": 403},
    ),
    "jury.visit_protocol": (
        "GET",
        "/review/{review_assignment_id}/visit/A",
        {"anonymous": LOGIN, "school": 403, "assessor": 404, "office": 403},
    ),
    "jury.visit_record_page": (
        "GET",
        "/review/{review_assignment_id}/visit/record",
        {"anonymous": LOGIN, "school": 403, "assessor": 404, "office": 403},
    ),
    # the matrix application has no visit; its photos do not exist for anyone
    "jury.office_visit_record": (
        "GET",
        "/office/applications/{application_id}/visit/record",
        {**OFFICE_ONLY, "office": 404},
    ),
    "jury.visit_photo": ("GET", "/visit-photos/1", {**SIGNED_IN, **dict.fromkeys(ROLES[1:], 404)}),
    "jury.visit_photo_thumbnail": (
        "GET",
        "/visit-photos/1/thumbnail",
        {**SIGNED_IN, **dict.fromkeys(ROLES[1:], 404)},
    ),
    "jury.delete_visit_photo": (
        "POST",
        "/visit-photos/1/delete",
        {"anonymous": LOGIN, "school": 403, "assessor": 404, "office": 403},
    ),
    "jury.consensus": (
        "GET",
        "/applications/{application_id}/consensus",
        {"anonymous": LOGIN, "school": 403, "assessor": 404, "office": 200},
    ),
    "jury.consensus_chart": (
        "GET",
        "/applications/{application_id}/consensus/chart.svg",
        {"anonymous": LOGIN, "school": 403, "assessor": 404, "office": 200},
    ),
    # the jury's discussion: none for a draft (the matrix application); the school never
    "jury.discussion": (
        "GET",
        "/applications/{application_id}/discussion",
        {"anonymous": LOGIN, "school": 404, "assessor": 404, "office": 404},
    ),
    "jury.edit_comment": (
        "GET",
        "/applications/{application_id}/discussion/1/edit",
        {"anonymous": LOGIN, "school": 404, "assessor": 404, "office": 404},
    ),
    "jury.withdraw_comment": (
        "GET",
        "/applications/{application_id}/discussion/1/withdraw",
        {"anonymous": LOGIN, "school": 404, "assessor": 404, "office": 404},
    ),
    # the office's review pages; the application of the matrix is a draft (nothing to assign)
    "review_office.round_assignments": (
        "GET",
        "/office/rounds/{round_id}/assignments",
        OFFICE_ONLY,
    ),
    "review_office.proposal": (
        "GET",
        "/office/rounds/{round_id}/assignments/proposal",
        OFFICE_ONLY,
    ),
    "review_office.application": ("GET", "/office/applications/{application_id}", OFFICE_ONLY),
    "review_office.assign_page": (
        "GET",
        "/office/applications/{application_id}/assignments",
        OFFICE_POST,
    ),
    "review_office.assign": (
        "POST",
        "/office/applications/{application_id}/assignments",
        {**OFFICE_POST, "office": 200},
    ),
    "review_office.confirm_unassign": (
        "GET",
        "/office/assignments/{review_assignment_id}/remove",
        OFFICE_ONLY,
    ),
    "review_office.unassign": (
        "POST",
        "/office/assignments/{review_assignment_id}/remove",
        OFFICE_POST,
    ),
    "review_office.due_page": (
        "GET",
        "/office/assignments/{review_assignment_id}/due",
        OFFICE_POST,
    ),
    "review_office.change_due": (
        "POST",
        "/office/assignments/{review_assignment_id}/due",
        {**OFFICE_POST, "office": 200},
    ),
    # decisions: the office only (the matrix's draft shows the page saying it is too early)
    "decisions.decide": ("GET", "/office/applications/{application_id}/decision", OFFICE_ONLY),
    "decisions.discard": (
        "POST",
        "/office/applications/{application_id}/decision/discard",
        OFFICE_POST,
    ),
    "decisions.round_decisions": ("GET", "/office/rounds/{round_id}/decisions", OFFICE_ONLY),
    # the feedback exists only once the decision is released (the matrix's is a draft)
    "decisions.feedback_page": (
        "GET",
        "/applications/{application_id}/feedback",
        {**APPLICATION_VIEW, "school": 404, "office": 404},
    ),
    "decisions.feedback_download": (
        "GET",
        "/applications/{application_id}/feedback.pdf",
        {**APPLICATION_VIEW, "school": 404, "office": 404},
    ),
    "decisions.feedback_chart": (
        "GET",
        "/applications/{application_id}/feedback/chart.svg",
        {**APPLICATION_VIEW, "school": 404, "office": 404},
    ),
    "decisions.certificate_download": (
        "GET",
        "/applications/{application_id}/certificate.pdf",
        {**APPLICATION_VIEW, "school": 404, "office": 404},
    ),
    "revocation.confirm": (
        "GET",
        "/office/certificates/999999/revoke",
        {**OFFICE_ONLY, "office": 404},
    ),
    "revocation.original": (
        "GET",
        "/office/certificates/999999/original.pdf",
        {**OFFICE_ONLY, "office": 404},
    ),
    # printing a round: the office only (unknown jobs: 404)
    "printing.start": ("POST", "/office/rounds/{round_id}/print", OFFICE_POST),
    "printing.job": ("GET", "/office/print-jobs/999999", {**OFFICE_ONLY, "office": 404}),
    "printing.download": (
        "GET",
        "/office/print-jobs/999999/download.zip",
        {**OFFICE_ONLY, "office": 404},
    ),
    # the office's dashboard of the open round and its chart
    "dashboard.index": ("GET", "/office/dashboard/", OFFICE_ONLY),
    "dashboard.states_chart": ("GET", "/office/dashboard/states.svg", OFFICE_ONLY),
    # public, no login: an unknown number is a German 404 for everyone
    "public_seals.verify": ("GET", "/verify/2026-999", dict.fromkeys(ROLES, 404)),
    "public_seals.verify_start": ("GET", "/verify", EVERYONE),
    "public_seals.sealed_schools": ("GET", "/siegelschulen", EVERYONE),
    "public_seals.sealed_schools_csv": ("GET", "/siegelschulen.csv", EVERYONE),
    "public_seals.sealed_schools_json": ("GET", "/siegelschulen.json", EVERYONE),
    "public_seals.sealed_schools_pdf": ("GET", "/siegelschulen.pdf", EVERYONE),
    # digital credentials: public, no login (unknown numbers: 404); the school's seal page
    # only with a standing certificate
    "credentials.did_document": ("GET", "/.well-known/did.json", EVERYONE),
    "credentials.issuer": ("GET", "/issuer", EVERYONE),
    "credentials.seal_image_png": ("GET", "/credentials/siegel.png", EVERYONE),
    "credentials.status_list": ("GET", "/credentials/status/999999", dict.fromkeys(ROLES, 404)),
    "credentials.credential_jwt": ("GET", "/verify/2026-999/credential", dict.fromkeys(ROLES, 404)),
    "credentials.baked_png": ("GET", "/verify/2026-999/siegel.png", dict.fromkeys(ROLES, 404)),
    "credentials.baked_svg": ("GET", "/verify/2026-999/siegel.svg", dict.fromkeys(ROLES, 404)),
    "credentials.check": ("POST", "/verify", EVERYONE),
    "credentials.school_seal": (
        "GET",
        "/applications/{application_id}/siegel",
        {**APPLICATION_VIEW, "school": 404, "office": 404},
    ),
    # the second factor: the code page only for a login still waiting for it (tested below)
    "twofactor.verify": (
        "GET",
        "/login/code",
        {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], HOME)},
    ),
    "twofactor.setup": ("GET", "/account/second-factor/setup", SIGNED_IN),
    # without the shown secret: back to the set-up page
    "twofactor.confirm_totp": ("POST", "/account/second-factor/totp", SIGNED_POST),
    # without a name: the set-up page with its error
    "twofactor.register_passkey": ("POST", "/account/passkeys", SIGNED_IN),
    # the school account of the matrix has no factor, hence no codes
    "twofactor.new_recovery_codes": (
        "POST",
        "/account/recovery-codes",
        {**SIGNED_IN, "school": 302},
    ),
    "twofactor.account": ("GET", "/account/security", SIGNED_IN),
    # the office and the assessor keep their only factor; the school has none to remove
    "twofactor.remove_totp": ("POST", "/account/second-factor/totp/remove", SIGNED_POST),
    "twofactor.remove_passkey": (
        "POST",
        "/account/passkeys/999999/remove",
        {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], 404)},
    ),
    "twofactor.devices_page": ("GET", "/account/devices", SIGNED_IN),
    "twofactor.end_device": ("POST", "/account/devices/999999/end", SIGNED_POST),
    "twofactor.end_other_devices": ("POST", "/account/devices/end-others", SIGNED_POST),
    "twofactor.reset": ("GET", "/office/users/{user_id}/second-factor/reset", OFFICE_ONLY),
    "twofactor.confirm": ("GET", "/account/confirm", SIGNED_IN),
    # the second factor's forms opened with GET (a restored tab): each leads to its own page
    "twofactor.totp_reopened": ("GET", "/account/second-factor/totp", SIGNED_POST),
    "twofactor.passkeys_reopened": ("GET", "/account/passkeys", SIGNED_POST),
    "twofactor.recovery_codes_reopened": ("GET", "/account/recovery-codes", SIGNED_POST),
    "twofactor.remove_totp_reopened": ("GET", "/account/second-factor/totp/remove", SIGNED_POST),
    "twofactor.remove_passkey_reopened": (
        "GET",
        "/account/passkeys/999999/remove",
        SIGNED_POST,
    ),
    "twofactor.end_device_reopened": ("GET", "/account/devices/999999/end", SIGNED_POST),
    "twofactor.end_others_reopened": ("GET", "/account/devices/end-others", SIGNED_POST),
}

# Forms that change state: a POST from a role that may not use them is refused the same way.
POST_MATRIX = {
    "accounts.new_user": ("/office/users/new", OFFICE_ONLY),
    "accounts.edit_user": ("/office/users/{user_id}/edit", OFFICE_ONLY),
    "accounts.decline_request": ("/office/access-requests/{request_id}/decline", OFFICE_ONLY),
    "schools.new": ("/office/schools/new", OFFICE_ONLY),
    "schools.edit": ("/office/schools/{school_id}/edit", OFFICE_ONLY),
    "schools.import_csv": ("/office/schools/import", OFFICE_ONLY),
    "paper_seals.upload": ("/office/certificates/import", OFFICE_ONLY),
    "paper_seals.preview": ("/office/certificates/import/unknown", OFFICE_POST),
    "rounds.new": ("/office/rounds/new", OFFICE_ONLY),
    "rounds.edit": ("/office/rounds/{round_id}/edit", OFFICE_ONLY),
    "catalogue_versions.new": ("/office/catalogue/versions/new", OFFICE_ONLY),
    "auth.change_password": ("/account/password", SIGNED_IN),
    "jury.plan_visit": ("/office/applications/{application_id}/visit", OFFICE_ONLY),
    "review_submission.reopen": ("/office/reviews/{review_assignment_id}/reopen", OFFICE_ONLY),
    "review_office.proposal": ("/office/rounds/{round_id}/assignments/proposal", OFFICE_ONLY),
    "round_conflicts.declare": ("/review/rounds/{round_id}/conflicts", ASSESSOR_POST),
    "decisions.decide": ("/office/applications/{application_id}/decision", OFFICE_ONLY),
    "decisions.round_decisions": ("/office/rounds/{round_id}/decisions", OFFICE_ONLY),
    "printing.start": ("/office/rounds/{round_id}/print", OFFICE_ONLY),
    "twofactor.reset": ("/office/users/{user_id}/second-factor/reset", OFFICE_ONLY),
}


def test_matrix_names_every_route(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert endpoints == set(MATRIX), "add new routes to the access matrix"


@pytest.fixture
def ids(app, make, accounts):
    school_id = make.school(number="75099")
    with app.app_context():
        access_request = AccessRequest(
            school_id=school_id,
            name="Max Muster",
            position=Position.HEAD,
            email="max@example.org",
        )
        db.session.add(access_request)
        round_ = create_round(2027, date(2027, 6, 30), "2026.1", None)
        db.session.commit()
        request_id, round_id = access_request.id, round_.id
    application_id, file_id = _application_with_file(app, accounts["school"])
    return {
        "application_id": application_id,
        "file_id": file_id,
        "school_id": school_id,
        "user_id": make.user_id(accounts["assessor"]),
        "request_id": request_id,
        "round_id": round_id,
        "review_assignment_id": _assignment_of_another_assessor(app, make, application_id),
        "own_assignment_id": _own_assignment(app, make, accounts["assessor"]),
    }


def _own_assignment(app, make, assessor: str) -> int:
    """A cleared assignment of the matrix's assessor, to a submitted application of a school
    of its own (so that the matrix's application stays unassigned to them)."""
    from seal_app.applications.models import Application, ApplicationKind, ApplicationStatus
    from seal_app.reviews.models import Assignment, ConflictState
    from seal_app.rounds.models import Round

    school_id = make.school(number="75098", name="Regionale Schule Heidberg")
    assessor_id = make.user_id(assessor)
    with app.app_context():
        application = Application(
            school_id=school_id,
            round_id=db.session.scalar(sa.select(Round.id)),
            kind=ApplicationKind.FIRST,
            status=ApplicationStatus.SUBMITTED,
            submitted_at=utcnow(),
        )
        assignment = Assignment(
            application=application, assessor_id=assessor_id, conflict_state=ConflictState.NONE
        )
        db.session.add(assignment)
        db.session.commit()
        return assignment.id


def _assignment_of_another_assessor(app, make, application_id: int) -> int:
    """A cleared assignment with a submitted review, of an assessor not in ``accounts``."""
    from seal_app.reviews.models import Assignment, ConflictState, Recommendation, Review

    assessor_id = make.user_id(make.user(Role.ASSESSOR, "zweitgutachter@example.org"))
    with app.app_context():
        assignment = Assignment(
            application_id=application_id,
            assessor_id=assessor_id,
            conflict_state=ConflictState.NONE,
        )
        assignment.review = Review(
            recommendation=Recommendation.AWARD, summary="Gut.", submitted_at=utcnow()
        )
        db.session.add(assignment)
        db.session.commit()
        return assignment.id


def _application_with_file(app, school_email: str) -> tuple[int, int]:
    client = app.test_client()
    login(client, school_email)
    with app.app_context():
        school_id = db.session.scalar(sa.select(School.id).where(School.school_number == "75001"))
    started = client.post("/applications/start", data={"school_id": school_id})
    application_id = int(started.headers["Location"].rsplit("/", 1)[1])
    client.post(
        f"/applications/{application_id}/criteria/A.1",
        data={
            "measures": "Konzept",
            "file_1": (io.BytesIO(samples.pdf()), "k.pdf"),
            "description_1": "Konzept",
        },
        content_type="multipart/form-data",
    )
    with app.app_context():
        file_id = db.session.scalar(sa.select(EvidenceFile.id))
    return application_id, file_id


def _answer(response) -> int | str:
    if response.status_code == 302:
        location = response.headers["Location"]
        if location.startswith("/login"):
            return LOGIN
        if location == "/":
            return HOME
    return response.status_code


def _client(app, accounts, role: str):
    """A client logged in as ``role`` (password and second factor), or anonymous."""
    client = app.test_client()
    if role != "anonymous":
        assert login(client, accounts[role]).status_code == 302
    return client


@pytest.mark.parametrize("role", ROLES)
def test_get_and_post_answers_per_role(app, accounts, ids, role):
    failures = []
    client = _client(app, accounts, role)  # one login for all routes, renewed after logout
    for endpoint, (method, url, expected) in MATRIX.items():
        response = client.open(url.format(**ids), method=method)
        if endpoint == "auth.logout":
            client = _client(app, accounts, role)
        wanted = expected[role]
        if wanted == 302 and _answer(response) in (LOGIN, HOME):
            continue  # any redirect is what the table asks for
        if _answer(response) != wanted:
            failures.append(f"{method} {url} as {role}: {_answer(response)}, expected {wanted}")
    for url, expected in POST_MATRIX.values():
        response = client.post(url.format(**ids), data={})
        refused = expected[role] in (LOGIN, 403)
        answer = _answer(response)
        if refused and answer != expected[role]:
            failures.append(f"POST {url} as {role}: {answer}, expected {expected[role]}")
        if not refused and answer in (LOGIN, 403, 404, 500):
            failures.append(f"POST {url} as {role}: refused with {answer}")
    assert not failures, "\n".join(failures)


FACTOR = "second factor"  # a redirect to the code page
# what a login with the password alone gets where anonymous visitors do not get the login page
PASSWORD_ALONE = {"twofactor.verify": 200, "auth.logout": LOGIN}


@pytest.mark.parametrize("role", ["office", "assessor"])
def test_the_password_alone_reaches_no_page_behind_the_login(app, accounts, ids, role):
    """Every route: a login still waiting for its second factor is sent to the code page
    wherever an anonymous visitor is sent to log in, and is otherwise treated as anonymous."""
    failures = []

    def password_only():
        client = app.test_client()
        response = client.post("/login", data={"email": accounts[role], "password": PASSWORD})
        assert response.headers["Location"].startswith("/login/code")
        return client

    client = password_only()
    requests = [
        (endpoint, method, url, expected) for endpoint, (method, url, expected) in MATRIX.items()
    ]
    requests += [
        (endpoint, "POST", url, expected) for endpoint, (url, expected) in POST_MATRIX.items()
    ]
    for endpoint, method, url, expected in requests:
        response = client.open(url.format(**ids), method=method, data={})
        if endpoint == "auth.logout":
            client = password_only()
        anonymous = expected["anonymous"]
        wanted = PASSWORD_ALONE.get(endpoint, FACTOR if anonymous == LOGIN else anonymous)
        answer = _answer(response)
        if response.status_code == 302 and response.headers["Location"].startswith("/login/code"):
            answer = FACTOR
        if wanted == 302 and answer in (LOGIN, HOME):
            continue  # any redirect is what the table asks for
        if answer != wanted:
            failures.append(
                f"{method} {url} as {role} with the password alone: {answer}, expected {wanted}"
            )
    assert not failures, "\n".join(failures)


def test_refused_post_changes_nothing(app, accounts, ids):
    client = app.test_client()
    login(client, accounts["school"])
    response = client.post(
        "/office/schools/new",
        data={"school_number": "12345", "name": "Eingeschmuggelt", "school_type": "gymnasium"},
    )
    assert response.status_code == 403
    with app.app_context():
        from seal_app.schools.models import School

        assert db.session.scalar(sa.select(School).where(School.name == "Eingeschmuggelt")) is None
