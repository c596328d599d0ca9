"""Benchmark: the assessor's scoring page for one criterion and the jury meeting page, through
the whole app, next to a bare Flask + Jinja page that renders the same rows from the same
database.

Writes catalogues with 10 and with 40 criteria into a temporary catalogue folder and seeds,
for each, a temporary SQLite database with an application (answers and three evidence files
per criterion), three cleared assessors with every criterion scored, their reviews, and a visit
with protocols. The scoring page is measured while the first assessor's review is still a draft
(the form an assessor works through); then that review is submitted too and the jury meeting
is measured as the office sees it. Prints requests per second of both, their ratio, and the
SQL statements per page (which must be the same for 10 and for 40 criteria).

    PYTHONPATH=. .venv/bin/python benchmarks/review_pages.py [--requests 100]
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
import time
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import sqlalchemy as sa
import yaml
from flask import Flask, render_template_string

from benchmarks.measuring import statements_for
from seal_app import create_app
from seal_app.applications.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    CriterionAnswer,
    EvidenceFile,
)
from seal_app.auth import passwords
from seal_app.auth.models import Role, User
from seal_app.catalogue import services as catalogue_services
from seal_app.catalogue.model import Catalogue
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.reviews.models import (
    Assignment,
    ConflictState,
    Recommendation,
    Review,
    Score,
    Visit,
    VisitParticipant,
    VisitProtocol,
)
from seal_app.rounds.models import Round, RoundStatus
from seal_app.schools.models import School, SchoolType

PASSWORD = "Benchmark-Passwort-2026"
ASSESSORS = 3
AREAS = "ABCDE"
# The schema wants "YYYY.N": a year no real round will use.
VERSIONS = {10: "2099.10", 40: "2099.40"}
FILES = (
    ("application/pdf", "Konzept.pdf"),
    ("image/png", "Aushang.png"),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Protokoll.docx"),
)

BARE_CRITERION = """<!doctype html><html lang="de"><head><title>{{ c.code }}</title></head>
<body><main><p>{{ row.school }} · {{ row.town }} · {{ row.round }}</p>
<h1>{{ c.code }} {{ c.title }}</h1><p>{{ scored }} von {{ total }} bewertet</p>
<section><h2>Angaben der Schule</h2><p>{{ c.description }}</p><dl>
<dt>Selbsteinschätzung</dt><dd>{{ answer.self_rating }}</dd><dt>Was die Schule tut</dt>
<dd>{{ answer.measures }}</dd><dt>Seit wann</dt><dd>{{ answer.since }}</dd>
<dt>Wer beteiligt ist</dt><dd>{{ answer.participants }}</dd><dt>Partner</dt>
<dd>{{ answer.partners }}</dd></dl><ul>{% for f in files %}<li>
<a href="/files/{{ f.id }}">{{ f.display_name }}</a> ({{ f.size }} Bytes)
<p>{{ f.description }}</p><code>{{ f.sha256 }}</code></li>{% endfor %}</ul></section>
<section><h2>Ihre Bewertung</h2><form method="post"><fieldset><legend>Ihre Stufe</legend>
{% for level in scale %}<input type="radio" name="level" id="l{{ level.value }}"
value="{{ level.value }}"{% if score and score.level == level.value %} checked{% endif %}>
<label for="l{{ level.value }}">{{ level.value }} – {{ level.label }}</label>
<div>{{ level.descriptor }}</div>{% endfor %}</fieldset>
<textarea name="comment">{{ score.comment if score else "" }}</textarea>
<input type="hidden" name="version" value="{{ score.version if score else "" }}">
<button name="action" value="next">Speichern und weiter</button></form></section>
</main></body></html>"""

BARE_CONSENSUS = """<!doctype html><html lang="de"><head><title>Jurysitzung</title></head>
<body><main><p>{{ head.school }}, {{ head.town }} · {{ head.round }}</p><h1>Jurysitzung</h1>
<table>{% for area, mean in area_means %}<tr><th>{{ area.code }}. {{ area.title }}</th>
<td>{{ mean }}</td></tr>{% endfor %}</table>
{% for r in reviews %}<h3>{{ r.name }}: {{ r.recommendation }}</h3><p>{{ r.summary }}</p>
<p>{{ r.strengths }}</p><p>{{ r.submitted_at }}</p>{% endfor %}
{% for row in rows %}<h3>{{ row.code }} {{ row.title }}</h3>{% if row.divergent %}
<p>Abweichung</p>{% endif %}<table><tr><th>Selbsteinschätzung</th>
<td>{{ row.self_rating }}</td></tr>{% for name, level, comment in row.levels %}<tr>
<th>{{ name }}</th><td>{{ level }}</td><td>{{ comment }}</td></tr>{% endfor %}
<tr><th>Mittelwert</th><td>{{ row.mean }}</td></tr></table>
<form method="post"><input type="hidden" name="criterion" value="{{ row.code }}">
<select name="level">{% for level in scale %}<option value="{{ level.value }}"
{% if level.value == row.level %} selected{% endif %}>{{ level.value }}</option>{% endfor %}
</select><textarea name="note">{{ row.note }}</textarea><button>Stufe speichern</button>
</form>{% endfor %}{% for p in protocols %}<h3>{{ p.area_code }} – {{ p.name }}</h3>
<p>{{ p.observed }}</p><p>{{ p.talked_to }}</p><p>{{ p.findings }}</p>{% endfor %}
</main></body></html>"""


# --- the catalogues ---------------------------------------------------------------------------


def catalogue_data(version: str, criteria: int) -> dict:
    """A catalogue with ``criteria`` criteria spread evenly over five areas."""
    per_area = criteria // len(AREAS)
    return {
        "version": version,
        "title": f"Benchmark-Katalog mit {criteria} Kriterien",
        "introduction": "Ein Katalog nur für die Leistungsmessung.",
        "scale": [
            {"level": value, "label": label, "descriptor": f"Beschreibung der Stufe {label}. " * 4}
            for value, label in enumerate(
                ("nicht vorhanden", "in Ansätzen", "umgesetzt", "vorbildlich verankert")
            )
        ],
        "award_rule": {
            "mandatory_min_level": 2,
            "min_share_of_maximum": 0.6,
            "description": "Jedes Pflichtkriterium mindestens Stufe 2, dazu 60 Prozent der Punkte.",
        },
        "areas": [
            {
                "code": area,
                "title": f"Bereich {area}",
                "description": f"Was zum Bereich {area} gehört.",
                "criteria": [
                    {
                        "code": f"{area}.{number}",
                        "title": f"Kriterium {area}.{number}",
                        "description": "Was die Schule hier tun sollte. " * 5,
                        "guidance": "Was die Schule dazu beschreiben sollte. " * 3,
                        "evidence": ["Konzept", "Protokoll", "Foto"],
                        "mandatory": number == 1,
                        "weight": 1 + number % 3,
                    }
                    for number in range(1, per_area + 1)
                ],
            }
            for area in AREAS
        ],
    }


def write_catalogues(folder: Path) -> None:
    for criteria, version in VERSIONS.items():
        text = yaml.safe_dump(
            catalogue_data(version, criteria), allow_unicode=True, sort_keys=False
        )
        (folder / f"{version}.yaml").write_text(text, encoding="utf-8")


# --- the rows ---------------------------------------------------------------------------------


def seed(app: Flask, version: str) -> tuple[int, int]:
    """The application and its three assessors; returns (application id, first assignment id).
    Every review is submitted except the first assessor's (a draft with every level given)."""
    with app.app_context():
        db.drop_all()
        db.create_all()
        password_hash = passwords.hash_password(PASSWORD)
        users = [User(email="buero@bench.invalid", name="Büro", role=Role.OFFICE)] + [
            User(email=f"gutachter{n}@bench.invalid", name=f"Gutachter {n}", role=Role.ASSESSOR)
            for n in range(ASSESSORS)
        ]
        for user in users:
            user.password_hash = password_hash
        db.session.add_all(users)
        catalogue_services.lock_version(version)
        application = Application(
            school=School(
                school_number="75001",
                name="Grundschule am Wall",
                school_type=SchoolType.GRUNDSCHULE,
                street="Am Wall 3",
                postal_code="18273",
                town="Güstrow",
                school_authority="Stadt Güstrow",
                district="Landkreis Rostock",
            ),
            round=Round(
                year=2099,
                title="Vergaberunde 2099",
                submission_deadline=date(2099, 3, 31),
                catalogue_version=version,
                status=RoundStatus.CLOSED,
            ),
            kind=ApplicationKind.FIRST,
            status=ApplicationStatus.IN_REVIEW,
            submitted_at=utcnow(),
        )
        db.session.add(application)
        catalogue = catalogue_services.available()[version]
        _answers_and_files(application, catalogue)
        assignments = [_assignment(application, user, catalogue) for user in users[1:]]
        assignments[0].review.submitted_at = None
        db.session.flush()
        _visit(application, assignments, catalogue)
        db.session.commit()
        return application.id, assignments[0].id


