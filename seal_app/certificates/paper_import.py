"""Importing the seals the district awarded on paper before the online procedure: the same
service for ``flask seal import-certificates`` and the office's upload page.

``preview`` reads the file and says, row by row, what an import would do: which rows become
certificates (and whether their school is matched by its number or created), which are
refused and why. ``import_seals`` writes the accepted rows of the same preview in the
caller's transaction: all of them or, if anything fails, none. Refused rows are left out;
the office corrects them and imports the file again (rows already imported are then refused
as known numbers, so nothing is imported twice)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from seal_app.applications.models import Application
from seal_app.audit.services import record
from seal_app.auth.models import User
from seal_app.certificates import paper_csv
from seal_app.certificates.models import Certificate
from seal_app.certificates.paper_csv import SealRow
from seal_app.extensions import db
from seal_app.schools.models import School

SIMILAR_NAME = 0.6  # below this, a school matched by its number is named in the preview


@dataclass(frozen=True)
class PlannedSeal:
    """An accepted row: the certificate it becomes and its school (None: created)."""

    row: SealRow
    school: School | None
    other_name: str = ""  # the matched school's name in the app, when it differs a lot


@dataclass(frozen=True)
class Preview:
    accepted: list[PlannedSeal]
    refused: list[SealRow]
    problems: list[str]  # the file as a whole

    @property
    def new_schools(self) -> int:
        return len({item.row.school_number for item in self.accepted if item.school is None})

    @property
    def matched_schools(self) -> int:
        return len({item.school.id for item in self.accepted if item.school is not None})

    @property
    def nothing_new(self) -> bool:
        """Every row's number is known already: the file was imported before."""
        return (
            not self.accepted
            and not self.problems
            and all(row.problems == [_known(row.number)] for row in self.refused)
        )


def preview(data: bytes, today: date) -> Preview:
    """What importing the file would do; writes nothing."""
    read = paper_csv.read(data, today)
    if read.problems:
        return Preview([], [], read.problems)
    known = _known_numbers([row.number for row in read.rows])
    schools = _schools([row.school_number for row in read.rows])
    first_line: dict[str, int] = {}
    accepted: list[PlannedSeal] = []
    for row in read.rows:
        if row.number in known:
            row.problems.append(_known(row.number))
        elif row.number in first_line:
            row.problems.append(
                _(
                    "Die Urkunde %(number)s steht schon in Zeile %(line)d.",
                    number=row.number,
                    line=first_line[row.number],
                )
            )
        elif row.number:
            first_line[row.number] = row.line
        school = schools.get(row.school_number)
        if school is None and row.school_type is None and row.school_name:
            row.problems.append(
                _(
                    "Die Schule ist neu, und ihre Schulart geht aus dem Namen nicht hervor: "
                    "Bitte ergänzen Sie die Spalte „Schulart“."
                )
            )
        if not row.problems:
            accepted.append(PlannedSeal(row, school, _other_name(school, row.school_name)))
    refused = [row for row in read.rows if row.problems]
    return Preview(accepted, refused, [])


def import_seals(data: bytes, file_name: str, actor: User | None, today: date) -> Preview:
    """Create the certificates (and new schools) of the accepted rows, with audit entries,
    in the caller's transaction; returns the preview they came from."""
    result = preview(data, today)
    created: dict[str, School] = {}
    for item in result.accepted:
        school = item.school or created.get(item.row.school_number)
        if school is None:
            school = created[item.row.school_number] = _new_school(item.row, actor)
        certificate = _certificate(item.row, school)
        record(
            "certificate.imported",
            certificate,
            actor,
            school_id=school.id,
            number=certificate.number,
            file_name=file_name,
        )
    if result.accepted:
        record(
            "certificates.imported",
            None,
            actor,
            count=len(result.accepted),
            refused=len(result.refused),
            schools_created=len(created),
            file_name=file_name,
        )
    return result


def _known(number: str) -> str:
    return _("Die Urkunde %(number)s gibt es schon.", number=number)


def _known_numbers(numbers: list[str]) -> set[str]:
    wanted = {number for number in numbers if number}
    found: set[str] = set()
    for chunk in _chunks(sorted(wanted)):
        query = sa.select(Certificate.number).where(Certificate.number.in_(chunk))
        found.update(db.session.scalars(query))
    return found


def _schools(numbers: list[str]) -> dict[str, School]:
    wanted = sorted({number for number in numbers if number})
    found: dict[str, School] = {}
    for chunk in _chunks(wanted):
        query = sa.select(School).where(School.school_number.in_(chunk))
        found.update((school.school_number, school) for school in db.session.scalars(query))
    return found


def _chunks(items: list[str], size: int = 500) -> list[list[str]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def _other_name(school: School | None, name: str) -> str:
    """The school's name in the app, if the file names it quite differently."""
    if school is None:
        return ""
    likeness = SequenceMatcher(None, school.name.casefold(), name.casefold()).ratio()
    return school.name if likeness < SIMILAR_NAME else ""


def _new_school(row: SealRow, actor: User | None) -> School:
    """A school known only from the list: name, town and type; the office completes the
    address on the school's page."""
    school = School(
        school_number=row.school_number,
        name=row.school_name,
        school_type=row.school_type,
        street="",
        postal_code="",
        town=row.town,
        school_authority="",
        district=current_app.config["DISTRICT_NAME"],
    )
    db.session.add(school)
    record(
        "school.created",
        school,
        actor,
        school_number=school.school_number,
        source="certificate_import",
    )
    return school


def _certificate(row: SealRow, school: School) -> Certificate:
    certificate = Certificate(
        number=row.number,
        application_id=None,
        school=school,
        imported=True,
        remark=row.remark,
        school_name=row.school_name,
        school_town=row.town,
        issued_on=row.issued_on,
        valid_until=row.valid_until,
    )
    db.session.add(certificate)
    return certificate


def imported_of(school_id: int) -> list[Certificate]:
    """The school's imported certificates, newest first."""
    query = (
        sa.select(Certificate)
        .where(Certificate.school_id == school_id, Certificate.imported)
        .order_by(Certificate.issued_on.desc(), Certificate.id.desc())
    )
    return list(db.session.scalars(query))


def renewable_seal(school_id: int) -> Certificate | None:
    """The school's newest imported seal that was not revoked: what a renewal renews when the
    school has no awarded application in the app."""
    query = (
        sa.select(Certificate)
        .where(
            Certificate.school_id == school_id,
            Certificate.imported,
            Certificate.revoked_at.is_(None),
        )
        .order_by(Certificate.issued_on.desc(), Certificate.id.desc())
    )
    return db.session.scalars(query).first()


def previous_seal(application: Application) -> Certificate | None:
    """The seal a renewal renews: the imported one it names, or the certificate of the
    previous application."""
    if application.previous_certificate_id is not None:
        return db.session.get(Certificate, application.previous_certificate_id)
    if application.previous_application_id is not None:
        query = sa.select(Certificate).where(
            Certificate.application_id == application.previous_application_id
        )
        return db.session.scalar(query)
    return None
