"""The seal's pictures: a revoked certificate's picture is stamped „WIDERRUFEN“ with the day
and carries no credential, and its verification page no longer links it; each picture is
rendered once and then served from memory with an ETag for browsers and proxies, under the
same rate limit as the verification page; an SVG that is not plain UTF-8 without a document
type is refused."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from seal_app.credentials import pictures, seal_image
from seal_app.local_time import local_today
from tests.certificates.revocation_setup import today_long
from tests.conftest import text_of
from tests.credentials.setup import certificate_of, check_file, check_text, revoke, served_token

RED_STAMP = (176, 32, 28)


def _today(app):
    with app.app_context():
        return local_today()


def _red_pixels(png: bytes) -> int:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return sum(
        1
        for r, g, b in image.get_flattened_data()
        if abs(r - RED_STAMP[0]) < 40 and g < 90 and b < 90
    )


@pytest.fixture
def revoked(app, awarded):
    certificate = certificate_of(app, awarded)
    before = app.test_client().get(f"/verify/{certificate.number}/siegel.png").data
    token = served_token(app, certificate.number)
    revoke(app, awarded, certificate)
    return certificate, before, token


def test_a_revoked_seals_picture_is_stamped_and_carries_no_credential(app, revoked):
    certificate, before, _token = revoked
    client = app.test_client()
    day = _today(app).strftime("%d.%m.%Y")
    for query in ("", "?download"):
        png = client.get(f"/verify/{certificate.number}/siegel.png{query}")
        assert png.status_code == 200 and png.mimetype == "image/png"
        assert "openbadgecredential" not in Image.open(io.BytesIO(png.data)).text
        assert _red_pixels(png.data) > 5000 and _red_pixels(before) == 0
        svg = client.get(f"/verify/{certificate.number}/siegel.svg{query}")
        assert svg.status_code == 200
        assert "WIDERRUFEN" in svg.text and f"am {day}" in svg.text
        assert "openbadges:credential" not in svg.text and "credential" not in svg.text
    download = client.get(f"/verify/{certificate.number}/siegel.png?download")
    assert f"Siegel-{certificate.number}-widerrufen.png" in download.headers["Content-Disposition"]
    answer = check_file(app, download.data, "siegel.png")
    assert "kein digitaler Nachweis" in text_of(answer)


def test_the_verify_page_of_a_revoked_seal_links_no_picture_but_the_credential(app, revoked):
    certificate, _before, _token = revoked
    page = app.test_client().get(f"/verify/{certificate.number}").text
    assert "siegel.png" not in page and "siegel.svg" not in page
    assert f"/verify/{certificate.number}/credential" in page


def test_checking_a_revoked_credential_says_since_when(app, revoked):
    _certificate, _before, token = revoked
    text = check_text(app, token)
    assert "Ergebnis: widerrufen" in text
    assert f"Der Nachweis ist widerrufen (am {today_long(app)})." in text


def test_a_picture_is_rendered_once_and_kept_by_browsers(app, awarded, monkeypatch):
    certificate = certificate_of(app, awarded)
    painted = []
    original = seal_image.png

    def counting(*args, **kwargs):
        painted.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(seal_image, "png", counting)
    # an empty store: another test in this process may have painted the plain seal already
    monkeypatch.setattr(pictures, "_kept", pictures._Kept(pictures.MAX_KEPT))
    client = app.test_client()
    first = client.get(f"/verify/{certificate.number}/siegel.png")
    second = client.get(f"/verify/{certificate.number}/siegel.png")
    assert first.data == second.data and len(painted) == 1
    assert first.headers["Cache-Control"] == "public, max-age=3600"
    etag = first.headers["ETag"]
    again = client.get(f"/verify/{certificate.number}/siegel.png", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    for path in ("/credentials/siegel.png", "/credentials/siegel.png"):
        assert client.get(path).status_code == 200
    assert len(painted) == 2  # the plain seal once as well


def test_seal_pictures_share_the_verification_pages_rate_limit(app, awarded, monkeypatch):
    certificate = certificate_of(app, awarded)
    monkeypatch.setitem(app.config, "VERIFY_LIMIT_PER_ADDRESS", "3 per minute")
    client = app.test_client()
    answers = [
        client.get(f"/verify/{certificate.number}/siegel.{kind}") for kind in ["png", "svg", "png"]
    ]
    assert [item.status_code for item in answers] == [200, 200, 200]
    assert client.get(f"/verify/{certificate.number}/siegel.svg").status_code == 429


def test_an_svg_in_utf16_with_a_document_type_is_refused(app, awarded):
    token = served_token(app, certificate_of(app, awarded).number)
    svg = (
        '<?xml version="1.0" encoding="UTF-16"?>'
        "<!--\u733c\u6776-->"  # in UTF-16LE these are the bytes „<svg“: the file looks like SVG
        '<!DOCTYPE svg [<!ENTITY t "' + token + '">]>'
        '<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">'
        "<openbadges:credential>&t;</openbadges:credential></svg>"
    )
    for data in (svg.encode("utf-16-le"), svg.encode("utf-16")):
        assert b"<svg" in data[:2048]
        answer = check_file(app, data, "siegel.svg")
        assert answer.status_code == 200
        assert "Ergebnis: gültig" not in text_of(answer)
        assert "Die SVG-Datei lässt sich nicht lesen." in text_of(answer)
