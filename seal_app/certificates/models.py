"""The office's decision on an application: prepared, then released with the whole round."""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seal_app.applications.models import Application, ApplicationStatus
from seal_app.db_types import UTCDateTime, enum_column, utcnow
from seal_app.extensions import db
from seal_app.rounds.models import Round
from seal_app.schools.models import School


class Outcome(enum.StrEnum):
    AWARDED = "awarded"
    NOT_AWARDED = "not_awarded"
    DEFERRED = "deferred"

    @property
    def label(self) -> str:
        return str(OUTCOME_LABELS[self])

    @property
    def status(self) -> ApplicationStatus:
        """The application's status once the decision is released."""
        return ApplicationStatus(self.value)


OUTCOME_LABELS = {
    Outcome.AWARDED: _l("Siegel verliehen"),
    Outcome.NOT_AWARDED: _l("Siegel nicht verliehen"),
    Outcome.DEFERRED: _l("Entscheidung zurückgestellt"),
}


class Decision(db.Model):
    """The decision on one application with its rationale and the advice for the school.

    Prepared (and changeable) by the office until it is released; the release of a round sets
    every prepared decision's ``released_at`` to the same moment, and only then does the school
    learn its result."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), unique=True
    )
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome))
    rationale: Mapped[str] = mapped_column(sa.Text, default="")
    # required when the outcome is not the one the award rule proposes
    departure_rationale: Mapped[str] = mapped_column(sa.Text, default="")
    strengths: Mapped[str] = mapped_column(sa.Text, default="")  # for the school's feedback
    proposal_met: Mapped[bool] = mapped_column()  # the award rule, when prepared
    advice: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # area code -> advice text
    # codes of divergent criteria whose agreed reason goes into the school's feedback
    shared_reasons: Mapped[list] = mapped_column(sa.JSON, default=list, server_default="[]")
    # code -> the text the school reads for a shared reason (``shared_wording``)
    shared_texts: Mapped[dict] = mapped_column(sa.JSON, default=dict, server_default="{}")
    prepared_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    prepared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    application: Mapped[Application] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_released(self) -> bool:
        return self.released_at is not None


def _application_school(context) -> int | None:
    """An issued certificate's school, when not given: its application's."""
    application_id = context.get_current_parameters().get("application_id")
    if application_id is None:
        return None
    query = sa.select(Application.school_id).where(Application.id == application_id)
    return context.connection.scalar(query)


class Certificate(db.Model):
    """The numbered certificate (Urkunde) of a school: issued by the app for an awarded
    application, with its signed PDF, or imported from the paper era (``imported``: no
    application, no stored PDF, no digital credential).

    For an issued certificate the stored PDF is the document of record: its SHA-256 is
    recorded at issue and every download serves exactly these bytes."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    # „2027-014“; imported ones exactly as printed („GS-2013/07“)
    number: Mapped[str] = mapped_column(sa.String(40), unique=True)
    application_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="RESTRICT"), unique=True
    )
    school_id: Mapped[int] = mapped_column(
        sa.ForeignKey("schools.id", ondelete="RESTRICT"), index=True, default=_application_school
    )
    # issued before the online procedure and entered from the office's list
    imported: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    remark: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # as printed on the certificate: a later renaming of the school does not change them
    school_name: Mapped[str] = mapped_column(sa.String(200))
    school_town: Mapped[str] = mapped_column(sa.String(100))
    issued_on: Mapped[date] = mapped_column(sa.Date)
    valid_until: Mapped[date] = mapped_column(sa.Date)
    # the issuing bodies and signatories as printed (None: issued before they were kept)
    issuers: Mapped[str | None] = mapped_column(sa.String(300))
    signatories: Mapped[list | None] = mapped_column(sa.JSON)
    # the stored PDF (None for an imported certificate)
    stored_name: Mapped[str | None] = mapped_column(sa.String(80))
    size: Mapped[int | None] = mapped_column()
    sha256: Mapped[str | None] = mapped_column(sa.String(64))
    # signed without the time-stamp the settings ask for: the periodic task adds it later
    timestamp_pending: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str] = mapped_column(sa.Text, default="")
    revoked_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    version: Mapped[int] = mapped_column(default=1)

    application: Mapped[Application | None] = relationship(foreign_keys=[application_id])
    school: Mapped[School] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def state_on(self, day: date) -> CertificateState:
        if self.revoked_at is not None:
            return CertificateState.REVOKED
        if day > self.valid_until:
            return CertificateState.EXPIRED
        return CertificateState.VALID


