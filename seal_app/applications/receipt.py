"""The German receipt (Eingangsbestätigung) a school keeps after submitting its application.

Made once when the application is submitted (and once more for each answered request for
more); the stored file is the document of record and is what the school downloads.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from flask import current_app
from flask_babel import format_date, format_datetime

from seal_app import pdf
from seal_app.applications.models import Application, EvidenceRequest
from seal_app.catalogue.model import Catalogue
from seal_app.documents import html

TEXT_FIELDS = (
    ("measures", "Was die Schule tut"),
    ("since", "Seit"),
    ("participants", "Beteiligte"),
    ("partners", "Partner"),
)
Labelled = tuple[str, list[str]]  # a label and the paragraphs of its text


def receipt_pdf(
    application: Application,
    catalogue: Catalogue,
    issued_at: datetime,
    answered: EvidenceRequest | None = None,
) -> bytes:
    """The receipt issued at ``issued_at``; ``answered``: the request whose answer it confirms.
    A tagged PDF/A-2u: the document of record."""
    school, round_ = application.school, application.round
    submitted = _when(application.submitted_at or issued_at)
    rest = f"{round_.title} · eingereicht am {submitted}"
    if answered is not None:  # the submission time is on page 1; the footer fits one line
        rest = f"{round_.title} · Ergänzung vom {_when(issued_at)}"
    config = current_app.config
    return html.render(
        "documents/receipt.html",
        archival=True,
        title=f"Eingangsbestätigung – {school.name}",
        author=config["OFFICE_NAME"],
        subject=f"Gütesiegel „Sicherheit macht Schule“ – {round_.title}",
        footer_line=pdf.footer_text(school.name, rest),
        round_title=round_.title,
        facts=_facts(application, catalogue, submitted, issued_at, answered),
        self_assessment=_self_assessment(application, catalogue),
        votes=[
            (vote.kind.label, _day(vote.decided_on), vote.document.display_name)
            for vote in application.votes
        ],
        requests=_requests(application),
        files=[
            file
            for file in sorted(
                application.files, key=lambda f: (f.criterion_code or "~", f.display_name)
            )
            if not file.staged
        ],
        office={
            "name": config["OFFICE_NAME"],
            "phone": config["OFFICE_PHONE"],
            "email": config["OFFICE_EMAIL"],
        },
    )


def _when(moment: datetime) -> str:
    return format_datetime(moment, "d. MMMM y, HH:mm 'Uhr'", rebase=True)


def _day(day: date | datetime) -> str:
    """A date in the same style as ``_when``: 25. November 2026."""
    if isinstance(day, datetime):
        return format_datetime(day, "d. MMMM y", rebase=True)
    return format_date(day, "d. MMMM y")


def _facts(
    application: Application,
    catalogue: Catalogue,
    submitted: str,
    issued_at: datetime,
    answered: EvidenceRequest | None,
) -> list[tuple[str, str]]:
    school = application.school
    facts = [
        ("Schule", f"{school.name} (Schulnummer {school.school_number})"),
        ("Anschrift", f"{school.street}, {school.postal_code} {school.town}"),
        ("Antrag", f"{application.kind.label}, Nr. {application.id}"),
        ("Eingereicht am", submitted),
    ]
    if answered is not None:
        facts.append(
            (
                "Ergänzt am",
                f"{_when(issued_at)}\nauf die Nachforderung vom {_day(answered.created_at)}",
            )
        )
    return [
        *facts,
        ("Kriterienkatalog", f"Version {catalogue.version}"),
        ("Ausgestellt von", _office_contact()),
    ]


def _office_contact() -> str:
    config = current_app.config
    return "\n".join(
        [
            config["OFFICE_NAME"],
            *config["OFFICE_ADDRESS"].splitlines(),
            f"Telefon: {config['OFFICE_PHONE']}",
            f"E-Mail: {config['OFFICE_EMAIL']}",
        ]
    )


def _self_assessment(application: Application, catalogue: Catalogue) -> list:
    """Per area, per criterion: the criterion, its rating and its labelled texts."""
    levels = {level.value: level.label for level in catalogue.scale}
    areas = []
    for area in catalogue.areas:
        criteria = []
        for criterion in area.criteria:
            answer = application.answer_for(criterion.code)
            rating = (
                f"Stufe {answer.self_rating} – {levels[answer.self_rating]}"
                if answer and answer.self_rating is not None
                else "nicht eingeschätzt"
            )
            texts = [
                _labelled(label, getattr(answer, name))
                for name, label in TEXT_FIELDS
                if answer and getattr(answer, name)
            ]
            criteria.append((criterion, rating, texts))
        areas.append((area, criteria))
    return areas


def _labelled(label: str, text: str) -> Labelled:
    """The first line on its own (the label before it), then one paragraph per block of
    lines."""
    first, _newline, rest = text.partition("\n")
    blocks = [block.strip("\n") for block in re.split(r"\n[ \t]*\n", rest)]
    return label, [first, *(block for block in blocks if block.strip())]


def _requests(application: Application) -> list[tuple[str, list[Labelled]]]:
    """Each request for more with the school's answer, as far as answered."""
    answered = [item for item in application.evidence_requests if item.answered_at]
    return [
        (
            f"Nachforderung vom {_day(item.created_at)}, beantwortet am {_when(item.answered_at)}",
            [
                _labelled("Nachforderung", item.message),
                *(
                    _labelled(f"Ergänzung zu {response.criterion_code}", response.text)
                    for response in item.responses
                    if response.text
                ),
            ],
        )
        for item in answered
    ]
