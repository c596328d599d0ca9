"""Hostile uploads are refused with a German message, and nothing is stored."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from seal_app.applications.models import EvidenceFile
from seal_app.extensions import db
from tests.applications import samples
from tests.applications.conftest import criterion_data, post_criterion, upload
from tests.conftest import text_of


def _stored_files(app) -> set[Path]:
    return {path for path in Path(app.config["UPLOAD_DIR"]).rglob("*") if path.is_file()}


def _rows(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(EvidenceFile))


def _jpeg_with_markup() -> bytes:
    data = samples.jpeg()
    comment = b"<script>alert(1)</script>"
    segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
    return data[:2] + segment + data[2:]


HOSTILE = [
    # (what, bytes, file name, expected German message)
    (
        "executable renamed .pdf",
        samples.EXECUTABLE,
        "konzept.pdf",
        "Dieser Dateityp ist nicht erlaubt",
    ),
    ("Linux program renamed .jpg", samples.ELF, "foto.jpg", "Dieser Dateityp ist nicht erlaubt"),
    ("HTML renamed .png", samples.HTML, "bild.png", "Dieser Dateityp ist nicht erlaubt"),
    (
        "JPEG carrying a script (polyglot)",
        _jpeg_with_markup(),
        "foto.jpg",
        "Bestandteile einer Webseite",
    ),
    (
        "PDF with a ZIP archive appended (polyglot)",
        samples.pdf() + samples.plain_zip(),
        "konzept.pdf",
        "angehängtes Archiv",
    ),
    (
        "PNG with data after its end",
        samples.png() + b"\x00\x01hidden payload" * 4,
        "bild.png",
        "Hinter dem Bild stehen noch weitere Daten",
    ),
    ("empty file", b"", "leer.pdf", "Die Datei ist leer."),
    (
        "PDF with JavaScript",
        samples.pdf(javascript="app.alert('hallo');"),
        "aktiv.pdf",
        "JavaScript",
    ),
    ("DOCX with macros", samples.docx(with_macro=True), "makro.docx", "Makros"),
    (
        "ZIP archive renamed .docx",
        samples.plain_zip(),
        "bericht.docx",
        "nur Textdokumente (ODT, DOCX)",
    ),
    ("damaged PDF", b"%PDF-1.7\n1 0 obj <<>> garbage", "kaputt.pdf", "beschädigt"),
    ("name with ../", samples.pdf(), "../../etc/passwd.pdf", "Dateiname ist nicht zulässig"),
    (
        "absolute path as name",
        samples.pdf(),
        "/etc/cron.d/konzept.pdf",
        "Dateiname ist nicht zulässig",
    ),
    (
        "terminal escape in the name",
        samples.pdf(),
        "\x1b[31mkonzept.pdf",
        "Dateiname ist nicht zulässig",
    ),
    ("NUL in the name", samples.pdf(), "konzept.pdf\x00.exe", "Dateiname ist nicht zulässig"),
    ("very long name", samples.pdf(), "k" * 250 + ".pdf", "Der Dateiname ist zu lang"),
]


@pytest.mark.parametrize(
    ("what", "data", "name", "message"), HOSTILE, ids=[case[0] for case in HOSTILE]
)
def test_hostile_upload_is_refused_and_nothing_is_stored(
    app, staff_client, application_id, what, data, name, message
):
    before = _stored_files(app)
    response = post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(file_1=upload(data, name), description_1="Nachweis"),
    )
    page = text_of(response)
    assert response.status_code == 200
    assert message in page, page[:3000]
    assert "Wir haben ein Krisenteam" in response.get_data(as_text=True)  # the text is kept
    assert _rows(app) == 0
    assert _stored_files(app) == before


def test_one_byte_over_the_file_limit(app, staff_client, application_id, monkeypatch):
    data = samples.pdf()
    monkeypatch.setitem(app.config, "UPLOAD_MAX_FILE_BYTES", len(data) - 1)
    before = _stored_files(app)
    response = post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(file_1=upload(data, "konzept.pdf"), description_1="Konzept"),
    )
    assert "Die Datei ist zu groß: höchstens" in text_of(response)
    assert _rows(app) == 0 and _stored_files(app) == before
    monkeypatch.setitem(app.config, "UPLOAD_MAX_FILE_BYTES", len(data))
    accepted = post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(file_1=upload(data, "konzept.pdf"), description_1="Konzept"),
    )
    assert accepted.status_code == 302 and _rows(app) == 1


def test_per_application_limit(app, staff_client, application_id, monkeypatch):
    first, second = samples.pdf("eins"), samples.pdf("zwei und noch etwas mehr Text")
    monkeypatch.setitem(app.config, "UPLOAD_MAX_APPLICATION_BYTES", len(first) + 100)
    assert (
        post_criterion(
            staff_client,
            application_id,
            "A.1",
            criterion_data(file_1=upload(first, "eins.pdf"), description_1="Eins"),
        ).status_code
        == 302
    )
    before = _stored_files(app)
    response = post_criterion(
        staff_client,
        application_id,
        "A.2",
        criterion_data(file_1=upload(second, "zwei.pdf"), description_1="Zwei"),
    )
    assert "würde der Antrag die Grenze von" in text_of(response)
    assert _rows(app) == 1 and _stored_files(app) == before


def test_upload_cut_off_mid_request_stores_nothing(app, staff_client, application_id):
    boundary = "grenze"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="measures"\r\n\r\nText\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="description_1"\r\n\r\nX\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file_1"; '
            f'filename="konzept.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        + samples.pdf()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    before = _stored_files(app)
    response = staff_client.post(
        f"/applications/{application_id}/criteria/A.1",
        input_stream=io.BytesIO(body[: len(body) // 2]),
        content_type=f"multipart/form-data; boundary={boundary}",
        environ_overrides={"CONTENT_LENGTH": str(len(body))},  # more than will arrive
    )
    assert response.status_code == 400
    assert "Die Anfrage war fehlerhaft" in text_of(response)
    assert _rows(app) == 0 and _stored_files(app) == before


def test_accepted_types_are_decided_by_content(app, staff_client, application_id):
    files = {
        "file_1": upload(samples.png(), "scan"),
        "description_1": "Scan ohne Endung",
        "file_2": upload(samples.odt(), "Konzept.odt"),
        "description_2": "ODT",
        "file_3": upload(samples.docx(), "Bericht.docx"),
        "description_3": "DOCX",
    }
    assert (
        post_criterion(staff_client, application_id, "A.1", criterion_data(**files)).status_code
        == 302
    )
    with app.app_context():
        types = set(db.session.scalars(sa.select(EvidenceFile.media_type)))
    assert types == {
        "image/png",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
