"""The office's exports: the same rows in XLSX and CSV, umlauts intact, formulas neutralised,
dates as date cells, a header only for an empty round; bad input answered on the page; office
only; a fixed number of queries however many applications."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from seal_app.applications.models import Application
from seal_app.applications.services import catalogue_of
from seal_app.audit.services import record
from seal_app.catalogue.award import assess
from seal_app.certificates import issuing, sealed
from seal_app.exports.cells import neutral
from seal_app.extensions import db
from seal_app.rounds.models import RoundStatus
from seal_app.rounds.services import create_round
from seal_app.schools.models import School, SchoolType
from tests.certificates.certificate_setup import SCHOOL, award
from tests.certificates.decision_setup import round_id_of
from tests.conftest import login, text_of
from tests.exports.helpers import csv_rows, download, xlsx_rows, xlsx_sheet
from tests.reviews.jury_setup import Meeting, client_of

FORMULA = '=HYPERLINK("http://böse.example";"Klick")'
URLS = (
    "/office/exports",
    "/office/exports/applications",
    "/office/exports/schools",
    "/office/exports/sealed",
    "/office/exports/audit",
)


def _office(app, accounts):
    client = app.test_client()
    assert login(client, accounts["office"]).status_code == 302
    return client


@pytest.fixture
def awarded(app, two) -> Meeting:
    """Two applications of a round: the first awarded and released with its certificate, the
    second school's name starting like a formula, its decision not yet prepared."""
    meeting = award(app, two.meeting)
    with app.app_context():
        second = db.session.get(Application, two.second_application_id)
        db.session.get(School, second.school_id).name = FORMULA
        db.session.commit()
    return meeting


# --- the cells --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+49 381", "-2", "@SUMME(A1)", "\t=1", "\r=1"])
def test_formula_starts_are_neutralised(text):
    assert neutral(text) == "'" + text


@pytest.mark.parametrize("text", ["Grundschule", "", "2027-014", "a=b"])
def test_other_texts_stay(text):
    assert neutral(text) == text


def test_the_public_list_uses_the_same_rule(app, awarded):
    with app.app_context():
        row = sealed.rows(sealed.Filters(), date.today())[0]
        row.certificate.school_name = "=1+1"
        assert sealed.csv_values(row)[0] == "'=1+1"
        db.session.rollback()


# --- (a) the applications of a round ----------------------------------------------------------


def _expected_header(app, application_id: int) -> tuple[list[str], list[str]]:
    with app.app_context():
        catalogue = catalogue_of(db.session.get(Application, application_id))
        codes = [item.code for item in catalogue.criteria]
    fixed = ["Schule", "Schulnummer", "Schulart", "Ort", "Status"]
    assessors = ["Gutachter/in 1", "Empfehlung 1", "Gutachter/in 2", "Empfehlung 2"]
    tail = [
        "Punkte",
        "Höchstpunktzahl",
        "Anteil in Prozent",
        "Vergaberegel erfüllt",
        "Entscheidung",
        "Urkunde",
        "Stand der Urkunde",
        "Widerrufen am",
    ]
    return fixed + assessors + codes + tail, codes


def test_applications_of_a_round_in_xlsx_and_csv(app, awarded):
    header, codes = _expected_header(app, awarded.application_id)
    round_id = round_id_of(app, awarded.application_id)
    with app.app_context():
        number = issuing.certificate_of(awarded.application_id).number
        application = db.session.get(Application, awarded.application_id)
        award = assess(catalogue_of(application), dict.fromkeys(codes, 2))
    office = client_of(app, awarded.office)
    xlsx = xlsx_rows(download(office, "/office/exports/applications", **_round(round_id, "xlsx")))
    csv = csv_rows(download(office, "/office/exports/applications", **_round(round_id, "csv")))

    assert xlsx[0] == header and csv[0] == header
    assert len(xlsx) == len(csv) == 3
    # sorted by the stored name, in the database's collation: found by name here
    first, second = sorted(xlsx[1:], key=lambda row: row[0] != SCHOOL)
    assessors = ["Anna Arndt", "verleihen", "Bernd Brandt", "verleihen"]
    assert first == [
        SCHOOL,
        "75001",
        "Grundschule",
        "Güstrow",
        "Siegel verliehen",
        *assessors,
        *[2] * len(codes),
        award.points,
        award.maximum,
        award.percent,
        "ja",
        "Siegel verliehen",
        number,
        "gültig",
        None,
    ]
    assert second[0] == FORMULA  # a text cell, never a formula
    assert second[4] == "in Begutachtung"
    assert second[-4:] == [None] * 4  # no decision released, no certificate
    # the CSV has the same rows, as text: a formula's start neutralised, the school number
    # after a tab so that it stays text
    as_text = [["" if value is None else str(value) for value in row] for row in xlsx]
    for row in as_text[1:]:
        row[1] = "\t" + row[1]
        row[0] = neutral(row[0])
    assert csv == as_text


