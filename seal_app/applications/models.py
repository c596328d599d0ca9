"""Applications (Anträge) with their answers per criterion, evidence files, votes and requests."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seal_app.auth.models import User
from seal_app.db_types import UTCDateTime, enum_column, utcnow
from seal_app.extensions import db
from seal_app.rounds.models import Round
from seal_app.schools.models import School


class ApplicationKind(enum.StrEnum):
    FIRST = "first"
    RENEWAL = "renewal"

    @property
    def label(self) -> str:
        return str(_l("Erstantrag") if self is ApplicationKind.FIRST else _l("Verlängerungsantrag"))


class ApplicationStatus(enum.StrEnum):
    """The whole road; review and decision set the later states."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    MORE_REQUESTED = "more_requested"
    IN_REVIEW = "in_review"
    AWARDED = "awarded"
    NOT_AWARDED = "not_awarded"
    DEFERRED = "deferred"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    ApplicationStatus.DRAFT: _l("in Bearbeitung"),
    ApplicationStatus.SUBMITTED: _l("eingereicht"),
    ApplicationStatus.MORE_REQUESTED: _l("Nachforderung offen"),
    ApplicationStatus.IN_REVIEW: _l("in Begutachtung"),
    ApplicationStatus.AWARDED: _l("Siegel verliehen"),
    ApplicationStatus.NOT_AWARDED: _l("nicht verliehen"),
    ApplicationStatus.DEFERRED: _l("zurückgestellt"),
}


class Application(db.Model):
    __tablename__ = "applications"
    __table_args__ = (sa.UniqueConstraint("school_id", "round_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("schools.id", ondelete="RESTRICT"))
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("rounds.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[ApplicationKind] = mapped_column(enum_column(ApplicationKind))
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_column(ApplicationStatus), default=ApplicationStatus.DRAFT, index=True
    )
    previous_application_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="SET NULL")
    )
    # a renewal of a seal imported from the paper era (it has no previous application)
    previous_certificate_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("certificates.id", ondelete="SET NULL", use_alter=True)
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    jury_advice: Mapped[str | None] = mapped_column(sa.Text)  # advice given with the decision

    school: Mapped[School] = relationship()
    round: Mapped[Round] = relationship()
    previous_application: Mapped[Application | None] = relationship(remote_side=[id])
    answers: Mapped[list[CriterionAnswer]] = relationship(
        back_populates="application", cascade="all, delete-orphan"
    )
    files: Mapped[list[EvidenceFile]] = relationship(
        back_populates="application", cascade="all, delete-orphan"
    )
    votes: Mapped[list[Vote]] = relationship(
        back_populates="application", cascade="all, delete-orphan"
    )
    renewal_notes: Mapped[list[RenewalNote]] = relationship(
        back_populates="application", cascade="all, delete-orphan"
    )
    evidence_requests: Mapped[list[EvidenceRequest]] = relationship(
        back_populates="application",
        cascade="all, delete-orphan",
        order_by="EvidenceRequest.created_at",
    )
    receipts: Mapped[list[Receipt]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="Receipt.id"
    )

    @property
    def is_editable(self) -> bool:
        return self.status is ApplicationStatus.DRAFT

    def answer_for(self, code: str) -> CriterionAnswer | None:
        return next((answer for answer in self.answers if answer.criterion_code == code), None)

    def files_for(self, code: str) -> list[EvidenceFile]:
        return [file for file in self.files if file.criterion_code == code and not file.staged]

    def vote(self, kind: VoteKind) -> Vote | None:
        return next((vote for vote in self.votes if vote.kind is kind), None)

    def renewal_note(self, area_code: str) -> RenewalNote | None:
        return next((n for n in self.renewal_notes if n.area_code == area_code), None)

    @property
    def open_request(self) -> EvidenceRequest | None:
        return next((r for r in self.evidence_requests if r.answered_at is None), None)

    @property
    def latest_receipt(self) -> Receipt | None:
        return self.receipts[-1] if self.receipts else None

    @property
    def supplemented_at(self) -> datetime | None:
        """When the school last answered a request for more (None: never)."""
        return max((r.answered_at for r in self.evidence_requests if r.answered_at), default=None)

    def missing_supplements(self, evidence_request: EvidenceRequest) -> list[str]:
        """The criteria of ``evidence_request`` the school has not yet answered."""
        return [
            code
            for code in evidence_request.criteria_codes
            if not self.has_supplement(evidence_request, code)
        ]

    def has_supplement(self, evidence_request: EvidenceRequest, code: str) -> bool:
        """Whether criterion ``code`` has added text or a file for ``evidence_request``."""
        response = evidence_request.response_for(code)
        if response is not None and response.text.strip():
            return True
        return any(
            file.evidence_request_id == evidence_request.id
            and file.criterion_code == code
            and not file.staged
            for file in self.files
        )


