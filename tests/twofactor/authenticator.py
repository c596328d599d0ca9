"""A software passkey for the test client: answers WebAuthn ceremonies as a browser with an
authenticator would (attestation „none“, P-256, ES256), so that responses can be made for
another user, another origin or an old challenge."""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import struct
from base64 import urlsafe_b64encode

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec


def b64url(data: bytes) -> str:
    return urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def options_in(page_html: str) -> dict:
    """The ceremony's options the page gives its script."""
    found = re.search(r'data-passkey-options="([^"]*)"', page_html)
    assert found, "no passkey options on the page"
    return json.loads(html.unescape(found.group(1)))


class SoftPasskey:
    def __init__(self, rp_id: str = "siegel.example.org") -> None:
        self.rp_id = rp_id
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.sign_count = 0

    def _client_data(self, kind: str, challenge: str, origin: str) -> bytes:
        data = {"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}
        return json.dumps(data).encode()

    def _rp_hash(self) -> bytes:
        return hashlib.sha256(self.rp_id.encode()).digest()

    def register(self, options: dict, origin: str = "https://siegel.example.org") -> str:
        numbers = self.key.public_key().public_numbers()
        cose = {
            1: 2,
            3: -7,
            -1: 1,
            -2: numbers.x.to_bytes(32, "big"),
            -3: numbers.y.to_bytes(32, "big"),
        }
        attested = bytes(16) + struct.pack(">H", len(self.credential_id)) + self.credential_id
        auth_data = (
            self._rp_hash() + bytes([0x45]) + struct.pack(">I", 0) + attested + cbor2.dumps(cose)
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        return self._answer(
            client_data, attestationObject=b64url(attestation), transports=["internal"]
        )

    def assert_(self, options: dict, origin: str = "https://siegel.example.org") -> str:
        self.sign_count += 1
        auth_data = self._rp_hash() + bytes([0x05]) + struct.pack(">I", self.sign_count)
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = self.key.sign(signed, ec.ECDSA(hashes.SHA256()))
        return self._answer(
            client_data,
            authenticatorData=b64url(auth_data),
            signature=b64url(signature),
            userHandle=None,
        )

    def _answer(self, client_data: bytes, **response) -> str:
        """The credential as the browser's script sends it (JSON, base64url fields)."""
        credential_id = b64url(self.credential_id)
        return json.dumps(
            {
                "id": credential_id,
                "rawId": credential_id,
                "type": "public-key",
                "response": {"clientDataJSON": b64url(client_data), **response},
                "clientExtensionResults": {},
            }
        )
