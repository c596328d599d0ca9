"""CSV import: all or nothing, every problem listed with its line number in German."""

from __future__ import annotations

import io

import sqlalchemy as sa

from seal_app.extensions import db
from seal_app.schools.models import School, SchoolType
from tests.conftest import login, text_of

HEADER = "schulnummer;name;schulart;strasse;plz;ort;schultraeger;landkreis;email;telefon\n"
GOOD = (
    HEADER + "76001;Grundschule Laage;Grundschule;Breesener Straße 2;18299;Laage;Stadt Laage;"
    "Landkreis Rostock;;\n"
    + "76002;Gymnasium Teterow;gymnasium;Am Wall 1;17166;Teterow;Landkreis Rostock;"
    "Landkreis Rostock;info@gym.example.org;03996 1234\n"
)


def _upload(client, text: str, encoding="utf-8"):
    data = {"file": (io.BytesIO(text.encode(encoding)), "schulen.csv")}
    return client.post(
        "/office/schools/import",
        data=data,
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def _schools(app):
    with app.app_context():
        return {s.school_number: s for s in db.session.scalars(sa.select(School))}


def test_good_file_creates_and_updates(app, client, accounts):
    login(client, accounts["office"])
    page = text_of(_upload(client, GOOD))
    assert "2 Schulen neu angelegt, 0 aktualisiert" in page
    changed = GOOD.replace("Gymnasium Teterow", "Gymnasium Teterow am See")
    assert "0 Schulen neu angelegt, 2 aktualisiert" in text_of(_upload(client, changed))
    schools = _schools(app)
    assert schools["76002"].name == "Gymnasium Teterow am See"
    assert schools["76002"].school_type is SchoolType.GYMNASIUM
    assert schools["76002"].email == "info@gym.example.org"


def test_comma_separated_windows_file_is_read(app, client, accounts):
    login(client, accounts["office"])
    text = GOOD.replace(";", ",")
    assert "2 Schulen neu angelegt" in text_of(_upload(client, text, encoding="cp1252"))
    assert _schools(app)["76001"].street == "Breesener Straße 2"


def test_a_file_with_errors_imports_nothing_and_lists_every_problem(app, client, accounts):
    login(client, accounts["office"])
    bad = (
        GOOD
        + "7600X;Schule A;Grundschule;Weg 1;18299;Laage;Stadt Laage;Landkreis Rostock;;\n"
        + "76003;Schule B;Zauberschule;Weg 2;1829;Laage;Stadt Laage;Landkreis Rostock;nope;\n"
        + "76001;Doppelt;Grundschule;Weg 3;18299;Laage;Stadt Laage;Landkreis Rostock;;\n"
        + "76004;;Grundschule;Weg 4;18299;Laage\n"
    )
    page = text_of(_upload(client, bad))
    assert "Nichts importiert: 6 Fehler in der Datei" in page
    assert "Zeile 4: Die Schulnummer „7600X“ besteht nicht aus 4 bis 8 Ziffern." in page
    assert "Zeile 5: Die Postleitzahl „1829“ hat nicht 5 Ziffern." in page
    assert "Zeile 5: Die Schulart „Zauberschule“ gibt es nicht." in page
    assert "Zeile 5: Die E-Mail-Adresse „nope“ ist ungültig." in page
    assert "Zeile 6: Schulnummer 76001 steht schon in Zeile 2." in page
    assert "Zeile 7: Die Zeile hat 6 statt 10 Spalten." in page
    assert set(_schools(app)) == {"75001"}  # only the school that was there before


def test_missing_columns_and_empty_file(client, accounts):
    login(client, accounts["office"])
    page = text_of(_upload(client, "schulnummer;name\n75009;Schule\n"))
    assert (
        "Zeile 1: Es fehlen Spalten: schulart, strasse, plz, ort, schultraeger, landkreis" in page
    )
    assert "Zeile 1: Die Datei ist leer." in text_of(_upload(client, ""))
    binary = text_of(_upload(client, "\x00\x01binary"))
    assert "keine Textdatei" in binary


def test_no_file_chosen(client, accounts):
    login(client, accounts["office"])
    response = client.post("/office/schools/import", data={}, content_type="multipart/form-data")
    assert "Bitte wählen Sie eine CSV-Datei aus." in text_of(response)


def test_a_name_over_two_lines_is_refused(app, client, accounts):
    login(client, accounts["office"])
    bad = HEADER + (
        '76005;"Schule\nBcc: evil@x.invalid";Grundschule;Weg 1;18299;Laage;Stadt Laage;'
        "Landkreis Rostock;;\n"
    )
    page = text_of(_upload(client, bad))
    assert "Die Spalte „name“ enthält einen Zeilenumbruch oder ein Steuerzeichen." in page
    assert "76005" not in _schools(app)
