"""A round with many issued certificates, made directly (signing once, not once per school),
for the tests of printing a whole round."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from seal_app.applications.models import Application, ApplicationKind, ApplicationStatus
from seal_app.certificates import signing
from seal_app.certificates.document import CertificateText, certificate_pdf
from seal_app.certificates.models import Certificate
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.rounds.services import create_round
from seal_app.uploads.store import UploadBatch

ISSUED_ON = date(2026, 11, 20)


@dataclass
class PrintedRound:
    round_id: int
    year: int
    numbers: list[str]
    schools: list[str]
    sha256: dict[str, str]  # number -> recorded hash


def round_with_certificates(app, make, count: int, year: int = 2026) -> PrintedRound:
    """``count`` awarded applications of one round, each with a stored, signed certificate."""
    school_ids = [
        make.school(number=f"7{index:04d}", name=f"Grundschule Nr. {index} „Müritzblick“")
        for index in range(1, count + 1)
    ]
    with app.app_context():
        round_ = create_round(year, date(year, 6, 30), "2026.1", None)
        data = signing.sign(certificate_pdf(_text("0000-000", "Muster")))
        numbers, schools, hashes = [], [], {}
        with UploadBatch() as batch:
            for index, school_id in enumerate(school_ids, start=1):
                application = Application(
                    school_id=school_id,
                    round_id=round_.id,
                    kind=ApplicationKind.FIRST,
                    status=ApplicationStatus.AWARDED,
                    submitted_at=utcnow(),
                )
                db.session.add(application)
                db.session.flush()
                number = f"{year}-{index:03d}"
                stored = batch.save_generated(data, f"Urkunde-{number}.pdf", "application/pdf")
                name = f"Grundschule Nr. {index} „Müritzblick“"
                db.session.add(
                    Certificate(
                        number=number,
                        application_id=application.id,
                        school_name=name,
                        school_town="Waren (Müritz)",
                        issued_on=ISSUED_ON,
                        valid_until=ISSUED_ON + timedelta(days=5 * 365),
                        stored_name=stored.stored_name,
                        size=stored.size,
                        sha256=stored.sha256,
                    )
                )
                numbers.append(number)
                schools.append(name)
                hashes[number] = stored.sha256
            db.session.commit()
        return PrintedRound(round_.id, year, numbers, schools, hashes)


def _text(number: str, school: str) -> CertificateText:
    return CertificateText(
        number=number,
        school=school,
        town="Waren (Müritz)",
        round_title="Vergaberunde",
        issued_on=ISSUED_ON,
        valid_until=ISSUED_ON + timedelta(days=5 * 365),
        verify_url=f"https://siegel.example.org/verify/{number}",
        issuers="Landkreis Rostock",
        signatories=(("Maria Muster", "Landrätin"),),
        author="Büro",
    )
