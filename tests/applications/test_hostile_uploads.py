"""Hostile uploads are refused with a German message, and nothing is stored."""

from __future__ import annotations

import io
import random
import zipfile
import zlib
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


def _refused(client, application_id, data: bytes, name: str) -> str:
    response = post_criterion(
        client, application_id, "A.1", criterion_data(file_1=upload(data, name), description_1="X")
    )
    assert response.status_code == 200
    return text_of(response)


def _raw_pdf(catalog_entries: bytes, *objects: bytes) -> bytes:
    """A hand-written PDF: catalog, pages, one page, then ``objects`` as 4 0 obj, 5 0 obj ..."""
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_entries + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        *objects,
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start, size = len(out), len(bodies) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, start)
    return bytes(out)


DAMAGED_PDF = "Die PDF-Datei ist beschädigt"
AUTOMATIC = "führt beim Öffnen selbsttätig Aktionen aus"


@pytest.mark.parametrize(
    ("what", "data", "message"),
    [
        (
            "JavaScript behind an unreadable hex string",
            _raw_pdf(b"/OpenAction 4 0 R", b"<< /X <GG> /S /JavaScript /JS (app.alert(1)) >>"),
            ACTIVE,
        ),
        (
            "JavaScript behind a bare word, names hex-escaped",
            _raw_pdf(b"/OpenAction 4 0 R", b"<< /X foo /S /Java#53cript /J#53 (app.alert(1)) >>"),
            ACTIVE,
        ),
        (
            "web page opened behind an unreadable hex string",
            _raw_pdf(b"/OpenAction 4 0 R", b"<< /X <GG> /S /URI /URI (https://example.org/) >>"),
            DAMAGED_PDF,
        ),
        (
            "XFA form",
            _raw_pdf(b"/AcroForm << /Fields [] /XFA 4 0 R >>", b"[(template) 5 0 R]", b"<< >>"),
            "XFA-Formular",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 60 else "",
)
def test_hand_written_hostile_pdf_is_refused(
    app, staff_client, application_id, what, data, message
):
    assert message in _refused(staff_client, application_id, data, "aktiv.pdf"), what
    assert _rows(app) == 0


def _uri(url: str) -> DictionaryObject:
    return _action("/URI", URI=url)


MORE_HOSTILE_PDFS = [
    (
        "web page opened with the file",
        _catalog("/OpenAction", _uri("https://x.example/")),
        AUTOMATIC,
    ),
    (
        "web page opened with a page",
        _page("/AA", DictionaryObject({NameObject("/O"): _uri("https://x.example/")})),
        AUTOMATIC,
    ),
    ("named action on opening", _catalog("/OpenAction", _action("/Named")), AUTOMATIC),
    (
        "web page in the /Next of a GoTo on opening",
        _catalog(
            "/OpenAction",
            DictionaryObject(
                {
                    NameObject("/S"): NameObject("/GoTo"),
                    NameObject("/D"): ArrayObject([NumberObject(0), NameObject("/Fit")]),
                    NameObject("/Next"): _uri("https://x.example/"),
                }
            ),
        ),
        AUTOMATIC,
    ),
    (
        "XFA form in a compressed-free writer file",
        _catalog(
            "/AcroForm",
            DictionaryObject(
                {
                    NameObject("/Fields"): ArrayObject(),
                    NameObject("/XFA"): ArrayObject([TextStringObject("template")]),
                }
            ),
        ),
        "XFA-Formular",
    ),
    ("3D annotation", _annotation("/3D"), ACTIVE),
    (
        "3D stream that runs a script when loaded",
        _annotation(
            "/Widget",
            **{
                "/X3": DictionaryObject(
                    {
                        NameObject("/Type"): NameObject("/Stuff"),
                        NameObject("/OnInstantiate"): TextStringObject("x"),
                    }
                )
            },
        ),
        ACTIVE,
    ),
]


@pytest.mark.parametrize(
    ("what", "change", "message"), MORE_HOSTILE_PDFS, ids=[case[0] for case in MORE_HOSTILE_PDFS]
)
def test_pdf_with_forms_3d_or_automatic_actions_is_refused(
    app, staff_client, application_id, what, change, message
):
    assert message in _refused(staff_client, application_id, _pdf_with(change), "a.pdf"), what
    assert _rows(app) == 0


def _zip_with_longest_comment(ending: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", b"MZ payload")
        archive.comment = b"\x00" * (65_535 - len(ending)) + ending
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (samples.pdf() + _zip_with_longest_comment(), "konzept.pdf"),
        (samples.png() + _zip_with_longest_comment(b"IEND\xaeB`\x82"), "bild.png"),
    ],
    ids=["PDF", "PNG ending like a PNG"],
)
def test_polyglot_with_the_longest_zip_comment_is_refused(
    app, staff_client, application_id, data, name
):
    assert zipfile.is_zipfile(io.BytesIO(data))
    assert "angehängtes Archiv" in _refused(staff_client, application_id, data, name)
    assert _rows(app) == 0


CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Override PartName="/word/payload.dat" ContentType="{}"/></Types>'
)
RELATIONSHIPS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="{}" Target="{}" {}/></Relationships>'
)
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
EMBEDDED_OBJECTS = "eingebettete Objekte"
OLE_FILE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def _docx_parts(
    content_type: str = "",
    relationship: tuple[str, str, str] | None = None,
    prolog: str = '<?xml version="1.0"?>',
) -> bytes:
    parts = {"word/payload.dat": OLE_FILE} if content_type else {}
    if relationship:
        parts["word/_rels/document.xml.rels"] = RELATIONSHIPS.format(*relationship).encode()
    types = CONTENT_TYPES.format(content_type or "text/plain")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("[Content_Types].xml", types.replace('<?xml version="1.0"?>', prolog))
        out.writestr("word/document.xml", "<w:document/>")
        for name, content in parts.items():
            out.writestr(name, content)
    return archive.getvalue()


