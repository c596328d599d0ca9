"""Revocation in the Bitstring Status List, and the public check of a credential with every
kind of bad input: each gets a clear German verdict, never an error page."""

from __future__ import annotations

import base64
import gzip
import io
import re
import struct
import zlib
from datetime import datetime, timedelta

from joserfc import jwt
from joserfc.jwk import ECKey
from PIL import Image

from tests.conftest import text_of
from tests.credentials.setup import (
    b64,
    certificate_of,
    check_file,
    check_text,
    part,
    revoke,
    served_token,
)

DID = "did:web:siegel.example.org"


def _bits_served(app, url: str) -> bytes:
    answer = app.test_client().get(url)
    assert answer.status_code == 200 and answer.mimetype == "application/vc+jwt"
    assert answer.headers["Cache-Control"] == "public, max-age=300"
    subject = part(answer.text, 1)["credentialSubject"]
    assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == "revocation"
    encoded = subject["encodedList"]
    assert encoded.startswith("u")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def _bit(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))  # bit 0: leftmost of the first byte


def test_revoking_flips_the_certificates_bit_in_the_status_list(app, awarded):
    certificate = certificate_of(app, awarded)
    token = served_token(app, certificate.number)
    entry = part(token, 1)["credentialStatus"]
    url = entry["statusListCredential"]
    assert re.fullmatch(r"https://siegel\.example\.org/credentials/status/\d+", url)
    assert entry["id"] == f"{url}#{entry['statusListIndex']}"
    assert entry["statusPurpose"] == "revocation"
    index = int(entry["statusListIndex"])
    path = url.removeprefix("https://siegel.example.org")
    before = _bits_served(app, path)
    assert len(before) * 8 >= 131_072 and not any(before)
    assert "Ergebnis: gültig" in check_text(app, token)

    revoke(app, awarded, certificate)
    after = _bits_served(app, path)
    assert _bit(after, index) and sum(bin(byte).count("1") for byte in after) == 1
    assert "Ergebnis: widerrufen" in check_text(app, token)
    assert app.test_client().get("/credentials/status/999999").status_code == 404


def _signed_by(key: ECKey, header: dict, claims: dict) -> str:
    return jwt.encode(header, claims, key, algorithms=[header["alg"]])


def test_tampered_foreign_and_unsigned_credentials_are_refused(app, awarded):
    certificate = certificate_of(app, awarded)
    token = served_token(app, certificate.number)
    header, claims = part(token, 0), part(token, 1)
    head, body, signature = token.split(".")

    changed = dict(claims, name=claims["name"].replace("Schule", "Schuhe"))
    tampered = f"{head}.{b64(changed)}.{signature}"
    flipped = (
        f"{head}.{body}.{signature[:10]}{'A' if signature[10] != 'A' else 'B'}{signature[11:]}"
    )
    stranger = ECKey.generate_key("P-256")
    foreign = _signed_by(stranger, header, claims)
    unknown = _signed_by(stranger, dict(header, kid=f"{DID}#key-9"), claims)
    other_did = _signed_by(stranger, dict(header, kid="did:web:example.com#key-1"), claims)
    unsigned = f"{b64(dict(header, alg='none'))}.{body}."
    for bad in (tampered, flipped, foreign, unsigned):
        page = check_text(app, bad)
        assert "Ergebnis: Signatur ungültig" in page, bad[:40]
        assert certificate.school_name not in page.split("<form")[0]  # nothing read from it
    for bad in (unknown, other_did):
        assert "Ergebnis: unbekannter Schlüssel" in check_text(app, bad)
    assert "Ergebnis: nicht lesbar" in check_text(app, "hallo")
    assert "Ergebnis: nicht lesbar" in check_text(app, "e30.e30.e30")


def test_an_expired_credential_says_so_with_what_it_states(app, awarded, monkeypatch):
    certificate = certificate_of(app, awarded)
    token = served_token(app, certificate.number)
    later = datetime.fromisoformat(part(token, 1)["validUntil"]) + timedelta(seconds=1)
    monkeypatch.setattr("seal_app.credentials.checking.utcnow", lambda: later)
    page = text_of(app.test_client().post("/verify", data={"credential": token}))
    assert "Ergebnis: abgelaufen" in page and certificate.school_name in page
    assert "75001" in page


def _chunks(data: bytes):
    offset = 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        yield offset, length, data[offset + 4 : offset + 8]
        offset += 12 + length


def _with_chunk_text(data: bytes, old: bytes, new: bytes, fix_crc: bool) -> bytes:
    for offset, length, kind in _chunks(data):
        if kind == b"iTXt":
            body = data[offset + 8 : offset + 8 + length].replace(old, new)
            assert len(body) == length
            crc = zlib.crc32(kind + body) if fix_crc else zlib.crc32(kind + body) ^ 1
            return data[: offset + 8] + body + struct.pack(">I", crc) + data[offset + 12 + length :]
    raise AssertionError("no iTXt chunk")


def test_edited_or_empty_badge_pictures_are_refused(app, awarded):
    certificate = certificate_of(app, awarded)
    png = app.test_client().get(f"/verify/{certificate.number}/siegel.png").data
    token = Image.open(io.BytesIO(png)).text["openbadgecredential"]
    body = token.split(".")[1]
    edited = body[:20] + ("A" if body[20] != "A" else "B") + body[21:]
    forged = _with_chunk_text(png, body.encode(), edited.encode(), fix_crc=True)
    assert "Ergebnis: Signatur ungültig" in text_of(check_file(app, forged, "siegel.png"))
    broken = _with_chunk_text(png, body.encode(), edited.encode(), fix_crc=False)
    assert "beschädigt oder wurde verändert" in text_of(check_file(app, broken, "siegel.png"))

    plain = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(plain, format="PNG")
    answer = check_file(app, plain.getvalue(), "bild.png")
    assert answer.status_code == 200 and "kein digitaler Nachweis" in text_of(answer)
    assert "weder ein PNG- noch ein SVG-Bild" in text_of(check_file(app, b"GIF89a", "x.gif"))
    entity = b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg"/>'
    assert "lässt sich nicht lesen" in text_of(check_file(app, entity, "x.svg"))


def test_too_large_or_missing_input_is_refused_with_a_message(app, awarded, monkeypatch):
    big = b"\x89PNG\r\n\x1a\n" + b"\0" * (1024 * 1024)
    answer = check_file(app, big, "gross.png")
    assert answer.status_code == 200 and "Die Datei ist größer als 1 MB." in text_of(answer)
    empty = app.test_client().post("/verify", data={"credential": "  "})
    assert "Bitte fügen Sie einen Nachweis ein" in text_of(empty)
    monkeypatch.setitem(app.config, "CREDENTIAL_CHECK_MAX_BYTES", 1000)
    long = app.test_client().post("/verify", data={"credential": "e" * 2000})
    assert "Der Nachweis ist länger als 1 MB." in text_of(long)
    huge = app.test_client().post("/verify", data={"credential": "e" * (3 * 1024 * 1024)})
    assert huge.status_code == 413
