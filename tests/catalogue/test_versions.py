"""The office's catalogue versions: the list, adding a version from a file (refusals in
German, nothing stored), new rounds choosing it, opened rounds keeping theirs."""

from __future__ import annotations

import base64
import io

import pytest
import sqlalchemy as sa

from seal_app.audit.models import AuditEntry
from seal_app.catalogue.models import CatalogueVersion
from seal_app.extensions import db
from seal_app.rounds.models import Round
from tests.catalogue.samples import SHIPPED, next_version
from tests.conftest import login, text_of

NEW_PAGE = "/office/catalogue/versions/new"


@pytest.fixture
def office(client, accounts):
    login(client, accounts["office"])
    return client


def _upload(client, data: bytes, name: str = "2027.1.yaml"):
    return client.post(
        NEW_PAGE,
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _stored_versions(app) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(sa.select(CatalogueVersion.version)))


def _confirm(client, text: str, name: str = "2027.1.yaml"):
    content = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return client.post(
        "/office/catalogue/versions/confirm",
        data={"content": content, "file_name": name},
        follow_redirects=True,
    )


def test_the_office_sees_every_version_with_its_rounds(app, office):
    office.post("/office/rounds/new", data={"year": "2027", "catalogue_version": "2026.1"})
    page = office.get("/office/catalogue/versions")
    text = text_of(page)
    assert "Kriterienkatalog – Fassungen" in text
    assert "Datei criteria/2026.1.yaml" in text and "Vergaberunde 2027" in text
    assert "eingefroren" in text
    with app.app_context():
        from seal_app.catalogue import services

        assert services.available()["2026.1"].sha256[:12] in text
    html = page.get_data(as_text=True)
    assert 'href="/catalogue/2026.1"' in html
    assert 'href="/office/catalogue/versions/new"' in html
    home = office.get("/").get_data(as_text=True)
    assert 'href="/office/catalogue/versions"' in home  # in the office's navigation


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"version: [2027.1\n", "neu.yaml", "Zeile 2: Kein gültiges YAML"),
        (
            SHIPPED.replace('version: "2026.1"', 'version: "2027.1"')
            .replace("        weight: 3\n", "        weight: drei\n", 1)
            .encode(),
            "neu.yaml",
            "Hier wird eine ganze Zahl erwartet, nicht „drei“.",
        ),
        (SHIPPED.encode(), "neu.yaml", "Die Fassung 2026.1 gibt es schon."),
        (
            SHIPPED.replace('version: "2026.1"', 'version: "2025.3"').encode(),
            "alt.yaml",
            "Die Fassung 2025.3 ist nicht neuer als die neueste Fassung 2026.1.",
        ),
        (b"%PDF-1.7\n\xe2\xe3\xcf\xd3\n", "katalog.pdf", "Bitte laden Sie eine YAML-Datei hoch"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "katalog.yaml", "keine Textdatei in UTF-8"),
        (b"a: &x [1]\nb: *x\n", "bombe.yaml", "Anker und Verweise"),
        (b"# " + b"x" * (5 * 1024 * 1024), "gross.yaml", "Die Datei ist größer als 1 MB."),
    ],
    ids=["invalid-yaml", "schema", "duplicate", "older", "not-yaml", "binary", "alias", "5mb"],
)
def test_a_refused_file_is_named_in_german_and_nothing_is_stored(app, office, data, name, message):
    response = _upload(office, data, name)
    assert response.status_code == 200
    text = text_of(response)
    assert message in text, text[:2000]
    assert "Fehler:" in text  # the page's title and error summary name the problem
    assert _stored_versions(app) == set()


def test_a_schema_error_names_its_line(office):
    broken = SHIPPED.replace('version: "2026.1"', 'version: "2027.1"')
    broken = broken.replace("        weight: 3\n", "        weight: drei\n", 1)
    line = broken[: broken.index("weight: drei")].count("\n") + 1
    text = text_of(_upload(office, broken.encode()))
    assert f"Zeile {line}: areas[" in text and "nicht „drei“" in text


