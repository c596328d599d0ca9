"""The issuer: its did:web identifier, the DID document with its keys, its profile, key
rotation and a broken key file at start-up."""

from __future__ import annotations

import pytest

from seal_app import create_app
from seal_app.credentials.identity import did_of
from tests.credentials.setup import certificate_of, check_text, part, served_token

DID = "did:web:siegel.example.org"


@pytest.mark.parametrize(
    ("url", "did"),
    [
        ("https://siegel.example.org", DID),
        ("https://siegel.example.org/", DID),
        ("http://127.0.0.1:5000", "did:web:127.0.0.1%3A5000"),
        (
            "https://example.org:8443/landkreis/siegel",
            "did:web:example.org%3A8443:landkreis:siegel",
        ),
    ],
)
def test_the_did_follows_the_public_address(url, did):
    assert did_of(url) == did


def test_did_json_publishes_the_key_for_assertions(app, client):
    answer = client.get("/.well-known/did.json")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    document = answer.json
    assert document["id"] == DID
    [method] = document["verificationMethod"]
    assert method["id"] == f"{DID}#key-1" and method["controller"] == DID
    assert method["type"] == "JsonWebKey2020"
    assert method["publicKeyJwk"]["kty"] == "EC" and method["publicKeyJwk"]["crv"] == "P-256"
    assert "d" not in method["publicKeyJwk"]  # never the private part
    assert document["assertionMethod"] == [method["id"]]
    assert client.get("/did.json").json == document


def test_the_issuer_profile_is_a_page_and_json(app, client):
    page = client.get("/issuer")
    assert "Herausgeber der digitalen Nachweise" in page.text and DID in page.text
    assert "Büro für Gleichstellung und Kriminalprävention" in page.text
    for answer in (
        client.get("/issuer.json"),
        client.get("/issuer", headers={"Accept": "application/json"}),
    ):
        profile = answer.json
        assert profile["id"] == DID and profile["type"] == ["Profile"]
        assert profile["email"] == app.config["OFFICE_EMAIL"]
        assert profile["url"] == "https://siegel.example.org/issuer"


def test_a_rotated_key_signs_and_the_old_one_still_verifies(app, awarded, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "CREDENTIAL_KEY_DIR", str(tmp_path / "keys"))
    certificate = certificate_of(app, awarded)
    old = served_token(app, certificate.number)
    assert part(old, 0)["kid"] == f"{DID}#key-1"
    result = app.test_cli_runner().invoke(args=["seal", "credential-key", "rotate"])
    assert result.exit_code == 0 and f"{DID}#key-2" in result.output
    new = served_token(app, certificate.number)
    assert part(new, 0)["kid"] == f"{DID}#key-2"
    published = [
        item["id"]
        for item in app.test_client().get("/.well-known/did.json").json["verificationMethod"]
    ]
    assert published == [f"{DID}#key-1", f"{DID}#key-2"]
    for token in (old, new):
        assert "Ergebnis: gültig" in check_text(app, token)


def test_a_broken_key_file_stops_the_start(tmp_path):
    (tmp_path / "key-1.pem").write_text("kein Schlüssel")
    config = {
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "SECRET_KEY": "x",
        "CREDENTIAL_KEY_DIR": str(tmp_path),
        "SIGNING_KEY_FILE": str(tmp_path / "missing-key.pem"),
        "SIGNING_CERT_FILE": str(tmp_path / "missing-cert.pem"),
    }
    with pytest.raises(SystemExit, match=r"SEAL_CREDENTIAL_KEY_DIR: .*key-1\.pem ist nicht lesbar"):
        create_app(config)
