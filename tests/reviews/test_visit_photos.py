"""Photos of the visit: checked by content (only JPEG and PNG pictures), stored upright and
without location data, a thumbnail made on the server, loaded only by those who may read the
protocol, deleted only by their uploader."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from PIL import ExifTags, Image

from seal_app.auth.models import Role
from seal_app.backup import stored_files
from seal_app.extensions import db
from seal_app.reviews.visit_record_models import VisitPhoto
from seal_app.uploads.store import path_of
from tests.conftest import text_of
from tests.reviews.jury_setup import actions, build_meeting, client_of, submit_review
from tests.reviews.visit_record_setup import add_to_record, record_past_visit, record_url

GPS = ExifTags.IFD.GPSInfo


def photo_with_location(width: int = 800, height: int = 600) -> bytes:
    """A JPEG as a phone writes it: GPS position, camera model, turned by EXIF orientation."""
    image = Image.new("RGB", (width, height), (30, 120, 200))
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "Schulhandy"
    exif[ExifTags.Base.Orientation] = 6  # to be turned 90° clockwise to be upright
    exif[GPS] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (54.0, 5.0, 30.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (12.0, 8.0, 10.0),
    }
    output = io.BytesIO()
    image.save(output, "JPEG", exif=exif)
    data = output.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS)  # the test photo has GPS
    return data


@pytest.fixture
def submitted(app, make):
    """A visit last week by both assessors; both reviews are in."""
    meeting = build_meeting(app, make)
    record_past_visit(app, meeting)
    submit_review(app, meeting.first_assignment_id)
    submit_review(app, meeting.second_assignment_id)
    return meeting


def _photos(app) -> list[VisitPhoto]:
    with app.app_context():
        rows = list(db.session.scalars(sa.select(VisitPhoto)))
        for row in rows:
            db.session.expunge(row)
        return rows


def test_the_stored_photo_has_no_location_and_a_thumbnail(app, submitted):
    second = client_of(app, submitted.second)
    response = add_to_record(second, submitted.second_assignment_id, photo=photo_with_location())
    assert response.status_code == 302
    [photo] = _photos(app)
    assert photo.caption == "Foto vom Schulbesuch, Bereich A"
    with app.app_context():
        with Image.open(path_of(photo.stored_name)) as stored:
            exif = stored.getexif()
            assert not exif.get_ifd(GPS) and GPS not in exif
            assert ExifTags.Base.Model not in exif
            assert stored.size == (600, 800)  # turned upright, as the phone meant it
        with Image.open(path_of(photo.thumbnail_name)) as thumbnail:
            assert thumbnail.format == "JPEG" and thumbnail.size == (240, 320)
    assert "visit.photo_added" in actions(app)

    page = second.get(record_url(submitted.second_assignment_id)).get_data(as_text=True)
    thumbnail_url = f"/visit-photos/{photo.id}/thumbnail"
    assert f'href="/visit-photos/{photo.id}"><img src="{thumbnail_url}"' in page
    assert 'alt="Foto vom Schulbesuch, Bereich A"' in page
    full = second.get(f"/visit-photos/{photo.id}")
    assert full.status_code == 200 and full.mimetype == "image/jpeg"
    assert not Image.open(io.BytesIO(full.data)).getexif().get_ifd(GPS)


def test_a_caption_given_is_the_alt_text(app, submitted):
    first = client_of(app, submitted.first)
    add_to_record(
        first,
        submitted.first_assignment_id,
        "Aushang",
        photo=photo_with_location(),
        caption="Fluchtwegplan im Erdgeschoss",
    )
    page = first.get(record_url(submitted.first_assignment_id)).get_data(as_text=True)
    assert 'alt="Fluchtwegplan im Erdgeschoss"' in page


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"MZ\x90\x00\x03" + bytes(4000), "foto.jpg", "erlaubt sind JPEG und PNG"),
        (b"\x7fELF\x02\x01\x01" + bytes(4000), "foto.png", "erlaubt sind JPEG und PNG"),
    ],
)
def test_a_renamed_program_is_refused(app, submitted, content, filename, message):
    first = client_of(app, submitted.first)
    response = add_to_record(
        first, submitted.first_assignment_id, "Mein Nachtrag", photo=content, filename=filename
    )
    assert response.status_code == 200
    text = text_of(response)
    assert message in text and "Mein Nachtrag" in text
    assert _photos(app) == [] and "visit.protocol_added" not in actions(app)


def test_a_pdf_is_no_photo(app, submitted):
    from tests.applications import samples

    first = client_of(app, submitted.first)
    response = add_to_record(
        first, submitted.first_assignment_id, photo=samples.pdf(), filename="foto.pdf"
    )
    assert response.status_code == 200
    assert "Bitte laden Sie ein Foto hoch: erlaubt sind JPEG und PNG." in text_of(response)
    assert _photos(app) == []


def test_an_oversized_photo_is_refused(app, submitted):
    first = client_of(app, submitted.first)
    saved = app.config["VISIT_PHOTO_MAX_BYTES"]
    app.config["VISIT_PHOTO_MAX_BYTES"] = 10_000
    try:
        response = add_to_record(
            first, submitted.first_assignment_id, "Text", photo=photo_with_location(1600, 1200)
        )
    finally:
        app.config["VISIT_PHOTO_MAX_BYTES"] = saved
    assert response.status_code == 200
    assert "Die Datei ist zu groß" in text_of(response) and "Text" in text_of(response)
    assert _photos(app) == []


def test_only_who_may_read_the_protocol_loads_the_photo(app, make, submitted):
    add_to_record(
        client_of(app, submitted.second),
        submitted.second_assignment_id,
        photo=photo_with_location(),
    )
    [photo] = _photos(app)
    urls = (f"/visit-photos/{photo.id}", f"/visit-photos/{photo.id}/thumbnail")
    make.user(Role.ASSESSOR, "fremd@example.org", name="Fritz Fremd")
    for email, status in (
        (submitted.first, 200),
        (submitted.second, 200),
        (submitted.office, 200),
        (submitted.staff, 404),  # the school too
        ("fremd@example.org", 404),
    ):
        client = client_of(app, email)
        assert [client.get(url).status_code for url in urls] == [status, status], email
    anonymous = app.test_client().get(urls[0])
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert client_of(app, submitted.first).get("/visit-photos/999/thumbnail").status_code == 404


def test_a_reopened_review_no_longer_sees_the_others_photos(app, submitted):
    add_to_record(
        client_of(app, submitted.second),
        submitted.second_assignment_id,
        photo=photo_with_location(),
    )
    [photo] = _photos(app)
    with app.app_context():
        from seal_app.reviews.models import Assignment

        db.session.get(Assignment, submitted.first_assignment_id).review.submitted_at = None
        db.session.commit()
    first = client_of(app, submitted.first)
    assert first.get(f"/visit-photos/{photo.id}").status_code == 404


def test_only_the_uploader_deletes_a_photo(app, submitted):
    second = client_of(app, submitted.second)
    add_to_record(second, submitted.second_assignment_id, photo=photo_with_location())
    [photo] = _photos(app)
    first = client_of(app, submitted.first)
    refused = first.post(f"/visit-photos/{photo.id}/delete", follow_redirects=True)
    assert "Ein Foto löschen kann nur, wer es hochgeladen hat." in text_of(refused)
    assert len(_photos(app)) == 1
    deleted = second.post(f"/visit-photos/{photo.id}/delete", follow_redirects=True)
    assert "Das Foto ist gelöscht." in text_of(deleted)
    assert _photos(app) == [] and "visit.photo_deleted" in actions(app)
    with app.app_context():
        assert not path_of(photo.stored_name).exists()
        assert not path_of(photo.thumbnail_name).exists()


COMMENT = "Kamera von Frau Beispiel, Seriennummer"
SERIAL = "SN-4711-0815"
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description>Standort Schulhof</rdf:Description>'


def _icc_profile() -> bytes:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def photo_with_everything() -> bytes:
    """A JPEG with GPS, a camera serial, XMP, an ICC profile and a comment (COM marker)."""
    exif = Image.open(io.BytesIO(photo_with_location())).getexif()
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = SERIAL
    output = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 60, 30)).save(
        output, "JPEG", exif=exif, xmp=XMP, icc_profile=_icc_profile(), comment=COMMENT
    )
    data = output.getvalue()
    assert SERIAL.encode() in data and COMMENT.encode() in data and XMP in data
    return data


def png_with_text() -> bytes:
    """A PNG with tEXt and iTXt chunks and an ICC profile."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", COMMENT)
    info.add_itxt("Location", "Schulhof Nord, 54.0917 N", lang="de")
    output = io.BytesIO()
    Image.new("RGBA", (300, 200), (10, 200, 30, 255)).save(
        output, "PNG", pnginfo=info, icc_profile=_icc_profile()
    )
    data = output.getvalue()
    assert b"tEXt" in data and b"iTXt" in data and b"iCCP" in data
    return data


