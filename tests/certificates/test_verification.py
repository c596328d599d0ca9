"""Verifying a certificate: a number typed in other ways leads to its page; a PDF that is not
the issued file has its embedded signature checked on its own."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter

from tests.certificates.certificate_setup import certificate_of, download
from tests.conftest import text_of


def _variants(number: str) -> list[str]:
    year, running = number.split("-")
    return [
        f"{year} {running}",
        f"{year}/{running}",
        f"{year}-{int(running)}",
        f" {year} - {running} ",
        f"{year}–{running}",  # a dash as word processors write it
    ]


def test_a_number_typed_in_other_ways_leads_to_the_canonical_page(app, awarded):
    number = certificate_of(app, awarded.application_id).number
    anonymous = app.test_client()
    for typed in _variants(number):
        answer = anonymous.get("/verify", query_string={"nummer": typed})
        assert answer.status_code == 302, typed
        assert answer.location.endswith(f"/verify/{number}"), typed


@pytest.mark.parametrize("shape", ["{year}-{short}", "{year} {running}", "{year}-0{running}"])
def test_a_variant_in_the_address_redirects_to_the_canonical_number(app, awarded, shape):
    number = certificate_of(app, awarded.application_id).number
    year, running = number.split("-")
    typed = shape.format(year=year, running=running, short=int(running))
    answer = app.test_client().get(f"/verify/{typed}")
    assert answer.status_code == 302 and answer.location.endswith(f"/verify/{number}")


def test_an_unknown_number_in_any_spelling_is_a_german_not_found(app, awarded):
    anonymous = app.test_client()
    typed = anonymous.get("/verify", query_string={"nummer": "2026/999"})
    assert typed.status_code == 302 and typed.location.endswith("/verify/2026-999")
    unknown = anonymous.get("/verify/2026 999", follow_redirects=True)
    assert unknown.status_code == 404
    assert "Eine Urkunde mit der Nummer „2026-999“ wurde nicht ausgestellt." in text_of(unknown)
    wrong = anonymous.get("/verify", query_string={"nummer": "26/1"})
    assert wrong.status_code == 200 and "Bitte geben Sie die Nummer so ein" in text_of(wrong)


# --- a dropped file ---------------------------------------------------------------------------


def _resaved_incrementally(data: bytes) -> bytes:
    """What a viewer does when it saves: the signed bytes kept, an update appended."""
    writer = PdfWriter(io.BytesIO(data), incremental=True)
    writer.add_metadata({"/Title": "Urkunde, gespeichert"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _rewritten(data: bytes) -> bytes:
    """A viewer that writes the whole file anew."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _drop(client, number: str, data: bytes):
    answer = client.post(
        f"/verify/{number}",
        data={"file": (io.BytesIO(data), "urkunde.pdf")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 200
    return text_of(answer)


def test_a_resaved_certificate_has_its_signature_checked_and_named(app, awarded):
    certificate = certificate_of(app, awarded.application_id)
    issued = download(app, awarded)
    resaved = _resaved_incrementally(issued)
    assert resaved.startswith(issued) and resaved != issued

    page = _drop(app.test_client(), certificate.number, resaved)
    assert "ist nicht die ausgestellte Datei der Urkunde Nr." in page
    assert (
        "Die Signatur in der Datei ist unversehrt und stammt von unserem Signaturzertifikat; "
        f"sie trägt die Urkunde Nr. {certificate.number}." in page
    )
    assert "verändert" not in page


def test_a_changed_byte_or_a_rewritten_file_is_reported_as_altered(app, awarded):
    certificate = certificate_of(app, awarded.application_id)
    issued = download(app, awarded)
    position = issued.index(b"/Contents") - 40
    flipped = issued[:position] + bytes([issued[position] ^ 1]) + issued[position + 1 :]
    for altered in (flipped, _rewritten(issued)):
        page = _drop(app.test_client(), certificate.number, altered)
        assert "ist nicht die ausgestellte Datei der Urkunde Nr." in page
        assert "Die Signatur in der Datei ist nicht unversehrt: die Datei wurde verändert." in page


def test_flask_seal_verify_checks_the_signature_of_a_resaved_file(app, awarded, tmp_path):
    certificate = certificate_of(app, awarded.application_id)
    resaved = tmp_path / "gespeichert.pdf"
    resaved.write_bytes(_resaved_incrementally(download(app, awarded)))
    result = app.test_cli_runner().invoke(args=["seal", "verify", str(resaved)])
    assert result.exit_code == 1  # not the issued file
    assert "nicht die ausgestellte Datei einer Urkunde" in result.output
    assert (
        "unversehrt und stammt von unserem Signaturzertifikat; "
        f"sie trägt die Urkunde Nr. {certificate.number}." in result.output
    )