def _round(round_id: int, file_format: str) -> dict[str, str]:
    return {"antraege-round_id": str(round_id), "antraege-file_format": file_format}


def test_an_empty_round_exports_the_header_only(app, accounts):
    with app.app_context():
        round_id = create_round(2031, date(2031, 6, 30), "2026.1", None).id
        db.session.commit()
    office = _office(app, accounts)
    xlsx = xlsx_rows(download(office, "/office/exports/applications", **_round(round_id, "xlsx")))
    csv = csv_rows(download(office, "/office/exports/applications", **_round(round_id, "csv")))
    assert len(xlsx) == 1 and len(csv) == 1
    assert xlsx[0][:5] == ["Schule", "Schulnummer", "Schulart", "Ort", "Status"]
    assert "Gutachter/in 1" not in xlsx[0]  # no assessor anywhere: no assessor columns
    assert csv[0] == xlsx[0]


def test_queries_do_not_grow_with_the_applications(app, make, accounts):
    """One query per kind of data, not one per application."""
    from seal_app.exports import tables
    from seal_app.rounds.models import Round
    from tests.reviews.jury_setup import assign, submitted_application

    assessor_id = make.user_id(accounts["assessor"])
    with app.app_context():
        round_id = create_round(2032, date(2032, 6, 30), "2026.1", None).id
        db.session.commit()

    def queries() -> int:
        with app.test_request_context():
            counted = []
            engine = db.engine
            listener = lambda *args: counted.append(1)  # noqa: E731
            sa.event.listen(engine, "before_cursor_execute", listener)
            try:
                list(tables.applications(db.session.get(Round, round_id)).rows)
            finally:
                sa.event.remove(engine, "before_cursor_execute", listener)
            return len(counted)

    def add_application() -> None:
        with app.app_context():
            application = submitted_application(make.school(), round_id)
            assign(application.id, assessor_id)
            db.session.commit()

    add_application()
    one = queries()
    for _ in range(4):
        add_application()
    assert queries() == one


# --- (b) the schools, (c) the sealed schools --------------------------------------------------


def test_schools_with_umlauts_neutralised_and_dates(app, accounts, make):
    make.school(
        number="75077",
        name="-Förderschule Süd",
        town="Bützow",
        school_type=SchoolType.FOERDERSCHULE,
    )
    office = _office(app, accounts)
    data = download(office, "/office/exports/schools", **{"schulen-file_format": "xlsx"})
    sheet = xlsx_sheet(data)
    rows = xlsx_rows(data)
    assert rows[0][:3] == ["Schulnummer", "Schule", "Schulart"]
    assert rows[0][-1] == "Erfasst am"
    names = [row[1] for row in rows[1:]]
    assert names == ["-Förderschule Süd", "Grundschule am Wall"]  # sorted by the stored name
    assert rows[1][0] == "75077" and rows[1][4] == "18273"  # codes as text
    assert rows[1][5] == "Bützow"
    created = sheet.cell(row=2, column=len(rows[0]))
    assert created.is_date and isinstance(created.value, datetime)
    assert created.number_format == "DD.MM.YYYY HH:MM"
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert 8 <= sheet.column_dimensions["B"].width <= 60

    csv = csv_rows(download(office, "/office/exports/schools", **{"schulen-file_format": "csv"}))
    assert [row[1] for row in csv[1:]] == ["'-Förderschule Süd", "Grundschule am Wall"]
    assert csv[1][:3] == ["\t75077", "'-Förderschule Süd", "Förderschule"]
    local = created.value.strftime("%d.%m.%Y %H:%M")
    assert csv[1][-1] == local


