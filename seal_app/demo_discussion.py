"""A short discussion of the jury in the demo: on the application whose reviews are in, both
assessors and the office talk about the criterion two levels apart."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from seal_app.applications.models import Application
from seal_app.auth.models import User
from seal_app.extensions import db
from seal_app.local_time import local_today, local_zone
from seal_app.reviews.discussion_models import DiscussionComment

# (whose e-mail, hour of yesterday in local time, text)
COMMENTS = (
    (
        "gutachter@demo.invalid",
        14,
        "Bei B.2 liegen wir zwei Stufen auseinander. Ich habe den Mobbing-Leitfaden gesehen, "
        "aber keine Auswertung der Fälle. Deshalb meine niedrigere Stufe.",
    ),
    (
        "gutachterin2@demo.invalid",
        15,
        "Beim Besuch hat die Schulleitung die Fallauswertung im Ordner gezeigt; sie fehlt nur "
        "in den hochgeladenen Nachweisen.\nIch schlage vor, dass wir uns in der Sitzung "
        "auf die mittlere Stufe einigen.",
    ),
    (
        "buero@demo.invalid",
        16,
        "Danke. Wir nehmen B.2 als ersten Punkt in die Jurysitzung und tragen die vereinbarte "
        "Stufe mit Begründung ein.",
    ),
)


def seed_discussion(application: Application, users: dict[str, User]) -> None:
    """The three comments, already announced (the demo sends no mail about them)."""
    day = local_today() - timedelta(days=1)
    for email, hour, text in COMMENTS:
        author = users[email]
        written = datetime.combine(day, time(hour, 5), local_zone())
        db.session.add(
            DiscussionComment(
                application=application,
                author=author,
                author_role=author.role,
                body=text,
                created_at=written,
                announced_at=written,
            )
        )
