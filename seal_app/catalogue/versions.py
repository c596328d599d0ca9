"""The office's view of catalogue versions, and adding a new version from an uploaded file.

An uploaded version lives in the database (``CatalogueVersion`` with ``uploaded_at``), not in
a file: every process of the app sees it at once, it survives restarts and deployments that
replace the code, and a backup of the database carries it. It is validated exactly like the
files in ``criteria/`` (``loader.parse``) and locked (``locked_at``) once a round uses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

import sqlalchemy as sa
from flask_babel import gettext as _

from seal_app.audit.services import record
from seal_app.auth.models import User
from seal_app.catalogue import services
from seal_app.catalogue.loader import CatalogueError, parse
from seal_app.catalogue.model import Catalogue
from seal_app.catalogue.models import CatalogueVersion
from seal_app.db_types import utcnow
from seal_app.extensions import db
from seal_app.rounds.models import Round

MAX_UPLOAD_BYTES = 1024 * 1024  # the catalogue of 2026 has 25 KB
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Refusal:
    """Why a file cannot become a version; ``line`` where the loader knows it."""

    message: str
    line: int | None = None


class UploadRefusedError(Exception):
    def __init__(self, refusals: list[Refusal]):
        self.refusals = refusals
        super().__init__("; ".join(item.message for item in refusals))


@dataclass(frozen=True)
class VersionInfo:
    """One known version as the office's list shows it."""

    version: str
    catalogue: Catalogue
    record: CatalogueVersion | None  # None: a file no round has used yet
    file_name: str | None  # the file in criteria/, if there is one
    rounds: tuple[Round, ...]
    previous: str | None
    problem: str | None  # the file differs from the locked text, or is gone

    @property
    def frozen(self) -> bool:
        """Used by a round: its text can no longer change."""
        return bool(self.rounds) or (self.record is not None and self.record.locked_at is not None)

    @property
    def uploaded(self) -> bool:
        return self.record is not None and self.record.uploaded

    @property
    def sha256_short(self) -> str:
        return self.catalogue.sha256[:12]


def known_versions() -> list[VersionInfo]:
    """Every version, newest first: files, uploads and locked versions whose file is gone."""
    files = services.on_disk()
    records = {item.version: item for item in db.session.scalars(sa.select(CatalogueVersion))}
    problems = {item.version: reason for item, reason in services.changed_versions()}
    rounds: dict[str, list[Round]] = {}
    for round_ in db.session.scalars(sa.select(Round).order_by(Round.year)):
        rounds.setdefault(round_.catalogue_version, []).append(round_)
    order = sorted(files.keys() | records.keys(), key=services.version_key)
    infos = []
    for index, version in enumerate(order):
        record_ = records.get(version)
        catalogue = files.get(version) or services.from_record(record_)  # type: ignore[arg-type]
        if record_ is not None and record_.locked_at is not None:
            catalogue = services.from_record(record_)  # what the rounds use
        infos.append(
            VersionInfo(
                version=version,
                catalogue=catalogue,
                record=record_,
                file_name=files[version].source_name if version in files else None,
                rounds=tuple(rounds.get(version, ())),
                previous=order[index - 1] if index else None,
                problem=problems.get(version),
            )
        )
    return list(reversed(infos))


def catalogue_of_version(version: str) -> Catalogue | None:
    """The text of ``version`` as rounds see it: the locked text where a round locked it."""
    record_ = db.session.get(CatalogueVersion, version)
    if record_ is not None and (record_.locked_at is not None or record_.uploaded):
        return services.from_record(record_)
    return services.on_disk().get(version)


def previous_version(version: str) -> str | None:
    """The newest known version older than ``version``."""
    older = [item for item in _all_versions() if services.version_key(item) < _key(version)]
    return max(older, key=services.version_key) if older else None


def newest_version() -> str | None:
    versions = _all_versions()
    return max(versions, key=services.version_key) if versions else None


def check_upload(data: bytes, filename: str) -> Catalogue:
    """The catalogue in an uploaded file, checked like a file in ``criteria/`` and as the next
    version; raises ``UploadRefusedError`` with German reasons (and lines where known)."""
    name = safe_name(filename)
    if not name.lower().endswith(YAML_SUFFIXES):
        raise UploadRefusedError(
            [Refusal(_("Bitte laden Sie eine YAML-Datei hoch (Endung .yaml oder .yml)."))]
        )
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRefusedError(
            [Refusal(_("Die Datei ist größer als 1 MB. Ein Kriterienkatalog ist viel kleiner."))]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:
        raise UploadRefusedError(
            [Refusal(_("Die Datei ist keine Textdatei in UTF-8 und damit kein YAML."))]
        )
    return check_text(text, name)


def check_text(text: str, name: str) -> Catalogue:
    try:
        catalogue = parse(text, source=name)
    except CatalogueError as error:
        raise UploadRefusedError(
            [Refusal(problem.message, problem.line or None) for problem in error.problems]
        ) from error
    _require_new_version(catalogue.version)
    return catalogue


def add_version(catalogue: Catalogue, actor: User) -> CatalogueVersion:
    """Store ``catalogue`` as a new version that new rounds may use."""
    _require_new_version(catalogue.version)
    added = CatalogueVersion(
        version=catalogue.version,
        sha256=catalogue.sha256,
        source_name=catalogue.source_name,
        content=catalogue.text,
        locked_at=None,
        uploaded_at=utcnow(),
        uploaded_by_id=actor.id,
    )
    db.session.add(added)
    record(
        "catalogue.version_added",
        None,
        actor,
        catalogue_version=catalogue.version,
        file=catalogue.source_name,
        sha256=catalogue.sha256,
    )
    return added


def safe_name(filename: str) -> str:
    """The file's own name without any folder a browser may send, at most 100 characters."""
    name = PureWindowsPath(PurePosixPath(filename or "").name).name.strip()
    return "".join(char for char in name if char.isprintable())[-100:]


def _require_new_version(version: str) -> None:
    if version in _all_versions():
        raise UploadRefusedError(
            [
                Refusal(
                    _(
                        "Die Fassung %(version)s gibt es schon. Geben Sie der neuen Fassung "
                        "eine neue Versionsnummer (Angabe „version“).",
                        version=version,
                    )
                )
            ]
        )
    newest = newest_version()
    if newest is not None and _key(version) <= services.version_key(newest):
        raise UploadRefusedError(
            [
                Refusal(
                    _(
                        "Die Fassung %(version)s ist nicht neuer als die neueste Fassung "
                        "%(newest)s. Eine neue Fassung braucht eine höhere Versionsnummer, "
                        "zum Beispiel %(example)s.",
                        version=version,
                        newest=newest,
                        example=f"{services.version_key(newest)[0] + 1}.1",
                    )
                )
            ]
        )


def _all_versions() -> set[str]:
    records = db.session.scalars(sa.select(CatalogueVersion.version))
    return set(services.on_disk()) | set(records)


def _key(version: str) -> tuple[int, int]:
    return services.version_key(version)