def test_sealed_schools_with_real_dates(app, awarded):
    with app.app_context():
        certificate = issuing.certificate_of(awarded.application_id)
        number, issued, until = certificate.number, certificate.issued_on, certificate.valid_until
    office = client_of(app, awarded.office)
    data = download(office, "/office/exports/sealed", **{"siegel-file_format": "xlsx"})
    sheet = xlsx_sheet(data)
    rows = xlsx_rows(data)
    assert rows[0] == list(sealed.CSV_HEADER)
    assert rows[1][:4] == [SCHOOL, "Grundschule", "Güstrow", number]
    assert [cell.value.date() for cell in sheet[2][4:]] == [issued, until]
    assert all(cell.is_date and cell.number_format == "DD.MM.YYYY" for cell in sheet[2][4:])
    csv = csv_rows(download(office, "/office/exports/sealed", **{"siegel-file_format": "csv"}))
    assert csv[1] == [
        SCHOOL,
        "Grundschule",
        "Güstrow",
        number,
        issued.strftime("%d.%m.%Y"),
        until.strftime("%d.%m.%Y"),
    ]


# --- (d) the audit log ------------------------------------------------------------------------


@pytest.fixture
def logged(app, accounts) -> None:
    """Entries on 9, 10 and 11 March 2026 (Berlin); the first of the 10th at 00:30 local time,
    which is still the 9th in UTC."""
    with app.app_context():
        school = db.session.scalar(sa.select(School).where(School.school_number == "75001"))
        moments = [
            datetime(2026, 3, 9, 12, 0, tzinfo=UTC),
            datetime(2026, 3, 9, 23, 30, tzinfo=UTC),  # 00:30 on 10 March in Berlin
            datetime(2026, 3, 10, 9, 15, tzinfo=UTC),
            datetime(2026, 3, 11, 8, 0, tzinfo=UTC),
        ]
        for index, moment in enumerate(moments):
            entry = record(
                "school.updated",
                school,
                None,
                changes={"name": {"old": f"Alt {index}", "new": "=Grundschule Süd"}},
            )
            entry.occurred_at = moment
        db.session.commit()


def _audit(first: str, last: str, file_format: str = "xlsx") -> dict[str, str]:
    return {"log-date_from": first, "log-date_to": last, "log-file_format": file_format}


def _audit_csv(client, first: str, last: str) -> bytes:
    return download(client, "/office/exports/audit", **_audit(first, last, "csv"))


def test_audit_log_of_a_date_range(app, accounts, logged):
    office = _office(app, accounts)
    data = download(office, "/office/exports/audit", **_audit("2026-03-10", "2026-03-10"))
    sheet = xlsx_sheet(data)
    rows = xlsx_rows(data)
    assert rows[0] == ["Zeitpunkt", "Wer", "Aktion", "Schule", "Betrifft", "Einzelheiten"]
    assert [row[0] for row in rows[1:]] == [
        datetime(2026, 3, 10, 0, 30),  # Berlin's wall clock, a date cell
        datetime(2026, 3, 10, 10, 15),
    ]
    assert sheet["A2"].is_date and sheet["A2"].number_format == "DD.MM.YYYY HH:MM"
    school = "Grundschule am Wall"
    assert rows[1][1:5] == ["System", "Schuldaten geändert", school, school]
    assert rows[1][5] == "Name der Schule: „Alt 1“ → „=Grundschule Süd“"

    csv = csv_rows(_audit_csv(office, "2026-03-09", "2026-03-11"))
    assert [row[0] for row in csv[1:]] == [
        "09.03.2026 13:00",
        "10.03.2026 00:30",
        "10.03.2026 10:15",
        "11.03.2026 09:00",
    ]
    assert csv[1][2] == "Schuldaten geändert"


def test_an_empty_audit_range_has_the_header_only(app, accounts, logged):
    office = _office(app, accounts)
    rows = csv_rows(_audit_csv(office, "2025-01-01", "2025-01-31"))
    assert rows == [["Zeitpunkt", "Wer", "Aktion", "Schule", "Betrifft", "Einzelheiten"]]