class CriterionAnswer(db.Model):
    """The school's self-assessment of one criterion."""

    __tablename__ = "criterion_answers"
    __table_args__ = (sa.UniqueConstraint("application_id", "criterion_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    criterion_code: Mapped[str] = mapped_column(sa.String(16))
    self_rating: Mapped[int | None] = mapped_column()
    measures: Mapped[str] = mapped_column(sa.Text, default="")  # what the school does
    since: Mapped[str] = mapped_column(sa.String(100), default="")
    participants: Mapped[str] = mapped_column(sa.Text, default="")
    partners: Mapped[str] = mapped_column(sa.Text, default="")
    # Taken over from the last awarded application and not yet checked by the school.
    carried_over: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    version: Mapped[int] = mapped_column(default=1)

    application: Mapped[Application] = relationship(back_populates="answers")
    updated_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}


class EvidenceFile(db.Model):
    """An uploaded document; stored under a random name, the original name only shown."""

    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    criterion_code: Mapped[str | None] = mapped_column(sa.String(16))  # None: a vote's document
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.String(500), default="")
    media_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    carried_over: Mapped[bool] = mapped_column(default=False)
    # Kept for a form that failed validation, attached when the form is saved.
    staged: Mapped[bool] = mapped_column(default=False)
    evidence_request_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("evidence_requests.id", ondelete="SET NULL")
    )

    application: Mapped[Application] = relationship(back_populates="files")
    uploaded_by: Mapped[User | None] = relationship()
    evidence_request: Mapped[EvidenceRequest | None] = relationship()

    @property
    def previewable(self) -> bool:
        return self.media_type in ("application/pdf", "image/jpeg", "image/png")


class VoteKind(enum.StrEnum):
    SCHOOL_CONFERENCE = "school_conference"
    SCHOOL_AUTHORITY = "school_authority"
    PREVENTION_COUNCIL = "prevention_council"

    @property
    def label(self) -> str:
        return str(VOTE_LABELS[self])


VOTE_LABELS = {
    VoteKind.SCHOOL_CONFERENCE: _l("Beschluss der Schulkonferenz"),
    VoteKind.SCHOOL_AUTHORITY: _l("Zustimmung des Staatlichen Schulamts"),
    VoteKind.PREVENTION_COUNCIL: _l("Votum des Kommunalen Präventionsrats"),
}


class Vote(db.Model):
    """A required vote or consent, with its date and document."""

    __tablename__ = "votes"
    __table_args__ = (sa.UniqueConstraint("application_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[VoteKind] = mapped_column(enum_column(VoteKind))
    decided_on: Mapped[date] = mapped_column(sa.Date)
    document_id: Mapped[int] = mapped_column(
        sa.ForeignKey("evidence_files.id", ondelete="RESTRICT")
    )

    application: Mapped[Application] = relationship(back_populates="votes")
    document: Mapped[EvidenceFile] = relationship()


class RenewalNote(db.Model):
    """For a renewal, per area: what changed since the award and how advice was taken up."""

    __tablename__ = "renewal_notes"
    __table_args__ = (sa.UniqueConstraint("application_id", "area_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    area_code: Mapped[str] = mapped_column(sa.String(16))
    changes: Mapped[str] = mapped_column(sa.Text, default="")
    advice_response: Mapped[str] = mapped_column(sa.Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    application: Mapped[Application] = relationship(back_populates="renewal_notes")

    __mapper_args__ = {"version_id_col": version}


class EvidenceRequest(db.Model):
    """A request for more (Nachforderung): message, criteria concerned, due date, answer."""

    __tablename__ = "evidence_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    message: Mapped[str] = mapped_column(sa.Text)
    criteria_codes: Mapped[list] = mapped_column(sa.JSON)
    due_date: Mapped[date] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    application: Mapped[Application] = relationship(back_populates="evidence_requests")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    responses: Mapped[list[RequestResponse]] = relationship(
        back_populates="evidence_request", cascade="all, delete-orphan"
    )

    def response_for(self, code: str) -> RequestResponse | None:
        return next((r for r in self.responses if r.criterion_code == code), None)


class RequestResponse(db.Model):
    """The school's added text for one criterion named in a request."""

    __tablename__ = "request_responses"
    __table_args__ = (sa.UniqueConstraint("evidence_request_id", "criterion_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("evidence_requests.id", ondelete="CASCADE"), index=True
    )
    criterion_code: Mapped[str] = mapped_column(sa.String(16))
    text: Mapped[str] = mapped_column(sa.Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    evidence_request: Mapped[EvidenceRequest] = relationship(back_populates="responses")

    __mapper_args__ = {"version_id_col": version}


class Receipt(db.Model):
    """A receipt (Eingangsbestätigung) as issued: the stored PDF is the document of record.

    One is issued at submission and one each time the school answers a request for more.
    """

    __tablename__ = "receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    size: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    # signed without the time-stamp the settings ask for: the periodic task adds it later
    timestamp_pending: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The request for more this receipt confirms the answer to; None: the submission itself.
    evidence_request_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("evidence_requests.id", ondelete="SET NULL")
    )

    application: Mapped[Application] = relationship(back_populates="receipts")
    evidence_request: Mapped[EvidenceRequest | None] = relationship()
