"""Typing a certificate's number on /verify, as a phone user does: a text keyboard, paper-era
numbers found in any case and with spaces around them, a hint naming both kinds."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from seal_app.local_time import local_today
from tests.certificates.paper_setup import csv_bytes
from tests.conftest import login, text_of


def _import_one_paper_seal(app, accounts) -> None:
    with app.app_context():
        issued = (local_today() - timedelta(days=400)).strftime("%d.%m.%Y")
    row = ("76100", "Grundschule Papierweg", "Papierstadt", "GS-2013/07", issued, "", "")
    data = csv_bytes([row])
    office = app.test_client()
    login(office, accounts["office"])
    sent = office.post(
        "/office/certificates/import", data={"file": (io.BytesIO(data), "urkunden.csv")}
    )
    assert sent.status_code == 302, text_of(sent)
    office.post(sent.location)


def test_the_number_field_offers_a_text_keyboard_and_names_both_kinds(app):
    page = app.test_client().get("/verify")
    html = page.get_data(as_text=True)
    field = re.search(r"<input[^>]*name=\"nummer\"[^>]*>", html).group(0)
    assert 'inputmode="text"' in field
    assert 'autocapitalize="characters"' in field and 'spellcheck="false"' in field
    text = text_of(page)
    assert "zum Beispiel 2027-014 oder, bei älteren Urkunden aus Papier, GS-2013/07" in text
    assert "Jede Urkunde gibt es auch als digitalen Nachweis" not in text
    assert "Urkunden aus dem Online-Verfahren gibt es auch als digitalen Nachweis" in text


def test_a_paper_number_is_found_in_any_case_and_with_spaces(app, accounts):
    _import_one_paper_seal(app, accounts)
    public = app.test_client()
    for typed in ("GS-2013/07", " gs-2013/07 ", "Gs-2013/07"):
        found = public.get("/verify", query_string={"nummer": typed})
        assert found.status_code == 302, typed
        assert found.location.endswith("/verify/GS-2013/07"), typed
    opened = public.get("/verify/gs-2013/07")
    assert opened.status_code == 302 and opened.location.endswith("/verify/GS-2013/07")
    page = public.get(opened.location)
    assert page.status_code == 200 and "Grundschule Papierweg" in text_of(page)
    unknown = public.get("/verify", query_string={"nummer": "GS-2013/08"})
    assert "zum Beispiel 2027-014 oder GS-2013/07" in text_of(unknown)
