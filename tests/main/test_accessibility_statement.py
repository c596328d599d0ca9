"""The accessibility statement follows the model for public bodies (EU directive 2016/2102)."""

from __future__ import annotations

from tests.conftest import text_of


def test_statement_names_status_barriers_method_and_date(client):
    page = text_of(client.get("/accessibility"))
    assert "teilweise vereinbar" in page
    for barrier in (
        "Texte des Kriterienkatalogs (Bereiche, Kriterien, Stufen) deutsch",
        "Nachweise, die Schulen hochladen",
    ):
        assert barrier in page
    assert page.count("Grund:") == 2
    assert "WCAG 2.2 auf Stufe AA" in page and "getaggte PDF-Dateien nach PDF/UA-1" in page
    assert "Selbstbewertung" in page and "axe-core" in page and "von Hand" in page
    assert "am 6. Dezember 2026 erstellt" in page
    assert "Barrieren melden" in page and "Durchsetzungsverfahren" in page


def test_statement_date_is_a_setting(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "ACCESSIBILITY_STATEMENT_DATE", "2027-03-01")
    assert "am 1. März 2027 erstellt" in text_of(client.get("/accessibility"))
