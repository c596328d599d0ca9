"""Pages everyone sees: health check, error pages, headers, language, CSRF."""

from __future__ import annotations

import io
import re

from flask import request

from seal_app import create_app
from tests.conftest import login, text_of


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_german_404_page(client):
    response = client.get("/gibt-es-nicht")
    assert response.status_code == 404
    page = text_of(response)
    assert "Seite nicht gefunden" in page and "Zur Startseite" in page


def test_oversized_request_gets_the_413_page(app, client, accounts, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1000)
    login(client, accounts["office"])
    response = client.post(
        "/office/schools/import",
        data={"file": (io.BytesIO(b"x" * 5000), "gross.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "Die Datei ist zu groß" in text_of(response)


def test_forbidden_page_is_german(client, accounts):
    login(client, accounts["school"])
    response = client.get("/office/users")
    assert response.status_code == 403 and "Kein Zugriff" in text_of(response)


def test_security_headers(client, accounts):
    response = client.get("/login")
    headers = response.headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    login(client, accounts["office"])
    assert client.get("/office/users").headers["Cache-Control"] == "no-store"


def test_forms_without_csrf_token_are_refused(app, client, accounts, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post("/login", data={"email": accounts["office"], "password": "x"})
    assert response.status_code == 400
    assert "Das Formular ist abgelaufen" in text_of(response)
    assert client.post("/logout").status_code == 400
    assert 'name="csrf_token"' in client.get("/login").get_data(as_text=True)


def test_english_can_be_chosen_and_german_is_the_default(client):
    assert '<html lang="de">' in client.get("/login").get_data(as_text=True)
    response = client.post("/language", data={"language": "en", "next": "/login"})
    assert response.headers["Location"] == "/login"
    page = client.get("/login")
    assert '<html lang="en">' in page.get_data(as_text=True)
    assert "Log in" in text_of(page) and "Anmelden" not in text_of(page)
    client.post("/language", data={"language": "de", "next": "https://evil.example.com"})
    assert "Anmelden" in text_of(client.get("/login"))


def test_every_page_has_one_h1_a_skip_link_and_landmarks(client, accounts):
    for path in ("/", "/login", "/register", "/catalogue/", "/accessibility"):
        html = client.get(path).get_data(as_text=True)
        assert html.count("<h1") == 1, path
        assert 'href="#content"' in html and '<main id="content"' in html
        assert "<nav" in html and "<header" in html and "<footer" in html


def test_behind_one_proxy_the_client_address_and_scheme_are_used(tmp_path):
    app = create_app(
        {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://", "PROXY_FIX_HOPS": 1}
    )
    seen = []

    @app.get("/whoami")
    def whoami():
        seen.append((request.remote_addr, request.scheme))
        return ""

    app.test_client().get(
        "/whoami", headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    )
    assert seen == [("203.0.113.9", "https")]


def test_german_catalogue_text_is_marked_german_in_the_english_interface(client):
    client.post("/language", data={"language": "en", "next": "/"})
    html = client.get("/catalogue/").get_data(as_text=True)
    assert '<html lang="en">' in html and '<article class="catalogue" lang="de">' in html


def test_unexpected_error_shows_the_german_500_page():
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})

    @app.get("/kaputt")
    def broken():
        raise RuntimeError("boom")

    response = app.test_client().get("/kaputt")
    assert response.status_code == 500
    assert "Ein Fehler ist aufgetreten" in text_of(response)
    assert "Ihre Daten wurden nicht verändert" in text_of(response)


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    unreachable = f"sqlite:///{tmp_path}/missing-folder/seal.sqlite"
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": unreachable})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "error", "database": "unavailable"}


def test_every_page_has_an_icon_and_favicon_ico_answers(client):
    page = client.get("/").get_data(as_text=True)
    assert re.search(
        r'<link rel="icon" href="/static/favicon.svg\?v=\w+" type="image/svg\+xml">', page
    )
    assert '<link rel="icon" href="/favicon.ico"' in page
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.mimetype == "image/vnd.microsoft.icon"
    assert icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert b"<script" not in svg.data


def test_every_font_shows_text_while_it_loads(client):
    """Without font-display, text stays invisible until the web font arrives (slow networks)."""
    page = client.get("/").get_data(as_text=True)
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1)
    css = client.get(href).get_data(as_text=True)
    web_faces = css.count('font-family: "Fira Sans";')
    assert web_faces >= 4 and css.count("font-display: swap;") == web_faces