@pytest.mark.parametrize(
    ("content", "filename"), [(photo_with_everything(), "foto.jpg"), (png_with_text(), "foto.png")]
)
def test_no_metadata_is_kept_in_the_photo_or_its_thumbnail(app, submitted, content, filename):
    second = client_of(app, submitted.second)
    add_to_record(second, submitted.second_assignment_id, photo=content, filename=filename)
    [photo] = _photos(app)
    for url in (f"/visit-photos/{photo.id}", f"/visit-photos/{photo.id}/thumbnail"):
        data = second.get(url).data
        for trace in (COMMENT, SERIAL, "Schulhof", "Standort", "lcms", "ICC_PROFILE"):
            assert trace.encode() not in data, (url, trace)
        for chunk in (b"tEXt", b"iTXt", b"zTXt", b"iCCP", b"eXIf", b"pHYs"):
            assert chunk not in data, (url, chunk)
        with Image.open(io.BytesIO(data)) as image:
            assert not image.getexif() and "icc_profile" not in image.info
            assert "comment" not in image.info and "xmp" not in image.info


def _photo_notice(response) -> str | None:
    """The notice beside the photo field that the chosen photo was not kept."""
    html = response.get_data(as_text=True)
    found = re.search(r'id="photo-not-kept">(.*?)</div>\s*</div>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else None


def test_after_an_error_the_photo_must_be_chosen_again(app, submitted):
    from seal_app.reviews.visit_record import ADDITION_LIMIT

    first = client_of(app, submitted.first)
    too_long = "x" * (ADDITION_LIMIT + 1)
    response = add_to_record(
        first,
        submitted.first_assignment_id,
        too_long,
        photo=photo_with_location(),
        caption="Sammelplatz",
    )
    assert response.status_code == 200
    assert _photo_notice(response) == (
        "Ausgewählte Dateien wurden nicht übernommen: Bitte wählen Sie sie noch einmal aus."
    )
    assert 'value="Sammelplatz"' in response.get_data(as_text=True)

    again = add_to_record(first, submitted.first_assignment_id, "x", caption="Sammelplatz")
    assert again.status_code == 200
    assert (
        "Bitte wählen Sie das Foto aus, zu dem die Beschreibung gehört, oder löschen Sie die "
        "Beschreibung." in text_of(again)
    )
    assert 'id="photo-error"' in again.get_data(as_text=True)
    assert _photo_notice(again) is None
    assert "visit.protocol_added" not in actions(app) and _photos(app) == []


@pytest.mark.parametrize(
    "content", [b"kein Bild, nur Text " * 200, b"\xff\xd8\xff\xe0" + bytes(4000), None]
)
def test_photo_refusals_name_only_jpeg_and_png(app, submitted, content):
    from tests.applications import samples

    first = client_of(app, submitted.first)
    filename = "foto.jpg" if content is not None else "foto.pdf"
    response = add_to_record(
        first, submitted.first_assignment_id, photo=content or samples.pdf(), filename=filename
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "JPEG" in text
    for other in ("PDF", "ODT", "DOCX"):
        assert other not in text
    assert _photos(app) == []


def test_a_photo_and_its_thumbnail_are_files_of_record(app, submitted):
    """The file check (and so the backup) knows both files with their checksums."""
    second = client_of(app, submitted.second)
    add_to_record(second, submitted.second_assignment_id, photo=photo_with_location())
    [photo] = _photos(app)
    with app.app_context():
        report = stored_files.check_files()  # (the upload folder is shared by the whole run)
        assert not report.missing and not report.altered
        known = {photo.stored_name, photo.thumbnail_name}
        assert not [name for name in report.orphaned if name.split("/")[-1] in known]
        with db.engine.connect() as connection:
            named = {reference.stored_name for reference in stored_files.references(connection)}
        assert {photo.stored_name, photo.thumbnail_name} <= named
        path_of(photo.thumbnail_name).write_bytes(b"changed")
        altered = stored_files.check_files().altered
        assert [reference.stored_name for reference in altered] == [photo.thumbnail_name]