def _answers_and_files(application: Application, catalogue: Catalogue) -> None:
    for index, criterion in enumerate(catalogue.criteria):
        application.answers.append(
            CriterionAnswer(
                criterion_code=criterion.code,
                self_rating=index % 4,
                measures="Was die Schule dazu tut, in einigen Sätzen beschrieben. " * 6,
                since="2019",
                participants="Kollegium, Schülerrat, Elternrat",
                partners="Polizei Güstrow, Unfallkasse",
            )
        )
        for number, (media_type, name) in enumerate(FILES):
            stored = f"{criterion.code}-{number}"
            application.files.append(
                EvidenceFile(
                    criterion_code=criterion.code,
                    stored_name=hashlib.sha256(stored.encode()).hexdigest(),
                    display_name=f"{criterion.code} {name}",
                    description=f"Nachweis {number + 1} zu {criterion.code}",
                    media_type=media_type,
                    size=120_000 + number,
                    sha256=hashlib.sha256(name.encode()).hexdigest(),
                )
            )


def _assignment(application: Application, assessor: User, catalogue: Catalogue) -> Assignment:
    offset = int(assessor.email[9])  # gutachter<n>@...: the assessors disagree a little
    assignment = Assignment(
        application=application,
        assessor=assessor,
        due_on=date.today() + timedelta(days=30),
        conflict_state=ConflictState.NONE,
        declared_at=utcnow(),
    )
    for index, criterion in enumerate(catalogue.criteria):
        level = (index + offset) % 4
        assignment.scores.append(
            Score(criterion_code=criterion.code, level=level, comment=f"Begründung zu {level}.")
        )
    assignment.review = Review(
        recommendation=Recommendation.AWARD,
        summary="Ein überzeugendes Konzept, gut belegt.",
        strengths="Krisenteam, Übungen, Partner.",
        advice={area.code: f"Rat zu Bereich {area.code}." for area in catalogue.areas},
        submitted_at=utcnow(),
    )
    db.session.add(assignment)
    return assignment


