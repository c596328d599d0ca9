"""Hostile uploads are refused with a German message, and nothing is stored."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link, Text
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

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


def _docx_with(members: dict[str, bytes | int]) -> bytes:
    """A DOCX with extra members: bytes as they are, an int as that many zero bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for name, content in members.items():
            if isinstance(content, bytes):
                archive.writestr(name, content)
                continue
            with archive.open(name, "w", force_zip64=True) as member:
                for _ in range(content // MEGABYTE):
                    member.write(bytes(MEGABYTE))
    return buffer.getvalue()


MEGABYTE = 1024 * 1024


@pytest.mark.parametrize(
    ("members", "message"),
    [
        # some 120 KB that unpack to 120 MB of zeros (the reported bomb, smaller)
        ({"word/media/image1.png": 120 * MEGABYTE}, "wäre entpackt größer als 100"),
        # many members of 1 MB each: none extreme alone, too much together
        ({f"word/media/image{n}.png": MEGABYTE for n in range(101)}, "wäre entpackt größer"),
        # one member packed more than 100 : 1
        ({"word/media/image1.png": 2 * MEGABYTE}, "ungewöhnlich stark gepackt"),
    ],
    ids=["bomb", "many members", "extreme ratio"],
)
def test_office_zip_bomb_is_refused(app, staff_client, application_id, members, message):
    data = _docx_with(members)
    assert len(data) < 300 * 1024
    response = post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(file_1=upload(data, "bericht.docx"), description_1="Bericht"),
    )
    assert message in text_of(response)
    assert _rows(app) == 0


def test_office_file_with_real_pictures_and_small_xml_is_accepted(
    app, staff_client, application_id
):
    data = _docx_with(
        {
            "word/media/image1.jpg": random.Random(1).randbytes(2 * MEGABYTE),
            "word/styles.xml": b"<w:styles/>" * 20_000,  # 220 KB packed far more than 100:1
        }
    )
    response = post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(file_1=upload(data, "bericht.docx"), description_1="Bericht"),
    )
    assert response.status_code == 302, text_of(response)
    assert _rows(app) == 1


def test_office_file_whose_member_lies_about_its_size_is_refused(app, staff_client, application_id):
    data = bytearray(_docx_with({"word/media/image1.png": b"\x00" * 500_000}))
    stated = (500_000).to_bytes(4, "little")
    assert data.count(stated) == 2  # local header and central directory
    data[:] = data.replace(stated, (5_000).to_bytes(4, "little"))
    response = post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(file_1=upload(bytes(data), "bericht.docx"), description_1="Bericht"),
    )
    assert "beschädigt" in text_of(response)
    assert _rows(app) == 0


def _pdf_with(change) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(samples.pdf())))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _action(kind: str, **entries) -> DictionaryObject:
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = TextStringObject(value)
    return action


def _catalog(key: str, value):
    return lambda writer: writer.root_object.__setitem__(NameObject(key), value)


def _page(key: str, value):
    return lambda writer: writer.pages[0].__setitem__(NameObject(key), value)


def _annotation(subtype: str, **entries):
    def change(writer: PdfWriter) -> None:
        annotation = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject(subtype),
                NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (10, 10, 50, 50)]),
            }
        )
        annotation.update({NameObject(k): v for k, v in entries.items()})
        writer.pages[0][NameObject("/Annots")] = ArrayObject([annotation])

    return change


def _document_javascript(writer: PdfWriter) -> None:
    """/Names → /JavaScript → [(name) action], all direct dictionaries in the catalog."""
    action = _action("/JavaScript", JS="app.alert(1);")
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("start"), action])}
    )
    names = DictionaryObject({NameObject("/JavaScript"): tree})
    writer.root_object[NameObject("/Names")] = names


def _nested(depth: int) -> ArrayObject:
    value = ArrayObject([NumberObject(1)])
    for _ in range(depth):
        value = ArrayObject([value])
    return value


