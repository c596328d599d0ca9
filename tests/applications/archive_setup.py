"""An application with evidence under hostile names, for the tests of the evidence archive:
built on the scoring set-up (both assessors cleared), files added directly to the store."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date

from seal_app.applications.models import EvidenceFile, Vote, VoteKind
from seal_app.extensions import db
from seal_app.reviews.models import ConflictState
from seal_app.uploads.store import UploadBatch
from tests.reviews.scoring_setup import Scoring, build_scoring

# criterion, name as uploaded
HOSTILE = (
    ("A.2", "../../etc/passwd"),
    ("A.2", "CON.pdf"),
    ("A.2", "a/b.pdf"),
    ("A.2", "x" * 196 + ".pdf"),  # the longest name the upload takes (200 characters)
    ("A.2", "Plan.pdf"),
    ("A.2", "Plan.pdf"),
    ("A.2", "plan.PDF"),
    ("B.1", unicodedata.normalize("NFD", "Übung Räumung – Größe.pdf")),
    ("B.1", "Plan.pdf"),  # another folder: no number needed
)
VOTE_NAME = "Beschluss Schulkonferenz.pdf"


@dataclass
class Archived:
    scoring: Scoring
    contents: dict[str, bytes]  # name as uploaded (NFC) -> content, one per distinct content


def build_archived(app, make, state: ConflictState = ConflictState.NONE) -> Archived:
    scoring = build_scoring(app, make, state)
    contents = {}
    with app.app_context(), UploadBatch() as batch:
        for index, (code, name) in enumerate(HOSTILE):
            data = f"%PDF-1.4 Nachweis {index} {name}".encode()
            add_file(batch, scoring.application_id, code, name, data)
            contents[f"{index}"] = data
        vote_file = add_file(batch, scoring.application_id, None, VOTE_NAME, b"%PDF-1.4 Votum")
        db.session.add(
            Vote(
                application_id=scoring.application_id,
                kind=VoteKind.SCHOOL_CONFERENCE,
                decided_on=date(2026, 3, 1),
                document_id=vote_file.id,
            )
        )
        db.session.commit()
    return Archived(scoring, contents)


def add_file(
    batch: UploadBatch, application_id: int, code: str | None, name: str, data: bytes
) -> EvidenceFile:
    stored = batch.save_generated(data, name, "application/pdf")
    file = EvidenceFile(
        application_id=application_id,
        criterion_code=code,
        stored_name=stored.stored_name,
        display_name=name,
        description="",
        media_type=stored.media_type,
        size=stored.size,
        sha256=stored.sha256,
    )
    db.session.add(file)
    db.session.flush()
    return file


def open_zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))
