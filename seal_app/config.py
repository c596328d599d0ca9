"""Configuration: defaults here, then ``instance/config.py``, then ``SEAL_*`` environment variables.

Environment variables use Flask's prefixed form: ``SEAL_PUBLIC_BASE_URL=https://...`` sets
``PUBLIC_BASE_URL``. ``SEAL_DATABASE_URL`` is the one short alias, for the database URL.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

MEGABYTE = 1024 * 1024
FILES_PER_FORM = 3  # upload places on a criterion page
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class DefaultConfig:
    """Safe defaults for a local installation with SQLite in the instance folder."""

    SQLALCHEMY_DATABASE_URI: str | None = None  # None: SQLite file in the instance folder
    # No pre-ping round trip per request: seal_app.database replaces connections the server
    # closed at checkout; recycling renews any the network dropped silently.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_recycle": 1800}
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"
    DISTRICT_NAME = "Landkreis Rostock"
    OFFICE_NAME = "Büro für Gleichstellung und Kriminalprävention"
    # The office's contact details: footer, contact hints, receipts, legal pages.
    OFFICE_ADDRESS = "Landkreis Rostock\nAugust-Bebel-Straße 3\n18209 Bad Doberan"
    OFFICE_PHONE = "03843 755-0"
    OFFICE_EMAIL = "praevention@landkreis-rostock.de"
    # Legal pages. ``impressum.html`` / ``datenschutz.html`` in LEGAL_PAGES_DIR (None: the
    # instance folder), written by the operator as trusted HTML, replace the default texts.
    LEGAL_PAGES_DIR: str | None = None
    IMPRINT_REPRESENTED_BY = "den Landrat"
    IMPRINT_SUPERVISORY_AUTHORITY = (
        "Ministerium für Inneres, Bau und Digitalisierung Mecklenburg-Vorpommern"
    )
    DATA_PROTECTION_OFFICER = "Behördliche Datenschutzbeauftragte des Landkreises Rostock"
    DATA_PROTECTION_OFFICER_EMAIL = "datenschutz@landkreis-rostock.de"
    DATA_PROTECTION_AUTHORITY = (
        "Der Landesbeauftragte für Datenschutz und Informationsfreiheit Mecklenburg-Vorpommern\n"
        "Werderstraße 74a\n19055 Schwerin\ninfo@datenschutz-mv.de"
    )
    ACCESSIBILITY_ENFORCEMENT_BODY = (
        "Der Bürgerbeauftragte des Landes Mecklenburg-Vorpommern\nwww.buergerbeauftragter-mv.de"
    )
    # When the accessibility statement was last made or checked (ISO date, YYYY-MM-DD).
    ACCESSIBILITY_STATEMENT_DATE = "2026-12-06"
    CATALOGUE_DIR = str(PROJECT_ROOT / "criteria")
    UPLOAD_DIR: str | None = None  # None: instance/uploads

    # Uploads (evidence files): per file, per application; the request limit follows from them.
    UPLOAD_MAX_FILE_BYTES = 20 * MEGABYTE
    UPLOAD_MAX_APPLICATION_BYTES = 200 * MEGABYTE
    VISIT_PHOTO_MAX_BYTES = 10 * MEGABYTE  # a photo of an on-site visit
    MAX_CONTENT_LENGTH: int | None = None  # None: room for every file of a form, plus 1 MB
    MAX_FORM_MEMORY_SIZE = 1 * MEGABYTE
    MAX_FORM_BYTES = 1 * MEGABYTE  # whole request body of a form without files

    # Sessions and cookies
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "seal_session"
    SESSION_COOKIE_SECURE: bool | None = None  # None: True when PUBLIC_BASE_URL is https
    # Idle lifetime: a session unused this long (seconds) ends, in the cookie and on the server.
    PERMANENT_SESSION_LIFETIME = 8 * 60 * 60
    # Absolute lifetime: every session ends this many hours after login, however busy.
    SESSION_ABSOLUTE_HOURS = 10
    WTF_CSRF_TIME_LIMIT = 8 * 60 * 60
    # A form's text sent after its login ended is kept this long for its owner (and a form's
    # draft token is valid this long).
    DRAFT_KEEP_HOURS = 24

    # Passwords and one-time links
    PASSWORD_MIN_LENGTH = 10
    PASSWORD_MIN_STRENGTH = 3  # zxcvbn score 0..4
    PASSWORD_LINK_HOURS = 72
    PASSWORD_RESET_HOURS = 2  # a link from „Passwort vergessen?“
    # „Passwort vergessen?“: requests per address, and mails per account (more are answered
    # the same way, but send nothing)
    RESET_LIMIT_PER_ADDRESS = "10 per hour"
    RESET_MAILS_PER_ACCOUNT_PER_HOUR = 3

    # Rate limits (Flask-Limiter); use a shared storage such as redis:// with several workers.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Redis gone: every process counts on its own until Redis answers again (checked within
    # a minute), so the login limit holds, looser by the number of processes (README)
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # Logins: failed attempts per address; failed password checks per account AND address, so
    # that nobody elsewhere can lock an owner out (also for the change-password page).
    LOGIN_LIMIT_PER_ADDRESS = "30 per 10 minutes"
    LOGIN_LIMIT_PER_ACCOUNT = "5 per 15 minutes"
    # Wrong second-factor codes per account, from any address (whoever tries has the password).
    SECOND_FACTOR_LIMIT_PER_ACCOUNT = "5 per 15 minutes"
    # Revoking, releasing, changing roles, exports with personal data: the password or a
    # factor given within this many minutes.
    REAUTH_MINUTES = 10
    # The passkeys' relying-party id; None: the host of PUBLIC_BASE_URL.
    WEBAUTHN_RP_ID: str | None = None
    # Access requests: accepted ones per address (a school's staff share one address, so
    # room for a whole school team in a day), and a cap on all attempts against floods.
    REGISTER_LIMIT_PER_ADDRESS = "20 per day"
    REGISTER_FLOOD_LIMIT_PER_ADDRESS = "60 per hour"
    SECURITY_LOG_PER_PAGE = 50

    # Languages: German first, English selectable
    LANGUAGES = ("de", "en")
    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"

    SCHOOLS_PER_PAGE = 50

    # Review: assessors per application (the proposal fills up to this number of assessors
    # without a conflict), and the default due date when the round sets no review date.
    ASSESSORS_PER_APPLICATION = 2
    REVIEW_DUE_DAYS = 28
    AUDIT_ENTRIES_PER_PAGE = 50
    # Exports: the longest period of the audit log exported at once, in days.
    EXPORT_AUDIT_MAX_DAYS = 366

    # Certificates (Urkunden): valid this many years from the award; signed (PAdES) with this
    # key and certificate (PEM files; None: instance/signing/key.pem and cert.pem, which
    # ``flask seal demo`` creates as a self-signed pair). Names on the certificate come from
    # here: the issuing bodies and up to three signatories (name, title).
    CERTIFICATE_VALID_YEARS = 5
    SIGNING_KEY_FILE: str | None = None
    SIGNING_CERT_FILE: str | None = None
    # PAdES: the certificates above the signing certificate (PEM, embedded and trusted when the
    # validation data is gathered); a time-stamping authority (RFC 3161) makes the signatures
    # B-T/B-LT, its root certificate(s) in TSA_ROOTS_FILE. No TSA: PAdES B-B.
    SIGNING_CHAIN_FILE: str | None = None
    TSA_URL: str | None = None
    TSA_ROOTS_FILE: str | None = None
    TSA_TIMEOUT_SECONDS = 10
    CERTIFICATE_ISSUERS = "Landkreis Rostock · Kommunaler Präventionsrat"
    CERTIFICATE_SIGNATORIES = (
        ("Maria Muster", "Landrätin des Landkreises Rostock"),  # examples: set the real ones
        ("Jan Beispiel", "Vorsitzender des Kommunalen Präventionsrates"),
    )
    VERIFY_LIMIT_PER_ADDRESS = "60 per minute"
    VERIFY_UPLOAD_MAX_BYTES = 20 * MEGABYTE
    # Open Badges credentials: signed with the keys key-<n>.pem (P-256) in this folder (None:
    # instance/credential-keys); the newest signs, all are published in did.json.
    CREDENTIAL_KEY_DIR: str | None = None
    CREDENTIAL_CHECK_MAX_BYTES = 1 * MEGABYTE  # a pasted credential or a baked badge

    # E-mail (Flask-Mail), sent by the task queue through the outbox. No server: mail is off
    # (nothing is written; the office hands set-password links over itself).
    MAIL_SERVER: str | None = None
    MAIL_PORT = 587
    MAIL_USE_TLS = True
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "Gütesiegel Sicherheit macht Schule <noreply@landkreis-rostock.de>"
    MAIL_REPLY_TO: str | None = None  # None: OFFICE_EMAIL
    MAIL_SUPPRESS_SEND = False  # also in tests: they send to a real SMTP server on loopback
    MAIL_MAX_ATTEMPTS = 6  # then a message that could not be sent counts as failed
    MAIL_RETRY_PAUSE_SECONDS = 300  # times the attempts so far: 5, 10, 15, ... minutes
    MAIL_TIMEOUT_SECONDS = 30  # the worker gives up on a mail server that does not answer
    VISIT_DURATION_MINUTES = 180  # the end of a visit in the calendar entry mailed for it
    # Reminders, sent each morning by the worker: days before the submission deadline (to
    # schools with a draft), days before a review is due (to the assessor), months before a
    # seal ends (to the school, a copy to the office).
    DEADLINE_REMINDER_DAYS = (14, 3)
    REVIEW_REMINDER_DAYS = 3
    SEAL_EXPIRY_REMINDER_MONTHS = (12, 3)

    # Task queue (Huey) for work outside the web request, such as printing a whole round:
    # None keeps it in a SQLite file in the instance folder; redis://host:port/db in production.
    # Immediate runs every task at once in the web process (tests only).
    TASK_QUEUE_URL: str | None = None
    TASK_QUEUE_IMMEDIATE = False
    PRINT_DIR: str | None = None  # None: instance/print (printed rounds, one PDF and one ZIP)
    # All evidence of an application as one ZIP: up to these totals it is made during the
    # request; larger ones by the task queue, kept in EVIDENCE_ZIP_DIR (None:
    # instance/evidence-zips) for the person who asked, removed this many hours after.
    EVIDENCE_ZIP_DIRECT_MAX_FILES = 200
    EVIDENCE_ZIP_DIRECT_MAX_BYTES = 50 * MEGABYTE
    EVIDENCE_ZIP_DIR: str | None = None
    EVIDENCE_ZIP_KEEP_HOURS = 24

    # Behind a reverse proxy: how many proxies set X-Forwarded-For/-Proto/-Host (0: none).
    # Needed so that rate limits see the client's address and https is recognised.
    PROXY_FIX_HOPS = 0

    LOG_FORMAT = "json"  # one JSON object per line on standard error; "plain": Flask's own
    METRICS_ALLOWED_NETWORKS = "127.0.0.1/32,::1/128"  # comma-separated; others get 404
    METRICS_TOKEN: str | None = None  # or: Authorization: Bearer <token> from anywhere
    READY_MIN_FREE_BYTES = 500 * MEGABYTE  # in the upload and the print folder each
    READY_MAX_QUEUE_LAG_SECONDS = 30 * 60  # oldest due message or quiet print job
    PRINT_JOB_LEASE_SECONDS = 120  # a print job without progress this long is started again

    # Backups (``flask seal backup`` / ``restore``) of a PostgreSQL database use these
    # programs from Debian's postgresql-client (their version must not be older than the server).
    BACKUP_PG_DUMP = "pg_dump"
    BACKUP_PG_RESTORE = "pg_restore"
    # A restore refuses an archive that would unpack to more than this (database copy and
    # stored files together), before writing anything: an archive cannot fill the disk.
    RESTORE_MAX_BYTES = 16 * 1024 * MEGABYTE

    # Data retention (DSGVO): ``flask seal retention [--dry-run]`` and, when RETENTION_ENABLED,
    # the worker's weekly task (Sundays 03:30) delete what these periods make due; the
    # Datenschutzerklärung names them. Evidence files (and the votes they document) of a decided
    # application: this many months after the seal's validity ends (the certificate's
    # valid_until), or after a decision not to award (decided_at). The application, decision,
    # receipts and certificate stay. Declined access requests: days after the decision.
    # Security log (security_events): days after each entry. E-mail outbox (outbox_messages:
    # recipient, subject, text): days after a message was written, once it is sent or failed;
    # waiting messages are never deleted.
    RETENTION_ENABLED = False
    RETENTION_EVIDENCE_AFTER_SEAL_MONTHS = 12
    RETENTION_EVIDENCE_AFTER_REFUSAL_MONTHS = 12
    RETENTION_DECLINED_REQUESTS_DAYS = 90
    RETENTION_SECURITY_LOG_DAYS = 90
    RETENTION_OUTBOX_DAYS = 180
    # Audit log: entries older than this many days are deleted by the same run; an entry about
    # a decision or a certificate stays while that school holds a certificate still valid.
    # Ten years: beyond the five of a seal, as long as a certificate may be asked about.
    AUDIT_RETENTION_DAYS = 3650
    # Measuring capacity: every answer carries ``Server-Timing: cpu;dur=…, db;dur=…;desc="n
    # queries"`` (the request's CPU milliseconds and its SQL statements). Off in production.
    SERVER_TIMING = False


def load_config(app, test_config: dict | None) -> None:
    """Fill ``app.config`` in order: defaults, instance file, environment, test overrides."""
    app.config.from_object(DefaultConfig)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("SEAL")
    if os.environ.get("SEAL_DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["SEAL_DATABASE_URL"]
    if test_config:
        app.config.from_mapping(test_config)
    _derive_settings(app)


def _derive_settings(app) -> None:
    config = app.config
    instance = Path(app.instance_path)
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'seal_app.sqlite'}"
    if not config.get("UPLOAD_DIR"):
        config["UPLOAD_DIR"] = str(instance / "uploads")
    if not config.get("PRINT_DIR"):
        config["PRINT_DIR"] = str(instance / "print")
    if not config.get("EVIDENCE_ZIP_DIR"):
        config["EVIDENCE_ZIP_DIR"] = str(instance / "evidence-zips")
    if not config.get("SIGNING_KEY_FILE"):
        config["SIGNING_KEY_FILE"] = str(instance / "signing" / "key.pem")
    if not config.get("SIGNING_CERT_FILE"):
        config["SIGNING_CERT_FILE"] = str(instance / "signing" / "cert.pem")
    if not config.get("CREDENTIAL_KEY_DIR"):
        config["CREDENTIAL_KEY_DIR"] = str(instance / "credential-keys")
    if not config.get("MAX_CONTENT_LENGTH"):
        files = FILES_PER_FORM * config["UPLOAD_MAX_FILE_BYTES"]
        config["MAX_CONTENT_LENGTH"] = files + MEGABYTE
    if config.get("SESSION_COOKIE_SECURE") is None:
        config["SESSION_COOKIE_SECURE"] = config["PUBLIC_BASE_URL"].startswith("https://")
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _instance_secret_key(instance)


def _instance_secret_key(instance: Path) -> str:
    """Read the secret key kept in the instance folder, creating it on first run."""
    key_file = instance / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key)
    return key
