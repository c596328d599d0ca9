"""The office's contact on every page and in every message that sends people to it;
Impressum and Datenschutzerklärung with German defaults or the operator's own text."""

from __future__ import annotations

import pytest

from seal_app.auth.models import Role
from tests.conftest import login, text_of

PHONE = "03843 755-0"
EMAIL = "praevention@landkreis-rostock.de"


def _has_contact(response) -> bool:
    html = response.get_data(as_text=True)
    return PHONE in html and f'href="mailto:{EMAIL}"' in html and 'href="tel:03843755' in html


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("anonymous", "/"),
        ("anonymous", "/login"),
        ("anonymous", "/catalogue/"),
        ("anonymous", "/no-such-page"),
        ("anonymous", "/impressum"),
        ("school", "/"),
        ("assessor", "/"),
        ("office", "/"),
        ("office", "/office/audit/"),
        ("school", "/office/schools/"),  # 403
    ],
)
def test_footer_names_the_office_with_contact_and_legal_links(client, accounts, role, path):
    if role != "anonymous":
        login(client, accounts[role])
    response = client.get(path)
    html = response.get_data(as_text=True)
    footer = html[html.index('<footer class="site-footer">') :]
    assert "Büro für Gleichstellung und Kriminalprävention" in footer
    assert "August-Bebel-Straße 3" in footer
    assert PHONE in footer and EMAIL in footer
    assert 'href="/impressum"' in footer and 'href="/datenschutz"' in footer
    assert 'href="/accessibility"' in footer


def test_impressum_default_names_the_responsible_body(client):
    page = text_of(client.get("/impressum"))
    assert "Impressum" in page
    assert (
        "Landkreis Rostock, Körperschaft des öffentlichen Rechts, vertreten durch den Landrat"
        in page
    )
    assert "Ministerium für Inneres, Bau und Digitalisierung Mecklenburg-Vorpommern" in page


def test_datenschutz_default_names_what_is_stored_and_why(client):
    page = text_of(client.get("/datenschutz"))
    for words in (
        "Passwort nur als Prüfwert (Hash)",
        "Fotos",
        "Sicherheitsprotokoll",
        "IP-Adresse",
        "technisch notwendiges Sitzungs-Cookie",
        "kein Tracking",
        "Art. 6 Abs. 1 Buchstabe e",
        "Art. 15 DSGVO",
        "Behördliche Datenschutzbeauftragte des Landkreises Rostock",
        "Der Landesbeauftragte für Datenschutz und Informationsfreiheit Mecklenburg-Vorpommern",
    ):
        assert words in page, words


def test_operator_text_from_the_instance_folder_replaces_the_default(
    app, client, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "LEGAL_PAGES_DIR", str(tmp_path))
    (tmp_path / "impressum.html").write_text(
        '<p class="kern-body">Herausgeber: <strong>Stadt Musterhausen</strong></p>',
        encoding="utf-8",
    )
    imprint = client.get("/impressum")
    assert "<strong>Stadt Musterhausen</strong>" in imprint.get_data(as_text=True)
    assert "Körperschaft des öffentlichen Rechts" not in text_of(imprint)
    # no file of its own: the default stays
    assert "Art. 6 Abs. 1 Buchstabe e" in text_of(client.get("/datenschutz"))


def test_settings_change_the_contact(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "OFFICE_PHONE", "0381 123-45")
    monkeypatch.setitem(app.config, "OFFICE_EMAIL", "siegel@example.org")
    html = client.get("/").get_data(as_text=True)
    assert "0381 123-45" in html and 'href="mailto:siegel@example.org"' in html


def _body(response) -> str:
    html = response.get_data(as_text=True)
    return html[html.index("<main") : html.index("</main>")]


def test_forbidden_page_says_how_to_reach_the_office(client, accounts):
    login(client, accounts["school"])
    response = client.get("/office/schools/")
    assert response.status_code == 403
    body = _body(response)
    assert "wenden Sie sich an die Geschäftsstelle" in body
    assert PHONE in body and f"mailto:{EMAIL}" in body


def test_invalid_link_page_says_how_to_reach_the_office(client):
    response = client.get("/password/set/not-a-token")
    assert response.status_code == 404
    body = _body(response)
    assert "Geschäftsstelle um einen neuen Link" in body
    assert PHONE in body and f"mailto:{EMAIL}" in body


def test_login_page_names_the_office_for_a_forgotten_password(client):
    body = _body(client.get("/login"))
    assert "Passwort vergessen?" in body
    assert PHONE in body and f"mailto:{EMAIL}" in body


def test_school_user_without_school_is_told_how_to_reach_the_office(client, make):
    email = make.user(Role.SCHOOL, "ohne-schule@example.org")
    login(client, email)
    body = _body(client.get("/"))
    assert "Ihrem Konto ist noch keine Schule zugeordnet" in body
    assert PHONE in body and f"mailto:{EMAIL}" in body


def test_unknown_school_number_names_the_office_contact(client, accounts):
    response = client.post(
        "/register",
        data={
            "school_number": "99999",
            "name": "Nina Neu",
            "position": "coordinator",
            "email": "neu@example.org",
        },
    )
    assert f"Geschäftsstelle: Telefon {PHONE}, E-Mail {EMAIL}." in text_of(response)


def test_accessibility_page_names_contact_and_enforcement(client):
    response = client.get("/accessibility")
    body = _body(response)
    assert PHONE in body and f"mailto:{EMAIL}" in body
    page = text_of(response)
    assert "Durchsetzungsverfahren" in page
    assert "Bürgerbeauftragte des Landes Mecklenburg-Vorpommern" in page
