"""Shared fixtures: one app and database for the session, emptied after every test.

The database is SQLite in a temporary folder, or the PostgreSQL database named by
``SEAL_TEST_DATABASE_URL`` (``.ci/with-postgres`` sets it).
"""

from __future__ import annotations

import asyncio
import os
import re

import pytest
import sqlalchemy as sa

from seal_app import create_app
from seal_app.auth import passwords
from seal_app.auth.models import Role, User
from seal_app.certificates.signing import make_self_signed
from seal_app.extensions import db, limiter
from seal_app.schools.models import Position, School, SchoolMembership, SchoolType
from seal_app.twofactor.services import REQUIRED_ROLES
from tests import parallel, two_factor
from tests.log_capture import LOG_FILE, _app_log_file  # noqa: F401  (every test run's log lines)

PASSWORD = "Kastanienbaum-Regenjacke-42"
RELAXED_LIMIT = "10000 per minute"


def pytest_configure(config):
    parallel.name_the_run()
    parallel.use_own_database()


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hook: a worker has ended
def pytest_testnodedown(node, error):
    parallel.database_of_worker(node.config, node)


def pytest_sessionfinish(session):
    parallel.gather_logs(LOG_FILE)


def _database_url(tmp_path_factory) -> str:
    return os.environ.get("SEAL_TEST_DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('database') / 'seal_test.sqlite'}"
    )


def pytest_collection_modifyitems(config, items):
    """Leave tests that need a PostgreSQL server out of a SQLite run (deselected, not skipped:
    SQLite has no server whose connections could end)."""
    if parallel.on_postgresql():
        return
    kept = [item for item in items if "postgresql_only" not in item.keywords]
    left_out = [item for item in items if "postgresql_only" in item.keywords]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    signing_dir = tmp_path_factory.mktemp("signing")
    key_file, cert_file = signing_dir / "key.pem", signing_dir / "cert.pem"
    make_self_signed(key_file, cert_file, "Gütesiegel Testsignatur")
    app = create_app(
        {
            "SIGNING_KEY_FILE": str(key_file),
            "SIGNING_CERT_FILE": str(cert_file),
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory),
            "WTF_CSRF_ENABLED": False,
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 1024,
            "LOGIN_LIMIT_PER_ADDRESS": RELAXED_LIMIT,
            "LOGIN_LIMIT_PER_ACCOUNT": RELAXED_LIMIT,
            "REGISTER_LIMIT_PER_ADDRESS": RELAXED_LIMIT,
            "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
            "PRINT_DIR": str(tmp_path_factory.mktemp("print")),
            "EVIDENCE_ZIP_DIR": str(tmp_path_factory.mktemp("evidence-zips")),
            "CREDENTIAL_KEY_DIR": str(tmp_path_factory.mktemp("credential-keys")),
            "TASK_QUEUE_IMMEDIATE": True,  # tasks run in the request; one test runs a worker
            "PUBLIC_BASE_URL": "https://siegel.example.org",
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
    two_factor.use_app(app)
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def _report_database(app, record_testsuite_property, pytestconfig):
    """Name the database in the JUnit report, so CI can tell that PostgreSQL really ran."""
    with app.app_context():
        dialect = db.engine.dialect.name
    if parallel.worker() is None:
        record_testsuite_property("database", dialect)
    else:
        parallel.report_database(pytestconfig, dialect)


@pytest.fixture(autouse=True)
def _no_browser_loop_outside_browser_tests(request):
    """Between browser tests Playwright's event loop stays marked as running in this thread, and
    asyncio.run() (pyHanko signing and validating) refuses to start inside it. A test that is
    not a browser test runs without that mark, whichever tests ran before it in this process."""
    left = asyncio._get_running_loop()
    if left is None or "e2e" in request.keywords:
        yield
        return
    asyncio._set_running_loop(None)
    try:
        yield
    finally:
        asyncio._set_running_loop(left)


@pytest.fixture(autouse=True)
def _empty_database_after_test(app):
    yield
    with app.app_context():
        db.session.remove()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
    limiter.reset()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Factory:
    """Creates rows directly in the database and returns plain values."""

    def __init__(self, app):
        self.app = app
        self._count = 0

    def school(self, number: str | None = None, name: str | None = None, **values) -> int:
        self._count += 1
        with self.app.app_context():
            school = School(
                school_number=number or f"{90000 + self._count}",
                name=name or f"Testschule {self._count}",
                school_type=values.pop("school_type", SchoolType.GRUNDSCHULE),
                street=values.pop("street", "Schulweg 1"),
                postal_code=values.pop("postal_code", "18273"),
                town=values.pop("town", "Güstrow"),
                school_authority=values.pop("school_authority", "Stadt Güstrow"),
                district=values.pop("district", "Landkreis Rostock"),
                **values,
            )
            db.session.add(school)
            db.session.commit()
            return school.id

    def user(
        self,
        role: Role,
        email: str | None = None,
        school_ids: tuple[int, ...] = (),
        password: str | None = PASSWORD,
        enabled: bool = True,
        name: str = "Erika Mustermann",
        second_factor: bool | None = None,
    ) -> str:
        """A user; office and assessor accounts with the authenticator app of
        ``tests.two_factor`` set up (``second_factor=False``: none yet, True: for any role)."""
        self._count += 1
        email = email or f"{role.value}{self._count}@example.org"
        with self.app.app_context():
            user = User(
                email=email,
                name=name,
                role=role,
                is_enabled=enabled,
                password_hash=passwords.hash_password(password) if password else None,
            )
            for school_id in school_ids:
                user.memberships.append(
                    SchoolMembership(
                        school=db.session.get(School, school_id), position=Position.HEAD
                    )
                )
            db.session.add(user)
            if second_factor or (second_factor is None and role in REQUIRED_ROLES):
                two_factor.enrol(user)
            db.session.commit()
        return email

    def user_id(self, email: str) -> int:
        with self.app.app_context():
            return db.session.scalar(sa.select(User.id).where(User.email == email))


@pytest.fixture
def make(app) -> Factory:
    return Factory(app)


@pytest.fixture
def accounts(make) -> dict[str, str]:
    """One user per role (e-mail by role name) and their school."""
    school_id = make.school(number="75001", name="Grundschule am Wall")
    return {
        "school": make.user(Role.SCHOOL, "schule@example.org", school_ids=(school_id,)),
        "assessor": make.user(Role.ASSESSOR, "gutachter@example.org"),
        "office": make.user(Role.OFFICE, "buero@example.org"),
    }


def login(client, email: str, password: str = PASSWORD):
    """Log in with the password and, where the account has one, a current code of its app."""
    response = client.post("/login", data={"email": email, "password": password})
    return two_factor.complete_login(client, response, email)


def text_of(response) -> str:
    """The visible text of an HTML response, tags removed and white space folded."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def mail_server(app):
    """Mail on: the app sends to a real SMTP server on loopback; yields its inbox."""
    from seal_app.extensions import mail
    from tests.mail_server import Inbox, start

    inbox = Inbox()
    controller = start(inbox)
    saved = {key: app.config[key] for key in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_USE_TLS=False)
    mail.init_app(app)
    yield inbox
    controller.stop()
    app.config.update(saved)
    mail.init_app(app)