def test_audit_export_reads_in_batches(app, accounts, monkeypatch):
    """More entries than one batch: every entry once, in order."""
    from seal_app.exports import tables

    monkeypatch.setattr(tables, "AUDIT_BATCH", 3)
    moment = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
    with app.app_context():
        for index in range(7):
            entry = record("round.updated", None, None, year=2026 + index)
            entry.occurred_at = moment + timedelta(minutes=index // 2)  # equal moments too
        db.session.commit()
    office = _office(app, accounts)
    rows = csv_rows(_audit_csv(office, "2026-05-04", "2026-05-04"))
    assert [row[5] for row in rows[1:]] == [f"Jahr: {2026 + index}" for index in range(7)]


# --- bad input --------------------------------------------------------------------------------


def _refused(client, url: str, params: dict[str, str]) -> str:
    answer = client.get(url, query_string=params)
    assert answer.status_code == 200
    assert "Content-Disposition" not in answer.headers
    assert answer.mimetype == "text/html"
    page = text_of(answer)
    assert page.startswith("Fehler:") or "Bitte korrigieren Sie die folgenden Angaben" in page
    return answer.get_data(as_text=True)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("999999", "Diese Vergaberunde gibt es nicht."),
        ("99999999999999", "Diese Vergaberunde gibt es nicht."),
        ("zwei", "Diese Vergaberunde gibt es nicht."),
        ("", "Bitte wählen Sie eine Vergaberunde."),
    ],
)
def test_no_such_round(app, accounts, value, message):
    office = _office(app, accounts)
    page = _refused(office, "/office/exports/applications", {"antraege-round_id": value})
    assert message in page


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        ("2026-03-10", "2026-03-09", "Der letzte Tag liegt vor dem ersten Tag des Zeitraums."),
        ("2026-02-30", "2026-03-09", "Dieses Datum gibt es nicht."),
        ("kaputt", "2026-03-09", "Dieses Datum gibt es nicht."),
        ("2026-03-01", "10.03.2026", "Dieses Datum gibt es nicht."),
        ("2024-01-01", "2026-03-09", "Der Zeitraum ist zu lang"),
        ("", "2026-03-09", "Bitte geben Sie den ersten Tag des Zeitraums an."),
        ("2026-03-01", "", "Bitte geben Sie den letzten Tag des Zeitraums an."),
        ("0001-01-01", "2026-03-09", "Bitte geben Sie ein Datum zwischen 1900 und 2999 an."),
    ],
)
def test_bad_date_ranges(app, accounts, first, last, message):
    office = _office(app, accounts)
    page = _refused(office, "/office/exports/audit", _audit(first, last))
    assert message in page
    assert f'value="{first}"' in page and f'value="{last}"' in page  # what was typed is kept


def test_the_longest_range_is_allowed_and_one_day_more_is_not(app, accounts):
    office = _office(app, accounts)
    download(office, "/office/exports/audit", **_audit("2025-01-01", "2026-01-01"))  # 366 days
    page = _refused(office, "/office/exports/audit", _audit("2025-01-01", "2026-01-02"))
    assert "höchstens 366 Tage" in page


def test_an_unknown_format_is_refused(app, accounts):
    office = _office(app, accounts)
    page = _refused(office, "/office/exports/schools", {"schulen-file_format": "pdf"})
    assert "Bitte wählen Sie ein Format aus der Liste." in page


def test_refused_input_is_kept_in_the_form(app, accounts):
    office = _office(app, accounts)
    page = _refused(office, "/office/exports/audit", _audit("2026-03-10", "2026-03-09", "csv"))
    assert 'value="2026-03-10"' in page and 'value="2026-03-09"' in page
    assert '<option selected value="csv">' in page


# --- the page and who may use it --------------------------------------------------------------


def test_office_finds_the_page_from_home(app, accounts):
    office = _office(app, accounts)
    assert 'href="/office/exports"' in office.get("/").get_data(as_text=True)
    page = text_of(office.get("/office/exports"))
    assert "Daten exportieren" in page and "Es gibt noch keine Vergaberunde." in page


@pytest.mark.parametrize("role", ["school", "assessor"])
def test_school_and_assessor_are_refused(app, accounts, role):
    client = app.test_client()
    login(client, accounts[role])
    for url in URLS:
        assert client.get(url, query_string={"schulen-file_format": "csv"}).status_code == 403


def test_anonymous_is_sent_to_login(app):
    client = app.test_client()
    for url in URLS:
        answer = client.get(url)
        assert answer.status_code == 302 and answer.headers["Location"].startswith("/login")


def test_round_chooser_lists_rounds_newest_first(app, accounts):
    with app.app_context():
        create_round(2027, date(2027, 6, 30), "2026.1", None).status = RoundStatus.CLOSED
        create_round(2028, date(2028, 6, 30), "2026.1", None)
        db.session.commit()
    page = _office(app, accounts).get("/office/exports").get_data(as_text=True)
    assert page.index("Vergaberunde 2028") < page.index("Vergaberunde 2027")
