"""Benchmark: the office's school list and a school user's home page, through the whole app,
next to a bare Flask + Jinja page that renders the same rows from the same database.

Prints requests per second of both, their ratio, and the SQL statements per page, for 60 and
for 600 schools (the statement counts must not grow with the number of schools).

    .venv/bin/python benchmarks/pages.py [--requests 300]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, render_template_string

from benchmarks.measuring import statements_for
from seal_app import create_app
from seal_app.auth import passwords
from seal_app.auth.models import Role, User
from seal_app.extensions import db
from seal_app.schools.models import Position, School, SchoolMembership, SchoolType

PASSWORD = "Benchmark-Passwort-2026"
PER_PAGE = 50
BARE_LIST = """<!doctype html><html lang="de"><head><title>Schulen</title></head><body><main>
<h1>Schulen</h1><p>{{ total }} Schulen</p><table>{% for s in rows %}<tr>
<td>{{ s.school_number }}</td><td><a href="/office/schools/{{ s.id }}">{{ s.name }}</a></td>
<td>{{ s.school_type }}</td><td>{{ s.town }}</td><td>{{ s.school_authority }}</td></tr>
{% endfor %}</table></main></body></html>"""
BARE_HOME = """<!doctype html><html lang="de"><head><title>Start</title></head><body><main>
<h1>Willkommen, {{ name }}</h1>{% for s in rows %}<h2>{{ s.name }}</h2><dl><dt>Schulnummer</dt>
<dd>{{ s.school_number }}</dd><dt>Anschrift</dt><dd>{{ s.street }}, {{ s.postal_code }}
{{ s.town }}</dd><dt>Schulträger</dt><dd>{{ s.school_authority }}</dd></dl>{% endfor %}
</main></body></html>"""


def seed(app: Flask, count: int) -> None:
    types = list(SchoolType)
    with app.app_context():
        db.drop_all()
        db.create_all()
        password_hash = passwords.hash_password(PASSWORD)
        db.session.add(
            User(
                email="buero@bench.invalid",
                name="Büro",
                role=Role.OFFICE,
                password_hash=password_hash,
            )
        )
        for number in range(count):
            school = School(
                school_number=f"{70000 + number}",
                name=f"Schule {number:04d}",
                school_type=types[number % len(types)],
                street=f"Schulstraße {number}",
                postal_code="18273",
                town="Güstrow",
                school_authority="Stadt Güstrow",
                district="Landkreis Rostock",
            )
            user = User(
                email=f"schule{number}@bench.invalid",
                name=f"Lehrkraft {number}",
                role=Role.SCHOOL,
                password_hash=password_hash,
            )
            user.memberships.append(SchoolMembership(school=school, position=Position.HEAD))
            db.session.add_all([school, user])
        db.session.commit()


def bare_app(engine: sa.Engine) -> Flask:
    """The same rows with nothing but Flask, Jinja and one SQL statement per page."""
    bare = Flask("bare")

    @bare.get("/list")
    def school_list():
        with engine.connect() as connection:
            total = connection.execute(sa.text("SELECT count(*) FROM schools")).scalar()
            rows = connection.execute(
                sa.text(
                    "SELECT id, school_number, name, school_type, town, school_authority "
                    "FROM schools ORDER BY name, school_number LIMIT :n"
                ),
                {"n": PER_PAGE},
            ).all()
        return render_template_string(BARE_LIST, rows=rows, total=total)

    @bare.get("/home")
    def home():
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT s.* FROM schools s JOIN school_memberships m ON m.school_id = s.id "
                    "JOIN users u ON u.id = m.user_id WHERE u.email = 'schule0@bench.invalid'"
                )
            ).all()
        return render_template_string(BARE_HOME, rows=rows, name="Lehrkraft 0")

    return bare


def requests_per_second(client, path: str, requests: int) -> float:
    for _ in range(10):  # warm up caches and templates
        assert client.get(path).status_code == 200, path
    started = time.perf_counter()
    for _ in range(requests):
        client.get(path)
    return requests / (time.perf_counter() - started)


def measure(count: int, requests: int, folder: Path) -> list[tuple]:
    app = create_app(
        {
            "SECRET_KEY": "benchmark",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/b{count}.db",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SCHOOLS_PER_PAGE": PER_PAGE,
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 1024,
        }
    )
    seed(app, count)
    with app.app_context():
        engine = db.engine
    office, school = app.test_client(), app.test_client()
    office.post("/login", data={"email": "buero@bench.invalid", "password": PASSWORD})
    school.post("/login", data={"email": "schule0@bench.invalid", "password": PASSWORD})
    bare = bare_app(engine).test_client()
    rows = []
    for page, client, path, bare_path in (
        ("office school list", office, "/office/schools/", "/list"),
        ("school home page", school, "/", "/home"),
    ):
        app_rps = requests_per_second(client, path, requests)
        bare_rps = requests_per_second(bare, bare_path, requests)
        statements = statements_for(client, engine, path)
        bare_statements = statements_for(bare, engine, bare_path)
        rows.append(
            (count, page, app_rps, bare_rps, app_rps / bare_rps, statements, bare_statements)
        )
    engine.dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        rows = [
            row for count in (60, 600) for row in measure(count, arguments.requests, Path(folder))
        ]
    print(
        f"{'schools':>7}  {'page':<19} {'app req/s':>9} {'bare req/s':>10} {'ratio':>6} "
        f"{'SQL app':>7} {'SQL bare':>8}"
    )
    for count, page, app_rps, bare_rps, ratio, statements, bare_statements in rows:
        print(
            f"{count:>7}  {page:<19} {app_rps:>9.0f} {bare_rps:>10.0f} {ratio:>6.2f} "
            f"{statements:>7} {bare_statements:>8}"
        )


if __name__ == "__main__":
    main()
