"""A short discussion of the jury in the demo: on the application whose reviews are in, both
assessors and the office talk about the criterion two levels apart. The thread opens only once
an assessor's own review is in, so its comments come after both reviews were submitted."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from seal_app.applications.models import Application
from seal_app.auth.models import User
from seal_app.extensions import db
from seal_app.local_time import local_today, local_zone
from seal_app.reviews.discussion_models import DiscussionComment

# (whose e-mail, minutes after the later review was submitted, text)
COMMENTS = (
    (
        "gutachter@demo.invalid",
        25,
        "Bei B.2 liegen wir zwei Stufen auseinander. Ich habe den Mobbing-Leitfaden gesehen, "
        "aber keine Auswertung der Fälle. Deshalb meine niedrigere Stufe.",
    ),
    (
        "gutachterin2@demo.invalid",
        85,
        "Beim Besuch hat die Schulleitung die Fallauswertung im Ordner gezeigt; sie fehlt nur "
        "in den hochgeladenen Nachweisen.\nIch schlage vor, dass wir uns in der Sitzung "
        "auf die mittlere Stufe einigen.",
    ),
    (
        "buero@demo.invalid",
        145,
        "Danke. Wir nehmen B.2 als ersten Punkt in die Jurysitzung und tragen die vereinbarte "
        "Stufe mit Begründung ein.",
    ),
)


def review_times() -> tuple[datetime, datetime]:
    """When the demo's two reviews were submitted: yesterday after the morning's visit."""
    day = local_today() - timedelta(days=1)
    first = datetime.combine(day, time(12, 40), local_zone())
    return first, first + timedelta(minutes=35)


def seed_discussion(application: Application, users: dict[str, User]) -> None:
    """The three comments after both reviews, already announced (the demo sends no mail)."""
    reviews_in = max(review_times())
    for email, minutes, text in COMMENTS:
        author = users[email]
        written = reviews_in + timedelta(minutes=minutes)
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
