"""Every public page describes itself for search engines and link previews, in German."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

PUBLIC = ("/", "/catalogue/", "/siegelschulen", "/verify", "/verify/2026-999", "/impressum")
PUBLIC += ("/datenschutz", "/accessibility")


class _Descriptions(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if tag == "meta" and attributes.get("name") == "description":
            self.found.append(attributes.get("content") or "")


def description_of(html: str) -> list[str]:
    parser = _Descriptions()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("url", PUBLIC)
def test_each_public_page_has_one_german_description(client, url):
    answer = client.get(url)
    assert answer.status_code in (200, 404)
    [description] = description_of(answer.get_data(as_text=True))
    assert 50 <= len(description) <= 170, description  # what search engines show
    assert "Gütesiegel" in description or "Siegel" in description or "Urkunde" in description


def test_the_descriptions_fit_their_pages(client):
    found = {url: description_of(client.get(url).get_data(as_text=True))[0] for url in PUBLIC}
    assert len(set(found.values())) == len(PUBLIC)  # each page its own
    assert "Kriterien" in found["/catalogue/"]
    assert "prüfen" in found["/verify"]
    assert "Impressum" in found["/impressum"] or "Anbieter" in found["/impressum"]
    assert "Barrierefreiheit" in found["/accessibility"]
    assert "Datenschutz" in found["/datenschutz"] or "Daten" in found["/datenschutz"]
