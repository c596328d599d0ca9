"""Static files under content-hashed URLs: `static_url("css/app.css")` gives
`/static/css/app.css?v=<hash of the file>`. A browser keeps such a response for a year without
asking again (`immutable`): a changed file has another hash, so another URL. A static file
asked for without its current hash is kept only for a short while.

The hashes are computed once per process (on each use in debug mode, where files change)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, Response, current_app, request, url_for

YEAR = 365 * 24 * 3600
SHORT = 600  # an un-hashed URL, e.g. from a page cached before a deployment
IMMUTABLE = f"public, max-age={YEAR}, immutable"
HASH_LENGTH = 12


def content_hash(path: Path) -> str:
    """The first characters of the file's SHA-256: what `?v=` carries."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]


def _hashes(app: Flask) -> dict[str, str]:
    return app.extensions.setdefault("static_hashes", {})


def file_hash(filename: str) -> str | None:
    """The hash of a file in the static folder (None if there is no such file)."""
    app = current_app
    hashes = _hashes(app)
    if app.debug or filename not in hashes:
        folder = Path(app.static_folder).resolve()
        path = (folder / filename).resolve()
        if not path.is_relative_to(folder) or not path.is_file():
            return None
        hashes[filename] = content_hash(path)
    return hashes[filename]


def static_url(filename: str) -> str:
    """The URL of a static file, carrying its content's hash."""
    version = file_hash(filename)
    if version is None:
        return url_for("static", filename=filename)
    return url_for("static", filename=filename, v=version)


def _cache_static_files(response: Response) -> Response:
    if request.endpoint != "static" or response.status_code not in (200, 206, 304):
        return response
    filename = (request.view_args or {}).get("filename", "")
    asked = request.args.get("v")
    if asked is not None and asked == file_hash(filename):
        response.headers["Cache-Control"] = IMMUTABLE
    else:
        response.headers["Cache-Control"] = f"public, max-age={SHORT}"
    return response


def register(app: Flask) -> None:
    app.add_template_global(static_url)
    app.after_request(_cache_static_files)