ACTIVE = "JavaScript oder startet Programme"
HOSTILE_PDFS = [
    (
        "catalog /OpenAction JavaScript as a direct dictionary",
        _catalog("/OpenAction", _action("/JavaScript", JS="app.alert(1)")),
        ACTIVE,
    ),
    ("document JavaScript in the /Names tree", _document_javascript, ACTIVE),
    (
        "catalog /AA with a Launch action",
        _catalog("/AA", DictionaryObject({NameObject("/WC"): _action("/Launch", F="cmd.exe")})),
        ACTIVE,
    ),
    (
        "page /AA opening another file (GoToR)",
        _page("/AA", DictionaryObject({NameObject("/O"): _action("/GoToR", F="x.pdf")})),
        ACTIVE,
    ),
    (
        "/OpenAction that submits a form",
        _catalog("/OpenAction", _action("/SubmitForm", F="https://example.org/")),
        ACTIVE,
    ),
    ("/OpenAction importing data", _catalog("/OpenAction", _action("/ImportData")), ACTIVE),
    ("/OpenAction into an embedded file", _catalog("/OpenAction", _action("/GoToE")), ACTIVE),
    (
        "JavaScript in the /Next of an /OpenAction",
        _catalog(
            "/OpenAction",
            DictionaryObject(
                {
                    NameObject("/S"): NameObject("/GoTo"),
                    NameObject("/D"): ArrayObject([NumberObject(0), NameObject("/Fit")]),
                    NameObject("/Next"): ArrayObject([_action("/JavaScript", JS="x()")]),
                }
            ),
        ),
        ACTIVE,
    ),
    ("rich media annotation", _annotation("/RichMedia"), ACTIVE),
    (
        "link that launches a program",
        _annotation("/Link", **{"/A": _action("/Launch", F="calc.exe")}),
        ACTIVE,
    ),
    (
        "embedded file",
        lambda w: w.add_attachment("rechnung.exe", b"MZ payload"),
        "eingebettete Dateien",
    ),
    (
        "file attachment annotation",
        _annotation("/FileAttachment", **{"/FS": TextStringObject("anhang.exe")}),
        "eingebettete Dateien",
    ),
    (
        "nesting deeper than the check looks",
        _catalog("/Deep", _nested(150)),
        "zu verschachtelt",
    ),
]


@pytest.mark.parametrize(
    ("what", "change", "message"), HOSTILE_PDFS, ids=[case[0] for case in HOSTILE_PDFS]
)
def test_pdf_with_active_content_is_refused(
    app, staff_client, application_id, what, change, message
):
    response = post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(file_1=upload(_pdf_with(change), "aktiv.pdf"), description_1="PDF"),
    )
    assert message in text_of(response), what
    assert _rows(app) == 0


def test_pdf_with_links_and_notes_is_accepted(app, staff_client, application_id):
    def links_and_notes(writer: PdfWriter) -> None:
        writer.add_blank_page(595, 842)
        for annotation in (
            Link(rect=(50, 50, 200, 80), url="https://www.landkreis-rostock.de/"),
            Link(rect=(50, 100, 200, 130), target_page_index=1),
            Text(rect=(300, 300, 320, 320), text="Bitte prüfen"),
        ):
            writer.add_annotation(page_number=0, annotation=annotation)
        writer.add_outline_item(title="Seite 2", page_number=1)
        writer.root_object[NameObject("/OpenAction")] = ArrayObject(
            [writer.pages[0].indirect_reference, NameObject("/Fit")]
        )

    response = post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(
            file_1=upload(_pdf_with(links_and_notes), "mit Links.pdf"), description_1="Links"
        ),
    )
    assert response.status_code == 302, text_of(response)
    assert _rows(app) == 1


def test_inline_preview_is_sandboxed(app, staff_client, application_id):
    post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(file_1=upload(samples.pdf(), "konzept.pdf"), description_1="Konzept"),
    )
    with app.app_context():
        file_id = db.session.scalar(sa.select(EvidenceFile.id))
    response = staff_client.get(f"/applications/{application_id}/files/{file_id}/preview")
    assert response.status_code == 200
    policy = [part.strip() for part in response.headers["Content-Security-Policy"].split(";")]
    assert "sandbox" in policy
