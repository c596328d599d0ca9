"""The public list's download links carry its filters only: parameters that ``url_for``
reads itself (``_external``, ``_anchor``, ``_method``, ``_scheme``) never reach it."""

from __future__ import annotations

import re
from html import unescape

import pytest

URL_FOR_OWN = {"_method": "POST", "_external": "1", "_anchor": "x", "_scheme": "javascript"}


@pytest.mark.parametrize("name", sorted(URL_FOR_OWN))
def test_a_parameter_of_url_for_is_ignored(client, name):
    answer = client.get("/siegelschulen", query_string={name: URL_FOR_OWN[name]})
    assert answer.status_code == 200


def test_the_download_links_keep_the_filters_and_nothing_else(client):
    answer = client.get(
        "/siegelschulen",
        query_string={**URL_FOR_OWN, "schulart": "gymnasium", "ort": "Güstrow", "x": "y"},
    )
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    links = [unescape(link) for link in re.findall(r'href="(/siegelschulen\.[a-z]+[^"]*)"', html)]
    assert len(links) == 3
    for link in links:
        assert link.startswith("/siegelschulen.") and "schulart=gymnasium" in link
        assert "ort=G%C3%BCstrow" in link
        assert "_" not in link.split("?")[1] and "x=y" not in link and "#" not in link
