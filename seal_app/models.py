"""Imports every model so that SQLAlchemy and Alembic see the whole schema."""

from seal_app.accounts.models import AccessRequest, AccessRequestStatus
from seal_app.applications.archive_models import EvidenceArchive
from seal_app.applications.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    CriterionAnswer,
    EvidenceFile,
    EvidenceRequest,
    RenewalNote,
    RequestResponse,
    Vote,
    VoteKind,
)
from seal_app.audit.models import AuditEntry
from seal_app.auth.models import (
    PasswordLink,
    PasswordLinkPurpose,
    Role,
    SecurityEvent,
    SecurityEventKind,
    User,
    UserSession,
)
from seal_app.catalogue.models import CatalogueVersion
from seal_app.certificates.models import Certificate, Decision, Outcome, PrintJob
from seal_app.certificates.paper_models import PendingSealImport
from seal_app.credentials.models import StatusEntry, StatusList
from seal_app.drafts.models import KeptDraft
from seal_app.notifications.models import OutboxAttachment, OutboxMessage
from seal_app.reviews.discussion_models import DiscussionComment
from seal_app.reviews.models import (
    Assignment,
    ConflictState,
    JuryLevel,
    Recommendation,
    Review,
    RoundConflict,
    Score,
    Visit,
    VisitParticipant,
    VisitProtocol,
)
from seal_app.rounds.models import Round, RoundStatus
from seal_app.schools.models import Position, School, SchoolMembership, SchoolType
from seal_app.twofactor.models import Passkey, RecoveryCode, TotpFactor

__all__ = [
    "AccessRequest",
    "AccessRequestStatus",
    "Application",
    "ApplicationKind",
    "ApplicationStatus",
    "Assignment",
    "AuditEntry",
    "CatalogueVersion",
    "Certificate",
    "ConflictState",
    "CriterionAnswer",
    "Decision",
    "DiscussionComment",
    "EvidenceArchive",
    "EvidenceFile",
    "EvidenceRequest",
    "JuryLevel",
    "KeptDraft",
    "OutboxAttachment",
    "OutboxMessage",
    "Outcome",
    "Passkey",
    "PasswordLink",
    "PasswordLinkPurpose",
    "PendingSealImport",
    "Position",
    "PrintJob",
    "Recommendation",
    "RecoveryCode",
    "RenewalNote",
    "RequestResponse",
    "Review",
    "Role",
    "Round",
    "RoundConflict",
    "RoundStatus",
    "School",
    "SchoolMembership",
    "SchoolType",
    "Score",
    "SecurityEvent",
    "SecurityEventKind",
    "StatusEntry",
    "StatusList",
    "TotpFactor",
    "User",
    "UserSession",
    "Visit",
    "VisitParticipant",
    "VisitProtocol",
    "Vote",
    "VoteKind",
]
