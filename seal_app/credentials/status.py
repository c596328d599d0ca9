"""Revocation as a W3C Bitstring Status List: each certificate holds one random bit of a list
of at least 131,072 bits; revoking sets it and re-signs the list in the same transaction.

``encodedList`` is the GZIP-compressed bit string, base64url without padding, with the
multibase prefix ``u``; bit 0 is the leftmost bit of the first byte.
"""

from __future__ import annotations

import base64
import gzip
import secrets
from datetime import datetime

import sqlalchemy as sa

from seal_app.certificates.models import Certificate
from seal_app.credentials import identity, tokens
from seal_app.credentials.models import MINIMUM_BITS, StatusEntry, StatusList
from seal_app.db_types import utcnow
from seal_app.extensions import db

PURPOSE = "revocation"


def list_url(list_id: int) -> str:
    return identity.public_url(f"/credentials/status/{list_id}")


def encode(bits: bytes) -> str:
    compressed = gzip.compress(bits, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode(encoded: str) -> bytes:
    """The bit string of an ``encodedList`` (for checks and tests)."""
    if not encoded.startswith("u"):
        raise ValueError("no multibase base64url prefix")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def bit_of(bits: bytes, position: int) -> bool:
    return bool(bits[position // 8] & (0x80 >> (position % 8)))


def _with_bit(bits: bytes, position: int) -> bytes:
    changed = bytearray(bits)
    changed[position // 8] |= 0x80 >> (position % 8)
    return bytes(changed)


def _open_list() -> StatusList:
    """The newest list with room left (a new one when the newest is half full, so that a
    random free place is found quickly)."""
    newest = db.session.scalar(sa.select(StatusList).order_by(StatusList.id.desc()).limit(1))
    if newest is not None:
        used = db.session.scalar(sa.select(sa.func.count()).where(StatusEntry.list_id == newest.id))
        if used < newest.size // 2:
            return newest
    created = StatusList(size=MINIMUM_BITS, bits=bytes(MINIMUM_BITS // 8))
    db.session.add(created)
    db.session.flush()
    return created


def entry_of(certificate: Certificate) -> StatusEntry:
    """The certificate's place, given at random among the unused ones the first time (at
    issue; certificates issued before credentials existed get theirs on first use)."""
    query = sa.select(StatusEntry).where(StatusEntry.certificate_id == certificate.id)
    entry = db.session.scalar(query)
    if entry is not None:
        return entry
    status_list = _open_list()
    used = set(
        db.session.scalars(
            sa.select(StatusEntry.position).where(StatusEntry.list_id == status_list.id)
        )
    )
    position = secrets.randbelow(status_list.size)
    while position in used:
        position = secrets.randbelow(status_list.size)
    entry = StatusEntry(certificate_id=certificate.id, list_id=status_list.id, position=position)
    db.session.add(entry)
    db.session.flush()
    if certificate.revoked_at is not None:
        _set(status_list, position)
    return entry


def status_entry(entry: StatusEntry) -> dict:
    """The credential's ``credentialStatus``."""
    url = list_url(entry.list_id)
    return {
        "id": f"{url}#{entry.position}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": PURPOSE,
        "statusListIndex": str(entry.position),
        "statusListCredential": url,
    }


def revoke(certificate: Certificate) -> None:
    """Set the certificate's bit and re-sign its list (inside the revoking transaction)."""
    entry = entry_of(certificate)
    _set(db.session.get(StatusList, entry.list_id), entry.position)


def _set(status_list: StatusList, position: int) -> None:
    status_list.bits = _with_bit(status_list.bits, position)
    status_list.updated_at = utcnow()
    status_list.signed = _sign(status_list)
    db.session.flush()


def _sign(status_list: StatusList) -> str:
    url = list_url(status_list.id)
    now = status_list.updated_at
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": identity.issuer_did(),
        "validFrom": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": PURPOSE,
            "encodedList": encode(status_list.bits),
        },
    }
    return tokens.sign(credential, f"{url}#list", now, None)


def signed_list(list_id: int) -> str | None:
    """The list's signed credential (signed now if it never was); None if there is no list."""
    status_list = db.session.get(StatusList, list_id)
    if status_list is None:
        return None
    if status_list.signed is None:
        status_list.signed = _sign(status_list)
        db.session.flush()
    return status_list.signed


def is_revoked(list_id: int, position: int) -> bool | None:
    """The bit at ``position`` of our list ``list_id`` (None: no such list or place)."""
    status_list = db.session.get(StatusList, list_id)
    if status_list is None or not 0 <= position < status_list.size:
        return None
    return bit_of(status_list.bits, position)


def revoked_at(list_id: int, position: int) -> datetime | None:
    """When the certificate at this place of our list was revoked (None: not known)."""
    query = (
        sa.select(Certificate.revoked_at)
        .join(StatusEntry, StatusEntry.certificate_id == Certificate.id)
        .where(StatusEntry.list_id == list_id, StatusEntry.position == position)
    )
    return db.session.scalar(query)
