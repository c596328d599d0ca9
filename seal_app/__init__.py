"""seal_app: the school safety seal „Sicherheit macht Schule“, from application to certificate."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from seal_app.config import load_config


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: configuration, database, extensions, catalogue, blueprints, CLI.

    The modules are imported in here and in the helpers below, not at the top: importing any
    ``seal_app.x`` runs this package's module first, which must therefore not import them back.
    """
    app = Flask(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    load_config(app, test_config)
    Path(app.config["UPLOAD_DIR"]).mkdir(parents=True, exist_ok=True)
    Path(app.config["PRINT_DIR"]).mkdir(parents=True, exist_ok=True)

    hops = int(app.config["PROXY_FIX_HOPS"])
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    from seal_app import security
    from seal_app.drafts import guard

    security.register_request_guards(app)  # before CSRFProtect reads the body
    guard.register_request_guards(app)  # keeps a form's text before CSRFProtect refuses it
    security.hide_secret_links_in_request_logs()
    _init_extensions(app)
    _load_catalogue(app)
    _check_signing(app)
    _check_credential_keys(app)
    _register_blueprints(app)

    from seal_app import (
        cli,
        errors,
        formatting,
        forms,
        navigation,
        operations,
        retention,
        static_files,
        tasks,
    )

    retention.init_app(app)  # marks its weekly task, so before tasks.init_app
    operations.init_app(app)  # logs, metrics, /readyz; its sweeper task too
    tasks.init_app(app)  # after the blueprints: their modules mark the background tasks

    errors.register(app)
    formatting.register(app)
    forms.register(app)
    navigation.register(app)
    security.register(app)
    static_files.register(app)
    cli.register(app)
    return app


def _init_extensions(app: Flask) -> None:
    from seal_app import database, i18n, models  # noqa: F401  (models: register all tables)
    from seal_app.auth import login
    from seal_app.extensions import babel, csrf, db, limiter, mail, migrate

    db.init_app(app)
    database.configure_engine_events()
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    _warn_if_limits_are_per_process(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    mail.init_app(app)
    i18n.register(app)
    login.init_app(app)


def _warn_if_limits_are_per_process(app: Flask) -> None:
    """With ``memory://`` every gunicorn worker counts logins and requests on its own, so a
    limit of 5 becomes 5 per worker: say so where operators look."""
    storage = app.config["RATELIMIT_STORAGE_URI"]
    if storage.startswith("memory://") and os.environ.get("SERVER_SOFTWARE", "").startswith(
        "gunicorn"
    ):
        app.logger.warning(
            "Rate limits are stored in memory: each worker process counts on its own. "
            "Set SEAL_RATELIMIT_STORAGE_URI=redis://... to share them."
        )


def _load_catalogue(app: Flask) -> None:
    from seal_app.catalogue import services
    from seal_app.catalogue.loader import CatalogueError

    try:
        services.init_app(app)
    except CatalogueError as error:
        # Refuse to start, naming every broken file and line.
        raise SystemExit(f"Der Kriterienkatalog ist fehlerhaft:\n{error}") from error


def _check_signing(app: Flask) -> None:
    from seal_app.certificates.signing import SigningError, check_configuration

    try:
        check_configuration(app)
    except SigningError as error:
        # Refuse to start, naming the setting.
        raise SystemExit(f"Der Signaturschlüssel ist fehlerhaft: {error}") from error


def _check_credential_keys(app: Flask) -> None:
    from seal_app.credentials.keys import CredentialKeyError, check_configuration

    try:
        check_configuration(app)
    except CredentialKeyError as error:
        raise SystemExit(
            f"Ein Schlüssel der digitalen Nachweise ist fehlerhaft: {error}"
        ) from error


def _register_blueprints(app: Flask) -> None:
    from seal_app import views
    from seal_app.accounts.routes import bp as accounts_bp
    from seal_app.applications.office_routes import office as office_applications_bp
    from seal_app.applications.routes import bp as applications_bp
    from seal_app.audit.routes import bp as audit_bp
    from seal_app.auth.routes import bp as auth_bp
    from seal_app.catalogue.office_routes import bp as catalogue_versions_bp
    from seal_app.catalogue.routes import bp as catalogue_bp
    from seal_app.certificates.paper_routes import bp as paper_seals_bp
    from seal_app.certificates.print_routes import bp as printing_bp
    from seal_app.certificates.public_routes import bp as public_seals_bp
    from seal_app.certificates.revocation_routes import bp as revocation_bp
    from seal_app.certificates.routes import bp as decisions_bp
    from seal_app.credentials.routes import bp as credentials_bp
    from seal_app.dashboard.routes import bp as dashboard_bp
    from seal_app.drafts.routes import bp as session_bp
    from seal_app.exports.routes import bp as exports_bp
    from seal_app.main.routes import bp as main_bp
    from seal_app.notifications.routes import bp as notifications_bp
    from seal_app.reviews.jury_routes import bp as jury_bp
    from seal_app.reviews.office_routes import bp as review_office_bp
    from seal_app.reviews.round_conflict_routes import bp as round_conflicts_bp
    from seal_app.reviews.routes import bp as reviews_bp
    from seal_app.reviews.submission_routes import bp as review_submission_bp
    from seal_app.rounds.routes import bp as rounds_bp
    from seal_app.schools.routes import bp as schools_bp
    from seal_app.twofactor.routes import bp as twofactor_bp

    views.register(app)  # bounded ids in URLs, before any route is added
    for blueprint in (
        main_bp,
        auth_bp,
        accounts_bp,
        schools_bp,
        rounds_bp,
        catalogue_bp,
        catalogue_versions_bp,
        audit_bp,
        applications_bp,
        office_applications_bp,
        review_office_bp,
        review_submission_bp,
        decisions_bp,
        printing_bp,
        revocation_bp,
        paper_seals_bp,
        exports_bp,
        public_seals_bp,
        credentials_bp,
        notifications_bp,
        jury_bp,
        reviews_bp,
        round_conflicts_bp,
        dashboard_bp,
        session_bp,
        twofactor_bp,
    ):
        app.register_blueprint(blueprint)
