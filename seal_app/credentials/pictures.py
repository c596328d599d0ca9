"""The seal's pictures as served: each rendered once per process and kept in memory, keyed by
the certificate, whether (and when) it was revoked, and the kind of picture; a revoked
certificate's picture is stamped „WIDERRUFEN“ with the day and carries no credential.

Painting a PNG costs a few tenths of a second of CPU, and schools embed the picture in their
websites: without the cache every visitor of such a page would cost that much."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app

from seal_app.certificates.models import Certificate
from seal_app.credentials import baking, credential, seal_image
from seal_app.local_time import local_zone

MAX_KEPT = 128  # pictures of about 200 KB each
CACHE_CONTROL = "public, max-age=3600"


@dataclass(frozen=True)
class Picture:
    data: bytes
    mimetype: str
    etag: str


class _Kept:
    """A small least-recently-used store shared by the threads of one process."""

    def __init__(self, size: int) -> None:
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key: tuple, make: Callable[[], Picture]) -> Picture:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        picture = make()  # outside the lock: two threads may paint it once each, no harm
        with self.lock:
            self.items[key] = picture
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return picture


_kept = _Kept(MAX_KEPT)


def _picture(data: bytes, mimetype: str) -> Picture:
    return Picture(data, mimetype, hashlib.sha256(data).hexdigest()[:32])


def revoked_on(certificate: Certificate) -> str | None:
    """The day of the revocation in the district's time (a revocation at 23:30 UTC in winter
    happened on the next day there)."""
    if certificate.revoked_at is None:
        return None
    return certificate.revoked_at.astimezone(local_zone()).strftime("%d.%m.%Y")


def seal_text(certificate: Certificate) -> seal_image.SealText:
    return seal_image.SealText(
        school=certificate.school_name,
        valid_until=certificate.valid_until.strftime("%d.%m.%Y"),
        number=certificate.number,
        district=current_app.config["DISTRICT_NAME"],
        revoked_on=revoked_on(certificate),
    )


def seal_title(certificate: Certificate) -> str:
    title = (
        f"{credential.SEAL}: {certificate.school_name}, gültig bis "
        f"{certificate.valid_until.strftime('%d.%m.%Y')}"
    )
    revoked = revoked_on(certificate)
    return f"{title} – WIDERRUFEN am {revoked}" if revoked else title


def certificate_picture(certificate: Certificate, kind: str, signed: Callable[[], str]) -> Picture:
    """The PNG or SVG (``kind``) of the certificate's seal; with the credential ``signed()``
    baked in unless the certificate is revoked."""
    key = (certificate.number, certificate.sha256, revoked_on(certificate), kind)

    def make() -> Picture:
        text = seal_text(certificate)
        token = None if text.revoked_on else signed()
        if kind == "png":
            data = baking.baked_png(text, token) if token else seal_image.png_bytes(text)
            return _picture(data, "image/png")
        title = seal_title(certificate)
        return _picture(seal_image.svg(text, title, token), "image/svg+xml")

    return _kept.get(key, make)


def plain_seal() -> Picture:
    """The seal itself, without a school (the achievement's image)."""
    district = current_app.config["DISTRICT_NAME"]

    def make() -> Picture:
        text = seal_image.SealText(None, None, None, district)
        return _picture(seal_image.png_bytes(text), "image/png")

    return _kept.get(("plain", district), make)
