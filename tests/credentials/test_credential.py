"""Each certificate as an OpenBadgeCredential: its content against 1EdTech's schema, its
signature checked by a second JOSE library with the key read only from did.json, the baked
badges, and where the school and the public find them."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
from jwcrypto import jwk, jws
from PIL import Image

from seal_app.auth.models import Role
from tests.conftest import text_of
from tests.credentials.setup import certificate_of, check_file, part, served_token
from tests.reviews.jury_setup import client_of

SCHEMA = Path(__file__).parent / "schema" / "ob_v3p0_achievementcredential_schema.json"
ARTIFACTS = Path(__file__).parent.parent.parent / "test-artifacts"
DID = "did:web:siegel.example.org"


def _verified_independently(client, token: str) -> dict:
    """Verify with jwcrypto (the app signs with joserfc), the key taken from did.json only."""
    header = part(token, 0)
    document = client.get("/.well-known/did.json").json
    assert header["kid"] in document["assertionMethod"]
    [method] = [item for item in document["verificationMethod"] if item["id"] == header["kid"]]
    signed = jws.JWS()
    signed.deserialize(token)
    signed.verify(jwk.JWK(**method["publicKeyJwk"]), alg="ES256")
    return json.loads(signed.payload)


def test_the_credential_verifies_with_another_library_and_the_published_key(app, awarded):
    certificate = certificate_of(app, awarded)
    token = served_token(app, certificate.number)
    header = part(token, 0)
    assert header == {"alg": "ES256", "typ": "vc+jwt", "kid": f"{DID}#key-1"}
    payload = _verified_independently(app.test_client(), token)
    url = f"https://siegel.example.org/verify/{certificate.number}"
    assert payload["iss"] == DID and payload["issuer"]["id"] == DID
    assert payload["jti"] == payload["id"] == f"{url}/credential"
    assert payload["sub"] == payload["credentialSubject"]["id"]
    assert payload["nbf"] == int(datetime.fromisoformat(payload["validFrom"]).timestamp())
    assert payload["exp"] == int(datetime.fromisoformat(payload["validUntil"]).timestamp())
    assert payload["validFrom"].startswith(certificate.issued_on.isoformat())
    assert payload["validUntil"].startswith(certificate.valid_until.isoformat())


def test_the_credential_is_an_open_badge_by_the_published_schema(app, awarded):
    certificate = certificate_of(app, awarded)
    payload = part(served_token(app, certificate.number), 1)
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft201909Validator(
        schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    ).validate(payload)
    assert payload["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    subject = payload["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    identifiers = {item["identityType"]: item for item in subject["identifier"]}
    assert identifiers["identifier"]["identityHash"] == "75001"
    assert identifiers["identifier"]["hashed"] is False
    assert certificate.school_name in identifiers["name"]["identityHash"]
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert "Sicherheit macht Schule" in achievement["name"]
    assert "A Sicherheitskonzept" in achievement["criteria"]["narrative"]
    for word in ("Anna Arndt", "Bernd Brandt", "@example.org"):
        assert word not in json.dumps(payload, ensure_ascii=False)  # nobody in person
    assert payload["credentialStatus"]["type"] == "BitstringStatusListEntry"


def test_the_baked_badges_carry_the_credential(app, awarded):
    certificate = certificate_of(app, awarded)
    signed = served_token(app, certificate.number).rsplit(".", 1)[0]  # ECDSA: new each time
    client = app.test_client()
    png = client.get(f"/verify/{certificate.number}/siegel.png?download")
    assert png.mimetype == "image/png" and "attachment" in png.headers["Content-Disposition"]
    image = Image.open(io.BytesIO(png.data))
    assert image.size == (600, 600) and image.text["openbadgecredential"].startswith(signed)
    svg = client.get(f"/verify/{certificate.number}/siegel.svg")
    assert svg.mimetype == "image/svg+xml"
    root = ElementTree.fromstring(svg.data)
    assert root.find("{https://purl.imsglobal.org/ob/v3p0}credential").text.startswith(signed)
    assert b'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in svg.data
    assert certificate.school_name.encode() in svg.data
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "siegel.png").write_bytes(png.data)  # to look at
    (ARTIFACTS / "siegel.svg").write_bytes(svg.data)
    for data, name in ((png.data, "siegel.png"), (svg.data, "siegel.svg")):
        page = text_of(check_file(app, data, name))
        assert "Ergebnis: gültig" in page and certificate.school_name in page


def test_the_school_finds_its_badge_and_the_snippet(app, awarded, make):
    certificate = certificate_of(app, awarded)
    staff = client_of(app, awarded.staff)
    feedback = staff.get(f"/applications/{awarded.application_id}/feedback").text
    href = f"/verify/{certificate.number}/credential"
    link = f'<link rel="alternate" type="application/vc+jwt" href="{href}">'
    assert link in feedback and f"/applications/{awarded.application_id}/siegel" in feedback
    page = staff.get(f"/applications/{awarded.application_id}/siegel")
    assert page.status_code == 200
    verify = f"https://siegel.example.org/verify/{certificate.number}"
    assert f'type="application/vc+jwt" href="{verify}/credential"' in page.text
    assert (
        f"&lt;a href=&#34;{verify}&#34;&gt;&lt;img src=&#34;{verify}/siegel.png&#34;" in page.text
    )
    assert "Siegel-Bild mit Nachweis (PNG)" in text_of(page)
    other = make.user(Role.SCHOOL, school_ids=(make.school(number="75077"),))
    assert (
        client_of(app, other).get(f"/applications/{awarded.application_id}/siegel").status_code
        == 404
    )


def test_the_verify_page_links_the_credential(app, awarded):
    certificate = certificate_of(app, awarded)
    page = app.test_client().get(f"/verify/{certificate.number}").text
    href = f"/verify/{certificate.number}/credential"
    assert f'<link rel="alternate" type="application/vc+jwt" href="{href}">' in page
    assert f'href="{href}"' in page.split("</head>")[1]


def test_no_credential_for_a_number_without_certificate(app, awarded):
    for number in ("2026-999", "abc"):
        answer = app.test_client().get(f"/verify/{number}/credential")
        assert answer.status_code == 404 and "wurde nicht ausgestellt" in text_of(answer)