def _odt_with_content(content: str) -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        out.writestr("content.xml", content, zipfile.ZIP_DEFLATED)  # no markup sign to see
    return archive.getvalue()


def _with_duplicate_member() -> bytes:
    archive = io.BytesIO()
    with pytest.warns(UserWarning), zipfile.ZipFile(archive, "w") as out:
        out.writestr("[Content_Types].xml", "<Types/>")
        out.writestr("word/document.xml", "<w:document/>")
        out.writestr("word/document.xml", "<w:document/>")
    return archive.getvalue()


HOSTILE_OFFICE = [
    (
        "macro part under another name",
        _docx_parts(
            "application/vnd.ms-office.vbaProject",
            (f"{OFFICE_REL}vbaProject".replace("2006/", ""), "payload.dat", ""),
        ),
        "Makros",
    ),
    (
        "macro content type written with a character reference",
        _docx_parts("application/vnd.ms-office.vba&#80;roject"),
        "Makros",
    ),
    (
        "vbaProject relationship only",
        _docx_parts(
            relationship=(
                "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
                "vbaProject.bin",
                "",
            )
        ),
        "Makros",
    ),
    (
        "macro-enabled main document",
        _docx_parts("application/vnd.ms-word.document.macroEnabled.main+xml"),
        "Makros",
    ),
    (
        "template fetched from a web server",
        _docx_parts(
            relationship=(
                f"{OFFICE_REL}attachedTemplate",
                "https://x.example/vorlage.dotm",
                'TargetMode="External"',
            )
        ),
        "Inhalte von außerhalb",
    ),
    (
        "OLE object",
        _docx_with({"word/embeddings/oleObject1.bin": b"ole object"}),
        EMBEDDED_OBJECTS,
    ),
    (
        "OLE file under a picture's name",
        _docx_with({"word/media/image9.png": OLE_FILE}),
        EMBEDDED_OBJECTS,
    ),
    (
        "ODT event listener running a macro",
        _odt_with_content(
            '<office:document-content xmlns:office="o" xmlns:script="s" xmlns:xlink="x">'
            '<script:event-listener script:event-name="dom:load" '
            'xlink:href="vnd.sun.star.script:Standard.Module1.Main"/></office:document-content>'
        ),
        "Makros",
    ),
    ("one member name twice", _with_duplicate_member(), "beschädigt"),
    (
        "document type declaration with entities",
        _docx_parts(prolog='<?xml version="1.0"?><!DOCTYPE T [<!ENTITY a "b">]>'),
        "beschädigt",
    ),
]


@pytest.mark.parametrize(
    ("what", "data", "message"), HOSTILE_OFFICE, ids=[case[0] for case in HOSTILE_OFFICE]
)
def test_office_file_with_macros_objects_or_remote_parts_is_refused(
    app, staff_client, application_id, what, data, message
):
    assert message in _refused(staff_client, application_id, data, "bericht.docx"), what
    assert _rows(app) == 0


def test_office_file_with_web_links_is_accepted(app, staff_client, application_id):
    data = _docx_parts(
        relationship=(f"{OFFICE_REL}hyperlink", "https://x.example/", 'TargetMode="External"')
    )
    response = post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(file_1=upload(data, "bericht.docx"), description_1="Bericht"),
    )
    assert response.status_code == 302, text_of(response)


def test_many_members_packed_extremely_together_are_refused(app, staff_client, application_id):
    data = _docx_with({f"word/media/image{n}.png": bytes(MEGABYTE - 1024) for n in range(12)})
    assert len(data) < 200 * 1024
    assert "ungewöhnlich stark gepackt" in _refused(
        staff_client, application_id, data, "bericht.docx"
    )
    assert _rows(app) == 0


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")


def test_png_with_markup_far_from_its_start_is_refused(app, staff_client, application_id):
    data = samples.png()
    padding = _png_chunk(b"tEXt", b"Comment\x00" + b"a" * 10_000)
    markup = _png_chunk(b"tEXt", b"Comment\x00<svg/onload=alert(1)>")
    data = data[:-12] + padding + markup + data[-12:]
    assert "Bestandteile einer Webseite" in _refused(staff_client, application_id, data, "b.png")
    assert _rows(app) == 0


@pytest.mark.parametrize(
    ("uploaded", "saved"),
    [("bild.html", "bild.html.png"), ("scan", "scan.png"), ("Foto.PNG", "Foto.PNG")],
)
def test_download_name_ends_as_the_verified_type(
    app, staff_client, application_id, uploaded, saved
):
    post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(file_1=upload(samples.png(), uploaded), description_1="Bild"),
    )
    with app.app_context():
        file_id = db.session.scalar(sa.select(EvidenceFile.id))
    response = staff_client.get(f"/applications/{application_id}/files/{file_id}")
    disposition = response.headers["Content-Disposition"]
    assert disposition == f"attachment; filename={saved}"


@pytest.mark.parametrize(
    "data",
    [
        _raw_pdf(b"/Outlines 9 0 R"),  # a reference to no object at all is null, not damage
        _raw_pdf(b"/OpenAction 4 0 R", b"<< /S /GoTo /D [3 0 R /Fit] >>"),
    ],
    ids=["reference to a missing object", "going to the first page on opening"],
)
def test_harmless_hand_written_pdf_is_accepted(app, staff_client, application_id, data):
    response = post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(file_1=upload(data, "konzept.pdf"), description_1="Konzept"),
    )
    assert response.status_code == 302, text_of(response)