def test_a_new_version_diff_confirm_and_a_round_with_it(app, office):
    office.post("/office/rounds/new", data={"year": "2027", "catalogue_version": "2026.1"})
    preview = _upload(office, next_version().encode())
    text = text_of(preview)
    assert "Fassung 2027.1 prüfen" in text and "noch nicht gespeichert" in text
    assert "1 Kriterium neu" in text and "1 Kriterium entfällt" in text
    assert "1 Kriterium neu formuliert" in text and "0 Gewichtungen geändert" in text
    assert "B.4 Schutzkonzept gegen sexualisierte Gewalt" in text
    assert "A.3 Zusammenarbeit mit Polizei und Feuerwehr" in text
    html = preview.get_data(as_text=True)
    assert "<ins>schriftliches, jährlich überprüftes</ins>" in html
    assert "<del>schriftliches</del>" in html
    assert _stored_versions(app) == {"2026.1"}  # shown, not stored

    done = _confirm(office, next_version())
    assert "Die Fassung 2027.1 ist hinzugefügt." in text_of(done)
    assert "für neue Runden verfügbar" in text_of(done)
    with app.app_context():
        added = db.session.get(CatalogueVersion, "2027.1")
        assert added.uploaded_at is not None and added.locked_at is None
        assert added.content == next_version()
        entry = db.session.scalar(
            sa.select(AuditEntry).where(AuditEntry.action == "catalogue.version_added")
        )
        assert entry.details["catalogue_version"] == "2027.1" and entry.actor.role.value == "office"
    again = _confirm(office, next_version())
    assert "Die Fassung 2027.1 gibt es schon." in text_of(again)

    # the open round still shows its version; the round form offers the new one
    with app.app_context():
        round_ = db.session.scalars(sa.select(Round)).one()
        round_id = round_.id
    edit = office.get(f"/office/rounds/{round_id}/edit")
    assert "Kriterienkatalog, Version 2026.1" in text_of(edit)
    changed = office.post(
        f"/office/rounds/{round_id}/edit",
        data={
            "submission_deadline": "2027-06-30",
            "status": "closed",
            "version": "1",
            "catalogue_version": "2027.1",
        },
    )
    assert changed.status_code == 302
    assert '<option value="2027.1"' in office.get("/office/rounds/new").get_data(as_text=True)
    office.post("/office/rounds/new", data={"year": "2028", "catalogue_version": "2027.1"})
    with app.app_context():
        rounds = {r.year: r.catalogue_version for r in db.session.scalars(sa.select(Round))}
        assert rounds == {2027: "2026.1", 2028: "2027.1"}
        assert db.session.get(CatalogueVersion, "2027.1").locked_at is not None
    page = text_of(office.get("/office/catalogue/versions"))
    assert "hochgeladen am" in page and "Vergaberunde 2028" in page
    catalogue = text_of(office.get("/catalogue/2027.1"))
    assert "Schutzkonzept gegen sexualisierte Gewalt" in catalogue
    changes = text_of(office.get("/office/catalogue/versions/2027.1/changes"))
    assert "Änderungen in Fassung 2027.1" in changes and "B.4 Schutzkonzept" in changes


def test_an_uploaded_version_is_seen_by_another_process(app, office, tmp_path):
    """Stored in the database: a second app on the same database offers it at once."""
    _confirm(office, next_version())
    from seal_app import create_app

    other = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": "x",
            "SIGNING_KEY_FILE": app.config["SIGNING_KEY_FILE"],
            "SIGNING_CERT_FILE": app.config["SIGNING_CERT_FILE"],
            "CREDENTIAL_KEY_DIR": app.config["CREDENTIAL_KEY_DIR"],
        }
    )
    with other.app_context():
        from seal_app.catalogue import services

        assert "2027.1" in services.available()
        assert services.current().version == "2027.1"
        db.session.remove()
        db.engine.dispose()


def test_a_file_clashing_with_an_uploaded_version_is_reported(app, office):
    _confirm(office, next_version())
    with app.app_context():
        from seal_app.catalogue import services

        files = services.on_disk()
        files["2027.1"] = files["2026.1"]  # a file with another text under 2027.1
        try:
            reasons = [reason for _, reason in services.changed_versions()]
        finally:
            del files["2027.1"]
    assert reasons == ["Eine Datei trägt dieselbe Version wie eine hochgeladene."]


def test_changes_of_an_unknown_version_is_404(office):
    assert office.get("/office/catalogue/versions/2031.1/changes").status_code == 404
    first = text_of(office.get("/office/catalogue/versions/2026.1/changes"))
    assert "Es gibt keine ältere Fassung zum Vergleich." in first


def test_the_confirmation_without_a_checked_text_asks_for_the_file_again(app, office):
    response = office.post("/office/catalogue/versions/confirm", data={"content": "%%%"})
    assert "Bitte laden Sie die Datei noch einmal hoch." in text_of(response)
    assert _stored_versions(app) == set()


def test_the_public_catalogue_stays_the_open_rounds_version(app, office, client):
    office.post("/office/rounds/new", data={"year": "2027", "catalogue_version": "2026.1"})
    _confirm(office, next_version())
    shown = text_of(client.get("/catalogue/"))
    assert "Version 2026.1" in shown and "Schutzkonzept gegen sexualisierte Gewalt" not in shown
    with app.app_context():
        db.session.scalars(sa.select(Round)).one().status = "closed"
        db.session.commit()
    assert "Schutzkonzept gegen sexualisierte Gewalt" in text_of(client.get("/catalogue/"))


def test_each_version_downloads_as_its_exact_yaml(app, office, accounts):
    _confirm(office, next_version())
    page = office.get("/office/catalogue/versions").get_data(as_text=True)
    for version, text in (("2026.1", SHIPPED), ("2027.1", next_version())):
        url = f"/office/catalogue/versions/{version}.yaml"
        assert f'href="{url}" download>als YAML herunterladen' in page
        response = office.get(url)
        assert response.status_code == 200 and response.mimetype == "application/yaml"
        assert response.headers["Content-Disposition"] == f'attachment; filename="{version}.yaml"'
        assert response.get_data(as_text=True) == text
    assert office.get("/office/catalogue/versions/1999.1.yaml").status_code == 404
    anonymous = app.test_client().get("/office/catalogue/versions/2026.1.yaml")
    assert anonymous.status_code == 302 and "/login" in anonymous.location
    school = app.test_client()
    login(school, accounts["school"])
    assert school.get("/office/catalogue/versions/2026.1.yaml").status_code in (403, 404)


def test_the_public_catalogue_says_what_the_other_versions_are_for(office, client):
    office.post("/office/rounds/new", data={"year": "2027", "catalogue_version": "2026.1"})
    _confirm(office, next_version())
    current = text_of(client.get("/catalogue/"))
    assert "Version 2026.1 · Andere Versionen: 2027.1 (für künftige Runden)" in current
    future = text_of(client.get("/catalogue/2027.1"))
    assert "Version 2027.1 · Andere Versionen: 2026.1 (Runde 2027)" in future