def _visit(application: Application, assignments: list[Assignment], catalogue: Catalogue) -> None:
    visit = Visit(application=application, starts_at=utcnow() - timedelta(days=3))
    for assignment in assignments:
        visit.participants.append(VisitParticipant(assignment=assignment))
        for area in catalogue.areas:
            visit.protocols.append(
                VisitProtocol(
                    assignment=assignment,
                    area_code=area.code,
                    observed="Was wir gesehen haben.",
                    talked_to="Schülerinnen und Schüler, Kollegium",
                    findings="Feststellungen zum Bereich.",
                )
            )
    db.session.add(visit)


def submit_first_review(app: Flask, assignment_id: int) -> None:
    with app.app_context():
        db.session.get(Assignment, assignment_id).review.submitted_at = utcnow()
        db.session.commit()


# --- the bare pages ---------------------------------------------------------------------------


def bare_app(engine: sa.Engine, catalogue: Catalogue) -> Flask:
    """The same rows with nothing but Flask, Jinja and a few SQL statements per page."""
    bare = Flask("bare")

    @bare.get("/criterion/<int:assignment_id>/<code>")
    def criterion(assignment_id: int, code: str):
        with engine.connect() as connection:
            row = connection.execute(
                sa.text(
                    "SELECT a.application_id, s.name AS school, s.town, r.title AS round, "
                    "(SELECT count(*) FROM scores WHERE assignment_id = a.id "
                    "AND level IS NOT NULL) AS scored "
                    "FROM assignments a JOIN applications ap ON ap.id = a.application_id "
                    "JOIN schools s ON s.id = ap.school_id JOIN rounds r ON r.id = ap.round_id "
                    "WHERE a.id = :id"
                ),
                {"id": assignment_id},
            ).one()
            where = {"app": row.application_id, "code": code}
            answer = connection.execute(
                sa.text(
                    "SELECT * FROM criterion_answers "
                    "WHERE application_id = :app AND criterion_code = :code"
                ),
                where,
            ).one_or_none()
            files = connection.execute(
                sa.text(
                    "SELECT * FROM evidence_files WHERE application_id = :app "
                    "AND criterion_code = :code AND NOT staged ORDER BY id"
                ),
                where,
            ).all()
            score = connection.execute(
                sa.text(
                    "SELECT level, comment, version FROM scores "
                    "WHERE assignment_id = :id AND criterion_code = :code"
                ),
                {"id": assignment_id, "code": code},
            ).one_or_none()
        return render_template_string(
            BARE_CRITERION,
            c=catalogue.criterion(code),
            row=row,
            answer=answer,
            files=files,
            score=score,
            scale=catalogue.scale,
            scored=row.scored,
            total=len(list(catalogue.criteria)),
        )

    @bare.get("/consensus/<int:application_id>")
    def consensus(application_id: int):
        with engine.connect() as connection:
            return render_template_string(
                BARE_CONSENSUS, scale=catalogue.scale, **_meeting(connection, application_id)
            )

    def _meeting(connection, application_id: int) -> dict:
        where = {"app": application_id}
        head = connection.execute(
            sa.text(
                "SELECT s.name AS school, s.town, r.title AS round FROM applications ap "
                "JOIN schools s ON s.id = ap.school_id JOIN rounds r ON r.id = ap.round_id "
                "WHERE ap.id = :app"
            ),
            where,
        ).one()
        reviews = connection.execute(
            sa.text(
                "SELECT a.id, u.name, rv.recommendation, rv.summary, rv.strengths, "
                "rv.submitted_at FROM assignments a JOIN users u ON u.id = a.assessor_id "
                "JOIN reviews rv ON rv.assignment_id = a.id WHERE a.application_id = :app "
                "ORDER BY a.created_at, a.id"
            ),
            where,
        ).all()
        names = {review.id: review.name for review in reviews}
        scores: dict[str, list] = {}
        for assignment_id, code, level, comment in connection.execute(
            sa.text(
                "SELECT sc.assignment_id, sc.criterion_code, sc.level, sc.comment FROM scores sc "
                "JOIN assignments a ON a.id = sc.assignment_id WHERE a.application_id = :app "
                "ORDER BY a.created_at, a.id"
            ),
            where,
        ):
            scores.setdefault(code, []).append((names[assignment_id], level, comment))
        ratings = dict(
            connection.execute(
                sa.text(
                    "SELECT criterion_code, self_rating FROM criterion_answers "
                    "WHERE application_id = :app"
                ),
                where,
            ).all()
        )
        agreed = {
            row.criterion_code: row
            for row in connection.execute(
                sa.text("SELECT * FROM jury_levels WHERE application_id = :app"), where
            )
        }
        protocols = connection.execute(
            sa.text(
                "SELECT p.area_code, u.name, p.observed, p.talked_to, p.findings "
                "FROM visit_protocols p JOIN visits v ON v.id = p.visit_id "
                "JOIN assignments a ON a.id = p.assignment_id "
                "JOIN users u ON u.id = a.assessor_id WHERE v.application_id = :app "
                "ORDER BY p.area_code, a.id"
            ),
            where,
        ).all()
        rows = [
            _row(item, scores.get(item.code, []), ratings, agreed) for item in catalogue.criteria
        ]
        area_means = []
        for area in catalogue.areas:
            means = [row["mean"] for row in rows if row["code"].startswith(area.code + ".")]
            area_means.append((area, round(float(sum(means) / len(means)), 2)))
        return {
            "head": head,
            "reviews": reviews,
            "rows": rows,
            "area_means": area_means,
            "protocols": protocols,
        }

    def _row(item, levels: list, ratings: dict, agreed: dict) -> dict:
        given = [level for _name, level, _comment in levels]
        mean = Fraction(sum(given), len(given))
        saved = agreed.get(item.code)
        return {
            "code": item.code,
            "title": item.title,
            "self_rating": ratings.get(item.code),
            "levels": levels,
            "mean": mean,
            "divergent": max(given) - min(given) >= 2,
            "level": saved.level if saved else int(mean + Fraction(1, 2)),
            "note": saved.note if saved else "",
        }

    return bare


