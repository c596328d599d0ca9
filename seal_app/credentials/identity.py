"""The district as issuer: its did:web identifier, the DID document with the public keys, and
its Open Badges profile. Everything is derived from ``PUBLIC_BASE_URL`` and the office's
settings."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from flask import current_app

from seal_app.credentials import keys

DID_CONTEXT = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"]


def base_url() -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def public_url(path: str) -> str:
    """An absolute URL of ours (``path`` starts with a slash)."""
    return base_url() + path


def did_of(url: str) -> str:
    """``did:web`` for a base URL: the host, its port as ``%3A<port>``, path segments after
    colons (https://example.org:8443/siegel -> did:web:example.org%3A8443:siegel)."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    if parts.port:
        host += f"%3A{parts.port}"
    segments = [quote(item, safe="") for item in parts.path.split("/") if item]
    return ":".join(["did:web", host, *segments])


def issuer_did() -> str:
    return did_of(base_url())


def key_id(key: keys.SigningKey) -> str:
    """The DID URL of a key, as the ``kid`` of every signature: ``did:web:…#key-1``."""
    return f"{issuer_did()}#{key.name}"


def did_document() -> dict:
    """The DID document: every key, newest last, each allowed to assert credentials."""
    did = issuer_did()
    methods = [
        {
            "id": key_id(item),
            "type": "JsonWebKey2020",
            "controller": did,
            "publicKeyJwk": {**item.key.as_dict(private=False), "alg": keys.ALGORITHM},
        }
        for item in (keys.all_keys() or [keys.signing_key()])
    ]
    return {
        "@context": DID_CONTEXT,
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [item["id"] for item in methods],
    }


def issuer_profile() -> dict:
    """The issuer as an Open Badges ``Profile`` (in every credential and at /issuer.json)."""
    config = current_app.config
    return {
        "id": issuer_did(),
        "type": ["Profile"],
        "name": f"{config['DISTRICT_NAME']} – {config['OFFICE_NAME']}",
        "url": public_url("/issuer"),
        "email": config["OFFICE_EMAIL"],
        "description": "Gütesiegel „Sicherheit macht Schule“",
    }
