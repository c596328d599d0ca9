"""Importing the seals the district awarded on paper before the online procedure: the same
service for ``flask seal import-certificates`` and the office's upload page.

``preview`` reads the file and says, row by row, what an import would do: which rows become
certificates (and whether their school is matched by its number or created), which are
refused and why. ``import_seals`` writes the accepted rows of the same preview in the
caller's transaction: all of them or, if anything fails, none. Refused rows are left out;
the office corrects them and imports the file again (rows already imported are then
skipped, so nothing is imported twice)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from seal_app.applications.models import Application
from seal_app.audit.services import record
from seal_app.auth.models import User
from seal_app.certificates import paper_csv
from seal_app.certificates.models import Certificate
from seal_app.certificates.paper_csv import SealRow
from seal_app.certificates.paper_matching import check_school
from seal_app.extensions import db
from seal_app.schools.models import School


@dataclass(frozen=True)
class PlannedSeal:
    """An accepted row: the certificate it becomes and its school (None: created)."""

    row: SealRow
    school: School | None
    note: str = ""  # the matched school's name and town in the app, when the file differs


@dataclass(frozen=True)
class Preview:
    accepted: list[PlannedSeal]
    refused: list[SealRow]
    problems: list[str]  # the file as a whole
    skipped: list[SealRow] = field(default_factory=list)  # imported before, left as they are

    @property
    def new_schools(self) -> int:
        return len({item.row.school_number for item in self.accepted if item.school is None})

    @property
    def matched_schools(self) -> int:
        return len({item.school.id for item in self.accepted if item.school is not None})

    @property
    def nothing_new(self) -> bool:
        """Every row was imported before: the file was imported already."""
        return not self.accepted and not self.problems and not self.refused and bool(self.skipped)


@dataclass(frozen=True)
class _Known:
    """A certificate number the app has, and whether it came from this kind of list."""

    number: str
    imported: bool
    school_number: str


def preview(data: bytes, today: date) -> Preview:
    """What importing the file would do; writes nothing."""
    read = paper_csv.read(data, today)
    if read.problems:
        return Preview([], [], read.problems)
    known = _known_numbers()
    schools = _schools([row.school_number for row in read.rows])
    first_line: dict[str, SealRow] = {}
    accepted: list[PlannedSeal] = []
    skipped: list[SealRow] = []
    for row in read.rows:
        existing = known.get(row.number.casefold())
        if existing is not None and _imported_before(existing, row):
            skipped.append(row)
            continue
        _check_number(row, existing, first_line)
        school = schools.get(row.school_number)
        check = None if school is None else check_school(school, row.school_name, row.town)
        if check is not None and check.refused:
            row.problems.append(check.note)
        if school is None and row.school_type is None and row.school_name:
            row.problems.append(
                _(
                    "Die Schule ist neu, und ihre Schulart geht aus dem Namen nicht hervor: "
                    "Bitte ergänzen Sie die Spalte „Schulart“."
                )
            )
        if not row.problems:
            accepted.append(PlannedSeal(row, school, check.note if check else ""))
    refused = [row for row in read.rows if row.problems]
    return Preview(accepted, refused, [], skipped)


@dataclass(frozen=True)
class ImportResult:
    """What an import did, read again from its file: the rows it imported, those imported
    before it, and the refused ones with their reasons."""

    imported: list[SealRow]
    skipped: list[SealRow]
    refused: list[SealRow]


def result_of(data: bytes, imported_numbers: list[str], today: date) -> ImportResult:
    """The result of the import of ``data`` that created ``imported_numbers``."""
    again = preview(data, today)
    numbers = set(imported_numbers)
    return ImportResult(
        [row for row in again.skipped if row.number in numbers],
        [row for row in again.skipped if row.number not in numbers],
        again.refused,
    )


def _imported_before(existing: _Known, row: SealRow) -> bool:
    """The row's seal is in the app from an earlier import of the list: same number, same
    school number."""
    return (
        existing.imported
        and existing.number == row.number
        and existing.school_number == row.school_number
    )


def _check_number(row: SealRow, existing: _Known | None, first_line: dict[str, SealRow]) -> None:
    """A number must be new to the app and to the file, ignoring case: the verification page
    finds a number whichever way it is typed."""
    key = row.number.casefold()
    if existing is not None and existing.number == row.number:
        row.problems.append(_("Die Urkunde %(number)s gibt es schon.", number=row.number))
    elif existing is not None:
        row.problems.append(
            _(
                "Die Urkunde %(number)s gibt es schon als %(existing)s; Nummern, die sich nur "
                "in Groß- und Kleinschreibung unterscheiden, sind auf der Prüfseite gleich.",
                number=row.number,
                existing=existing.number,
            )
        )
    elif key in first_line:
        row.problems.append(
            _(
                "Die Urkunde %(number)s steht schon in Zeile %(line)d.",
                number=row.number,
                line=first_line[key].line,
            )
        )
    elif row.number:
        first_line[key] = row


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
            skipped=len(result.skipped),
            schools_created=len(created),
            file_name=file_name,
        )
    return result


def _known_numbers() -> dict[str, _Known]:
    """Every certificate number of the app by its case-folded form (a district has a few
    hundred at most)."""
    query = sa.select(Certificate.number, Certificate.imported, School.school_number).join(
        School, Certificate.school_id == School.id
    )
    return {
        number.casefold(): _Known(number, imported, school_number)
        for number, imported, school_number in db.session.execute(query)
    }


def _schools(numbers: list[str]) -> dict[str, School]:
    wanted = sorted({number for number in numbers if number})
    found: dict[str, School] = {}
    for chunk in _chunks(wanted):
        query = sa.select(School).where(School.school_number.in_(chunk))
        found.update((school.school_number, school) for school in db.session.scalars(query))
    return found


def _chunks(items: list[str], size: int = 500) -> list[list[str]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


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
