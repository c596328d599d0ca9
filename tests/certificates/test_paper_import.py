"""Reading and importing the office's list of paper-era seals: the service and the command."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from seal_app.audit.models import AuditEntry
from seal_app.certificates import paper_import
from seal_app.certificates.models import Certificate
from seal_app.database import transaction
from seal_app.extensions import db
from seal_app.schools.models import School, SchoolType
from tests.certificates.paper_setup import HEADER, csv_bytes

TODAY = date(2026, 11, 2)


def _preview(app, data: bytes) -> paper_import.Preview:
    with app.app_context():
        return paper_import.preview(data, TODAY)


def _import(app, data: bytes) -> paper_import.Preview:
    with app.app_context(), transaction():
        return paper_import.import_seals(data, "liste.csv", None, TODAY)


def _reasons(result: paper_import.Preview) -> list[str]:
    return [" ".join(row.problems) for row in result.refused]


def test_utf8_with_bom_and_semicolons_umlauts_any_header_case_and_order(app):
    header = ("  URKUNDE ", "schule", "ORT", "Schulnummer", "gültig BIS", "verliehen am")
    rows = [("GS-2013/07", "Grundschule Schüler-Wäldchen", "Bützow", "75101", "", "3.7.2013")]
    result = _preview(app, csv_bytes(rows, header=header))
    assert result.problems == [] and result.refused == []
    row = result.accepted[0].row
    assert (row.number, row.school_name, row.town) == (
        "GS-2013/07",
        "Grundschule Schüler-Wäldchen",
        "Bützow",
    )
    assert row.issued_on == date(2013, 7, 3)
    assert row.valid_until == date(2018, 7, 2)  # five years, the day before, like issued ones


def test_windows_1252_with_commas_and_iso_dates(app):
    rows = [("75102", "Förderschule Güstrow", "Güstrow", "12/2014", "2014-05-20", "19.05.2019", "")]
    data = csv_bytes(rows, delimiter=",", encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = _preview(app, data)
    assert result.refused == []
    row = result.accepted[0].row
    assert (row.school_name, row.town, row.number) == ("Förderschule Güstrow", "Güstrow", "12/2014")
    assert row.school_type is SchoolType.FOERDERSCHULE
    assert (row.issued_on, row.valid_until) == (date(2014, 5, 20), date(2019, 5, 19))


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (
            ("75101", "Grundschule A", "Laage", "", "01.02.2014", "", ""),
            "Die Spalte „Urkunde“ ist leer.",
        ),
        (("75101", "", "Laage", "U-1", "01.02.2014", "", ""), "Die Spalte „Schule“ ist leer."),
        (
            ("75101", "Grundschule A", "Laage", "U-1", "14.2014", "", ""),
            "„14.2014“ in der Spalte „Verliehen am“ ist kein Datum wie 31.12.2014.",
        ),
        (
            ("75101", "Grundschule A", "Laage", "U-1", "01.02.2014", "morgen", ""),
            "„morgen“ in der Spalte „Gültig bis“ ist kein Datum",
        ),
        (
            ("75101", "Grundschule A", "Laage", "U-1", "01.02.2014", "01.01.2014", ""),
            "„Gültig bis“ (01.01.2014) liegt vor „Verliehen am“ (01.02.2014).",
        ),
        (
            ("75101", "Grundschule A", "Laage", "U-1", "03.11.2026", "", ""),
            "„Verliehen am“ (03.11.2026) liegt in der Zukunft.",
        ),
        (("7510", "Grundschule A", "Laage", "U-1", "01.02.2014", "", ""), None),
        (
            ("75x", "Grundschule A", "Laage", "U-1", "01.02.2014", "", ""),
            "Die Schulnummer „75x“ besteht nicht aus 4 bis 8 Ziffern.",
        ),
        (
            ("75101", "=cmd|' /C calc'!A0", "Laage", "U-1", "01.02.2014", "", ""),
            "Die Spalte „Schule“ beginnt wie eine Tabellenformel.",
        ),
        (
            ("75101", "Grundschule\u2028A", "Laage", "U-1", "01.02.2014", "", ""),
            "Die Spalte „Schule“ enthält einen Zeilenumbruch oder ein Steuerzeichen.",
        ),
        (
            ("75101", "Grundschule A", "Laage", "U/../1", "01.02.2014", "", ""),
            "Die Urkundennummer „U/../1“ enthält andere Zeichen",
        ),
        (
            ("75101", "Schule am See", "Laage", "U-1", "01.02.2014", "", ""),
            "ihre Schulart geht aus dem Namen nicht hervor",
        ),
        (
            ("75101", "Grundschule A", "Laage", "U-1", "01.02.2014", "31.12.2100", ""),
            "„Gültig bis“ (31.12.2100) liegt mehr als 5 Jahre nach „Verliehen am“ (01.02.2014): "
            "Das Siegel gilt 5 Jahre.",
        ),
        (
            ("75101", "Grundschule A", "Laage", "U-1", "01.02.2014", "9999-12-31", ""),
            "liegt mehr als 5 Jahre nach",
        ),
        (
            ("75101", "Grundschule A", "Laage", "U-1", "01.02.2014", "01.03.2019", ""),
            "„Gültig bis“ (01.03.2019) liegt mehr als 5 Jahre nach",
        ),
        (("75101", "Grundschule A", "Laage", "U-1", "15.06.2014", "30.06.2019", ""), None),
        (
            ("75101", "Grundschule A", "Laage", "2025-001/siegel.svg", "01.02.2014", "", ""),
            "Die Urkundennummer „2025-001/siegel.svg“ ist so nicht möglich: Ihre Adresse auf "
            "der Prüfseite (/verify/2025-001/siegel.svg) führt zu einer anderen Seite.",
        ),
        (
            ("75101", "Grundschule A", "Laage", "2022-001/credential", "01.02.2014", "", ""),
            "(/verify/2022-001/credential) führt zu einer anderen Seite.",
        ),
        (
            ("75101", "Grundschule A", "Laage", "2022-001/siegel.png", "01.02.2014", "", ""),
            "führt zu einer anderen Seite.",
        ),
        (("75101", "Grundschule A", "Laage", "U-1", "01.02.2014", "-", "-"), None),
        (
            ("75101", "Grundschule A", "Laage", "U-1", "01.02.2014", "", "-1+1"),
            "Die Spalte „Bemerkung“ beginnt wie eine Tabellenformel.",
        ),
    ],
)
def test_each_bad_row_is_refused_with_its_german_reason(app, cells, message):
    result = _preview(app, csv_bytes([cells]))
    if message is None:  # a short school number, the end of the month, „-“ for nothing
        assert result.refused == [] and len(result.accepted) == 1
        return
    assert result.accepted == []
    assert message in _reasons(result)[0]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Die Datei ist leer."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "keine CSV-Datei"),
        (csv_bytes([]), "Die Datei enthält keine Urkunden, nur die Kopfzeile."),
        (
            csv_bytes([], header=("Schulnummer", "Schule", "Urkunde")),
            "Es fehlen Spalten: Ort, Verliehen am",
        ),
        (csv_bytes([], header=(*HEADER, "Farbe")), "Unbekannte Spalten: farbe"),
        (
            csv_bytes([("75101", "GS A", "Laage", "U", "01.02.2014", "", "")] * 2001),
            "mehr als 2000 Zeilen",
        ),
        (b"x" * (1024 * 1024 + 1), "größer als 1 MB"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(app, data, message):
    result = _preview(app, data)
    assert result.accepted == [] and result.refused == []
    assert any(message in problem for problem in result.problems)


def test_numbers_twice_in_the_file_or_already_in_the_app_are_refused(app, make):
    make.school(number="75101", name="Grundschule Alt")
    rows = [
        ("75101", "Grundschule Alt", "Laage", "GS-2013/07", "01.02.2013", "", ""),
        ("75102", "Grundschule Neu", "Laage", "GS-2013/07", "01.02.2013", "", ""),
    ]
    first = _import(app, csv_bytes(rows))
    assert [item.row.number for item in first.accepted] == ["GS-2013/07"]
    assert _reasons(first) == ["Die Urkunde GS-2013/07 steht schon in Zeile 2."]
    again = _import(app, csv_bytes(rows[:1]))
    assert again.accepted == [] and again.nothing_new and _reasons(again) == []
    assert [row.number for row in again.skipped] == ["GS-2013/07"]  # imported before
    other_school = _import(app, csv_bytes([("75102", *rows[0][1:])]))
    assert _reasons(other_school) == ["Die Urkunde GS-2013/07 gibt es schon."]
    lower = _import(
        app, csv_bytes([("75101", "Grundschule Alt", "Laage", "gs-2013/07", "1.2.2013")])
    )
    assert _reasons(lower) == [
        "Die Urkunde gs-2013/07 gibt es schon als GS-2013/07; Nummern, die sich nur in Groß- "
        "und Kleinschreibung unterscheiden, sind auf der Prüfseite gleich."
    ]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 1


def test_numbers_differing_only_in_case_within_the_file_are_refused(app):
    rows = [
        ("75101", "Grundschule A", "Laage", "gs-7", "01.02.2013", "", ""),
        ("75102", "Grundschule B", "Laage", "GS-7", "01.02.2013", "", ""),
    ]
    assert _reasons(_preview(app, csv_bytes(rows))) == ["Die Urkunde GS-7 steht schon in Zeile 2."]


def test_schools_are_matched_by_number_when_name_and_town_agree_or_created(app, make):
    known = make.school(number="75101", name="Grundschule am Mühlenteich", town="Laage")
    rows = [
        ("75101", "Grundschule  Am Muehlenteich", "Laage", "A-1", "01.02.2013", "", ""),
        ("75101", "Grundschule am Mühlenteich", "LAAGE", "A-2", "01.02.2014", "", "zweite"),
        ("75222", "Regionale Schule Kröpelin", "Kröpelin", "A-3", "01.02.2015", "", ""),
        ("75222", "Regionale Schule Kröpelin", "Kröpelin", "A-4", "01.02.2020", "", ""),
    ]
    preview = _preview(app, csv_bytes(rows))
    assert (preview.matched_schools, preview.new_schools) == (1, 1)
    assert [item.note for item in preview.accepted[:2]] == ["", ""]  # the same, written otherwise
    _import(app, csv_bytes(rows))
    with app.app_context():
        certificates = db.session.scalars(sa.select(Certificate).order_by(Certificate.number)).all()
        assert [item.school_id for item in certificates[:2]] == [known, known]
        created = db.session.scalar(sa.select(School).where(School.school_number == "75222"))
        assert (created.name, created.town, created.school_type) == (
            "Regionale Schule Kröpelin",
            "Kröpelin",
            SchoolType.REGIONALE_SCHULE,
        )
        assert {item.school_id for item in certificates[2:]} == {created.id}
        assert all(item.imported and item.application_id is None for item in certificates)
        assert all(item.stored_name is None for item in certificates)
        assert certificates[1].remark == "zweite"
        assert certificates[0].school_name == "Grundschule  Am Muehlenteich"  # as printed
        summary = db.session.scalar(
            sa.select(AuditEntry).where(AuditEntry.action == "certificates.imported")
        )
        assert summary.details["count"] == 4 and summary.details["file_name"] == "liste.csv"


def test_a_school_number_of_another_school_is_refused_or_flagged(app, make):
    make.school(number="75103", name="Grundschule Tessin", town="Tessin")
    make.school(number="75104", name="Regionale Schule Bad Doberan", town="Bad Doberan")
    rows = [
        ("75103", "Grundschule Neun", "Neubukow", "N-1", "01.02.2014", "", ""),  # a typo
        ("75103", "Grundschule Tessin", "Gnoien", "N-2", "01.02.2014", "", ""),  # town differs
        ("75104", "Regionale Schule Bad Doberaan", "Bad Doberan", "N-3", "01.02.2014", "", ""),
        ("75104", "Regionale Schule Bad Doberan", "Bad  Doberan", "N-4", "01.02.2014", "", ""),
    ]
    result = _preview(app, csv_bytes(rows))
    assert _reasons(result) == [
        "Schulnummer 75103 gehört in der App zu „Grundschule Tessin“, Tessin – bitte prüfen. "
        "Name oder Ort weichen zu stark ab. Stimmt die Schulnummer, tragen Sie Name und Ort so "
        "ein, wie sie in der App stehen."
    ]
    notes = {item.row.number: item.note for item in result.accepted}
    assert notes == {
        "N-2": "Schulnummer 75103 gehört in der App zu „Grundschule Tessin“, Tessin – bitte "
        "prüfen.",
        "N-3": "Schulnummer 75104 gehört in der App zu „Regionale Schule Bad Doberan“, Bad "
        "Doberan – bitte prüfen.",
        "N-4": "",
    }


def test_nothing_is_written_when_writing_fails_halfway(app, monkeypatch):
    rows = [
        ("75101", "Grundschule A", "Laage", "A-1", "01.02.2013", "", ""),
        ("75102", "Grundschule B", "Laage", "A-2", "01.02.2013", "", ""),
    ]
    real = paper_import._certificate
    calls = []

    def failing(row, school):
        calls.append(row.number)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(row, school)

    monkeypatch.setattr(paper_import, "_certificate", failing)
    with pytest.raises(RuntimeError):
        _import(app, csv_bytes(rows))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count(School.id))) == 0


def test_the_command_previews_with_dry_run_and_then_imports(app, runner, tmp_path):
    rows = [
        ("75101", "Grundschule A", "Laage", "GS-2013/07", "01.02.2013", "", ""),
        ("75102", "Grundschule B", "Laage", "", "01.02.2013", "", ""),
    ]
    path = tmp_path / "urkunden.csv"
    path.write_bytes(csv_bytes(rows))
    dry = runner.invoke(args=["seal", "import-certificates", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Zeile 3 abgelehnt: Die Spalte „Urkunde“ ist leer." in dry.output
    assert "Vorschau: 1 Urkunden würden importiert (1 Schulen neu, 0 zugeordnet)" in dry.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 0
    real = runner.invoke(args=["seal", "import-certificates", str(path)])
    assert "1 Urkunden importiert (1 Schulen neu, 0 zugeordnet), 1 Zeilen abgelehnt." in real.output
    with app.app_context():
        assert db.session.scalar(sa.select(Certificate.number)) == "GS-2013/07"
    path.write_bytes(csv_bytes(rows[:1]))
    again = runner.invoke(args=["seal", "import-certificates", str(path)])
    assert "Nichts Neues: Alle Urkunden der Datei gibt es schon." in again.output
    path.write_bytes(b"")
    empty = runner.invoke(args=["seal", "import-certificates", str(path)])
    assert empty.exit_code == 1 and "Die Datei ist leer." in empty.output
