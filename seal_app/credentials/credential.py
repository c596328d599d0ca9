"""A certificate as an Open Badges 3.0 ``OpenBadgeCredential`` (VC Data Model 2.0), signed as
VC-JWT.

The credential's texts are German and fixed, whatever language the page is read in: it is a
document, signed once. It names the school and its school number, nobody in person.
"""

from __future__ import annotations

from datetime import date, datetime, time

from seal_app.applications.services import catalogue_of
from seal_app.catalogue.model import Catalogue
from seal_app.certificates.document import german_date
from seal_app.certificates.models import Certificate
from seal_app.credentials import identity, status, tokens
from seal_app.local_time import local_zone

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
SEAL = "Gütesiegel „Sicherheit macht Schule“"


def credential_url(number: str) -> str:
    return identity.public_url(f"/verify/{number}/credential")


def subject_id(number: str) -> str:
    """The school as holder of the certificate (its public page, so no personal data)."""
    return identity.public_url(f"/verify/{number}#schule")


def seal_image_url() -> str:
    return identity.public_url("/credentials/siegel.png")


def starts(day: date) -> datetime:
    """The first moment of a local day."""
    return datetime.combine(day, time(0, 0), tzinfo=local_zone())


def ends(day: date) -> datetime:
    """The last second of a local day (the certificate is valid through ``valid_until``)."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=local_zone())


def criteria_narrative(catalogue: Catalogue) -> str:
    areas = "\n".join(f"- {area.code} {area.title}" for area in catalogue.areas)
    return (
        f"Die Schule hat sich nach dem {catalogue.title} (Version "
        f"{catalogue.version}) selbst eingeschätzt und Nachweise eingereicht; eine Jury hat "
        f"sie in allen Bereichen begutachtet und die Vergaberegel ist erfüllt:\n\n{areas}\n\n"
        f"{catalogue.award_rule.description}".strip()
    )


def achievement(catalogue: Catalogue) -> dict:
    page = identity.public_url(f"/catalogue/{catalogue.version}")
    return {
        "id": f"{page}#siegel",
        "type": ["Achievement"],
        "achievementType": "Award",
        "name": SEAL,
        "description": (
            "Qualitätssiegel für Schulen, die beständig an Sicherheit, Gewaltprävention und "
            "Gesundheit arbeiten; fünf Jahre gültig."
        ),
        "criteria": {"id": page, "narrative": criteria_narrative(catalogue)},
        "image": {"id": seal_image_url(), "type": "Image", "caption": SEAL},
    }


def credential_of(certificate: Certificate) -> dict:
    """The unsigned credential of a certificate."""
    application = certificate.application
    entry = status.entry_of(certificate)
    return {
        "@context": CONTEXT,
        "id": credential_url(certificate.number),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{SEAL} – {certificate.school_name}",
        "description": (
            f"Urkunde Nr. {certificate.number}, ausgestellt am "
            f"{german_date(certificate.issued_on)}, gültig bis "
            f"{german_date(certificate.valid_until)}."
        ),
        "issuer": identity.issuer_profile(),
        "validFrom": starts(certificate.issued_on).isoformat(),
        "validUntil": ends(certificate.valid_until).isoformat(),
        "credentialSubject": {
            "id": subject_id(certificate.number),
            "type": ["AchievementSubject"],
            "identifier": [
                _identity("identifier", application.school.school_number),
                _identity("name", f"{certificate.school_name}, {certificate.school_town}"),
            ],
            "achievement": achievement(catalogue_of(application)),
        },
        "credentialStatus": status.status_entry(entry),
    }


def _identity(kind: str, value: str) -> dict:
    return {"type": "IdentityObject", "identityType": kind, "identityHash": value, "hashed": False}


def signed_credential(certificate: Certificate) -> str:
    """The compact VC-JWT, signed now with the newest key (ECDSA: the signature differs
    each time, the signed content does not)."""
    return tokens.sign(
        credential_of(certificate),
        subject_id(certificate.number),
        starts(certificate.issued_on),
        ends(certificate.valid_until),
    )
