"""Verifying a certificate: a number typed in other ways leads to its page; a PDF that is not
the issued file has its embedded signature checked on its own."""

from __future__ import annotations

import pytest

from tests.certificates.certificate_setup import certificate_of
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
