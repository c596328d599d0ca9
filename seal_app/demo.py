"""Demo data: a district with schools in real places, an open round, one user per role
(two assessors), and applications in every state (see ``demo_applications``)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from seal_app.auth import passwords
from seal_app.auth.models import Role, User
from seal_app.catalogue import services as catalogue_services
from seal_app.db_types import utcnow
from seal_app.demo_applications import seed_applications
from seal_app.demo_seals import seed_seals
from seal_app.extensions import db
from seal_app.rounds import services as round_services
from seal_app.rounds.models import Round
from seal_app.schools.models import Position, School, SchoolMembership, SchoolType
from seal_app.uploads.store import UploadBatch

DISTRICT = "Landkreis Rostock"

# Made-up schools in real towns of the district: number, name, type, street, postal code, town
DEMO_SCHOOLS = [
    ("75001", "Grundschule am Wall", SchoolType.GRUNDSCHULE, "Am Wall 3", "18273", "Güstrow"),
    (
        "75002",
        "Regionale Schule Heidberg",
        SchoolType.REGIONALE_SCHULE,
        "Heidbergstraße 12",
        "18273",
        "Güstrow",
    ),
    ("75003", "Gymnasium an der Nebel", SchoolType.GYMNASIUM, "Nebelweg 1", "18273", "Güstrow"),
    (
        "75004",
        "Förderzentrum Güstrow-Süd",
        SchoolType.FOERDERSCHULE,
        "Südring 40",
        "18273",
        "Güstrow",
    ),
    (
        "75005",
        "Grundschule Am Kamp",
        SchoolType.GRUNDSCHULE,
        "Kampstraße 7",
        "18209",
        "Bad Doberan",
    ),
    (
        "75006",
        "Münster-Gymnasium Bad Doberan",
        SchoolType.GYMNASIUM,
        "Klosterstraße 2",
        "18209",
        "Bad Doberan",
    ),
    (
        "75007",
        "Regionale Schule Teterow",
        SchoolType.REGIONALE_SCHULE,
        "Mühlenstraße 21",
        "17166",
        "Teterow",
    ),
    ("75008", "Grundschule Bergring", SchoolType.GRUNDSCHULE, "Am Bergring 5", "17166", "Teterow"),
    (
        "75009",
        "Ostsee-Schule Kühlungsborn",
        SchoolType.KOOPERATIVE_GESAMTSCHULE,
        "Strandstraße 30",
        "18225",
        "Kühlungsborn",
    ),
    (
        "75010",
        "Warnow-Gesamtschule Bützow",
        SchoolType.INTEGRIERTE_GESAMTSCHULE,
        "Schloßplatz 4",
        "18246",
        "Bützow",
    ),
    (
        "75011",
        "Berufliche Schule Landkreis Rostock",
        SchoolType.BERUFLICHE_SCHULE,
        "Parkstraße 10",
        "18273",
        "Güstrow",
    ),
    ("75012", "Grundschule Laage", SchoolType.GRUNDSCHULE, "Breesener Straße 2", "18299", "Laage"),
    (
        "75013",
        "Freie Waldorfschule Krakow am See",
        SchoolType.FREIE_WALDORFSCHULE,
        "Seeweg 8",
        "18292",
        "Krakow am See",
    ),
    (
        "75014",
        "Regionale Schule Kröpelin",
        SchoolType.REGIONALE_SCHULE,
        "Hauptstraße 15",
        "18236",
        "Kröpelin",
    ),
    ("75015", "Grundschule Schwaan", SchoolType.GRUNDSCHULE, "Am Markt 1", "18258", "Schwaan"),
]

DEMO_USERS = [
    ("schule@demo.invalid", "Petra Schulze", Role.SCHOOL),
    ("gutachter@demo.invalid", "Jonas Gutmann", Role.ASSESSOR),
    ("gutachterin2@demo.invalid", "Dr. Jana Voss", Role.ASSESSOR),
    ("buero@demo.invalid", "Anke Büttner", Role.OFFICE),
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    role: Role


def seed_demo(batch: UploadBatch) -> list[DemoLogin]:
    """Create (or refresh) the demo data; safe to run again. Returns the logins.

    The evidence files go into ``batch``, which removes them if the transaction fails."""
    schools = [_school(*row) for row in DEMO_SCHOOLS]
    _open_round()
    password = os.environ.get("SEAL_DEMO_PASSWORD")
    logins, users = [], {}
    for email, name, role in DEMO_USERS:
        user_password = password or secrets.token_urlsafe(12)
        user = users[email] = _user(email, name, role, user_password)
        if role is Role.SCHOOL and not user.memberships:
            user.memberships.append(SchoolMembership(school=schools[0], position=Position.HEAD))
        logins.append(DemoLogin(email, user_password, role))
    db.session.flush()
    seed_applications(round_services.open_round(), users, batch)
    seed_seals(users["buero@demo.invalid"], batch)
    return logins


def _school(number, name, school_type, street, postal_code, town) -> School:
    school = db.session.scalar(sa.select(School).where(School.school_number == number))
    if school is None:
        school = School(
            school_number=number,
            name=name,
            school_type=school_type,
            street=street,
            postal_code=postal_code,
            town=town,
            school_authority=_authority(school_type, town),
            district=DISTRICT,
            email=f"sekretariat-{number}@schulen.demo.invalid",
        )
        db.session.add(school)
    return school


def _authority(school_type: SchoolType, town: str) -> str:
    if school_type in (SchoolType.FREIE_WALDORFSCHULE, SchoolType.FREIE_SCHULE):
        return "Freier Schulverein e. V."
    if school_type in (
        SchoolType.GYMNASIUM,
        SchoolType.BERUFLICHE_SCHULE,
        SchoolType.FOERDERSCHULE,
    ):
        return DISTRICT
    return f"Stadt {town}"


def _user(email: str, name: str, role: Role, password: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=name, role=role)
        db.session.add(user)
    user.password_hash = passwords.hash_password(password)
    user.is_enabled = True
    return user


def _open_round() -> None:
    if round_services.open_round() is not None:
        return
    today = utcnow().date()
    year = today.year if today <= round_services.default_deadline(today.year) else today.year + 1
    if db.session.scalar(sa.select(Round.id).where(Round.year == year)) is not None:
        return  # that year's round exists and was closed by the office: leave it so
    version = catalogue_services.current().version
    round_services.create_round(year, round_services.default_deadline(year), version, actor=None)