# --- measuring --------------------------------------------------------------------------------


def seconds_for(client, path: str, requests: int) -> float:
    started = time.perf_counter()
    for _ in range(requests):
        client.get(path)
    return time.perf_counter() - started


def requests_per_second(pages: list[tuple], requests: int, rounds: int = 10) -> list[float]:
    """Requests per second of each (client, path), measured in turns, so that other load on
    the machine falls on all of them alike."""
    for client, path in pages:  # warm up caches and templates
        for _ in range(5):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
    per_round = max(requests // rounds, 1)
    seconds = [0.0] * len(pages)
    for _ in range(rounds):
        for index, (client, path) in enumerate(pages):
            seconds[index] += seconds_for(client, path, per_round)
    return [per_round * rounds / spent for spent in seconds]


def logged_in(app: Flask, email: str):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, email
    return client


def measure_page(name, client, bare, engine, path, bare_path, criteria, requests) -> tuple:
    app_rps, bare_rps = requests_per_second([(client, path), (bare, bare_path)], requests)
    statements = statements_for(client, engine, path)
    bare_statements = statements_for(bare, engine, bare_path)
    return (name, criteria, app_rps, bare_rps, app_rps / bare_rps, statements, bare_statements)


def measure(criteria: int, requests: int, folder: Path) -> list[tuple]:
    version = VERSIONS[criteria]
    app = create_app(
        {
            "SECRET_KEY": "benchmark",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/r{criteria}.db",
            "CATALOGUE_DIR": str(folder),
            "UPLOAD_DIR": str(folder / "uploads"),
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 1024,
        }
    )
    application_id, assignment_id = seed(app, version)
    with app.app_context():
        engine = db.engine
        catalogue = catalogue_services.available()[version]
    code = list(catalogue.criteria)[1]  # one with a criterion before and after it
    bare = bare_app(engine, catalogue).test_client()
    assessor = logged_in(app, "gutachter0@bench.invalid")
    rows = [
        measure_page(
            "scoring page",
            assessor,
            bare,
            engine,
            f"/review/{assignment_id}/criteria/{code.code}",
            f"/criterion/{assignment_id}/{code.code}",
            criteria,
            requests,
        )
    ]
    submit_first_review(app, assignment_id)
    rows.append(
        measure_page(
            "jury meeting",
            logged_in(app, "buero@bench.invalid"),
            bare,
            engine,
            f"/applications/{application_id}/consensus",
            f"/consensus/{application_id}",
            criteria,
            requests,
        )
    )
    engine.dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        write_catalogues(folder)
        rows = [
            row for criteria in VERSIONS for row in measure(criteria, arguments.requests, folder)
        ]
    rows.sort(key=lambda row: (row[0] != "scoring page", row[1]))
    print(
        f"{'page':<13} {'criteria':>8} {'app req/s':>9} {'bare req/s':>10} {'ratio':>6} "
        f"{'SQL app':>7} {'SQL bare':>8}"
    )
    for page, criteria, app_rps, bare_rps, ratio, statements, bare_statements in rows:
        print(
            f"{page:<13} {criteria:>8} {app_rps:>9.0f} {bare_rps:>10.0f} {ratio:>6.2f} "
            f"{statements:>7} {bare_statements:>8}"
        )
    for page in ("scoring page", "jury meeting"):
        counts = {row[1]: row[5] for row in rows if row[0] == page}
        verdict = "equal" if len(set(counts.values())) == 1 else "NOT equal (N+1)"
        print(f"{page}: SQL statements at {' and '.join(map(str, counts))} criteria {verdict}")


if __name__ == "__main__":
    main()