class FeedbackLetter(db.Model):
    """The signed feedback letter of a released decision, made once at the release (or at the
    first download of a decision released before letters were kept): the stored PDF is the
    document of record, every download serves exactly these bytes."""

    __tablename__ = "feedback_letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        sa.ForeignKey("decisions.id", ondelete="CASCADE"), unique=True
    )
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    size: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    timestamp_pending: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    decision: Mapped[Decision] = relationship()

    @property
    def application(self) -> Application:
        return self.decision.application


class CertificateState(enum.StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self])


STATE_LABELS = {
    CertificateState.VALID: _l("gültig"),
    CertificateState.EXPIRED: _l("abgelaufen"),
    CertificateState.REVOKED: _l("widerrufen"),
}


class PrintKind(enum.StrEnum):
    CERTIFICATES = "certificates"
    FEEDBACK = "feedback"

    @property
    def label(self) -> str:
        return str(PRINT_KIND_LABELS[self])


PRINT_KIND_LABELS = {
    PrintKind.CERTIFICATES: _l("Urkunden"),
    PrintKind.FEEDBACK: _l("Rückmeldungen"),
}


class PrintState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    REPLACED = "replaced"  # a newer print of the round and kind is done; files removed

    @property
    def label(self) -> str:
        return str(PRINT_STATE_LABELS[self])

    @property
    def finished(self) -> bool:
        return self not in LIVE_PRINT_STATES


LIVE_PRINT_STATES = (PrintState.QUEUED, PrintState.RUNNING)


PRINT_STATE_LABELS = {
    PrintState.QUEUED: _l("wartet auf den Hintergrunddienst"),
    PrintState.RUNNING: _l("wird erstellt"),
    PrintState.DONE: _l("fertig"),
    PrintState.FAILED: _l("fehlgeschlagen"),
    PrintState.REPLACED: _l("durch einen neueren Druck ersetzt"),
}


class PrintJob(db.Model):
    """All certificates or all feedback letters of a round as one PDF and as a ZIP of single
    PDFs, made by the task queue; ``done`` of ``total`` shows the progress."""

    __tablename__ = "print_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("rounds.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[PrintKind] = mapped_column(enum_column(PrintKind))
    state: Mapped[PrintState] = mapped_column(enum_column(PrintState), default=PrintState.QUEUED)
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(sa.Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # set at each step (queued, claimed, every document): a live job quiet for long is lost
    progressed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the files' name in PRINT_DIR, random: ``<stem>.pdf`` and ``<stem>.zip``
    file_stem: Mapped[str] = mapped_column(sa.String(40), default=lambda: secrets.token_hex(16))
    pdf_size: Mapped[int] = mapped_column(default=0)
    zip_size: Mapped[int] = mapped_column(default=0)

    round: Mapped[Round] = relationship()

    __table_args__ = (
        # at most one live job per round and kind, also when two offices click at once
        sa.Index(
            "uq_print_jobs_live",
            "round_id",
            "kind",
            unique=True,
            sqlite_where=sa.text("state IN ('queued', 'running')"),
            postgresql_where=sa.text("state IN ('queued', 'running')"),
        ),
    )


def decision_taken(application_id: int) -> bool:
    """A decision is prepared or released: the reviews and agreed levels it rests on stay
    as they are (the office discards a prepared decision first to change them)."""
    query = sa.select(Decision.id).where(Decision.application_id == application_id)
    return db.session.scalar(query) is not None
