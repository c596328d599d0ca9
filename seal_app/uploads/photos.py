"""Photos: an upload checked like every other file, then accepted only as a JPEG or PNG
picture, turned upright and saved again without its metadata (no GPS location, no camera
serial), with a thumbnail made on the server stored beside it."""

from __future__ import annotations

import hashlib
import io
import os
import secrets
from dataclasses import dataclass

from flask_babel import gettext as _
from PIL import Image, ImageOps
from werkzeug.datastructures import FileStorage

from seal_app.uploads.checks import JPEG, PNG, UploadRejectedError, kind_by_signature
from seal_app.uploads.store import StoredFile, UploadBatch, path_of, root

PHOTO_TYPES = {JPEG: "JPEG", PNG: "PNG"}
THUMBNAIL_PIXELS = 320
MAX_PIXELS = 50_000_000  # a 50-megapixel camera; more is not a photo of a school visit


@dataclass(frozen=True)
class StoredPhoto:
    file: StoredFile  # the photo as kept: upright, without metadata
    thumbnail_name: str
    thumbnail_sha256: str


def save_photo(batch: UploadBatch, upload: FileStorage, max_bytes: int) -> StoredPhoto:
    """Check and store a photo and its thumbnail; raises UploadRejectedError and keeps
    nothing (the batch removes what it wrote)."""
    _refuse_other_kinds(upload)
    stored = batch.save(upload, max_bytes)
    path = path_of(stored.stored_name)
    with Image.open(path) as image:
        if image.width * image.height > MAX_PIXELS:
            raise UploadRejectedError(
                _("Das Foto hat zu viele Bildpunkte (höchstens 50 Megapixel).")
            )
        upright = ImageOps.exif_transpose(image)
        cleaned = _encoded(upright, PHOTO_TYPES[stored.media_type])
        upright.thumbnail((THUMBNAIL_PIXELS, THUMBNAIL_PIXELS))
        thumbnail = _encoded(upright, "JPEG")
    _replace(stored.stored_name, cleaned)
    digest = hashlib.sha256(cleaned).hexdigest()
    kept = StoredFile(
        stored.stored_name, stored.display_name, stored.media_type, len(cleaned), digest
    )
    small = batch.save_generated(thumbnail, "thumbnail.jpg", JPEG)
    return StoredPhoto(kept, small.stored_name, small.sha256)


def _refuse_other_kinds(upload: FileStorage) -> None:
    """Refuse by the first bytes what is no JPEG or PNG, before the checks shared by all
    uploads, whose messages name the document types evidence may have."""
    start = upload.stream.tell()
    head = upload.stream.read(16)
    upload.stream.seek(start)
    if head and kind_by_signature(head) not in PHOTO_TYPES:
        raise UploadRejectedError(_("Bitte laden Sie ein Foto hoch: erlaubt sind JPEG und PNG."))


def _encoded(image: Image.Image, kind: str) -> bytes:
    """The picture's pixels only. Pillow copies some of an opened image's `info` into the
    file it writes (the JPEG comment, the ICC profile; PNG text chunks and dpi where asked), so
    the pixels go into a new image that has no `info` at all, and nothing else is passed."""
    kept_modes = ("RGB", "L") if kind == "JPEG" else ("RGB", "RGBA", "L", "LA")
    if image.mode not in kept_modes:
        with_alpha = kind == "PNG" and image.has_transparency_data
        image = image.convert("RGBA" if with_alpha else "RGB")
    pixels = Image.frombytes(image.mode, image.size, image.tobytes())
    output = io.BytesIO()
    pixels.save(output, kind, **({"quality": 88} if kind == "JPEG" else {}))
    return output.getvalue()


def _replace(stored_name: str, data: bytes) -> None:
    temporary = root() / f".photo-{secrets.token_hex(8)}"
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path_of(stored_name))
    finally:
        temporary.unlink(missing_ok=True)
