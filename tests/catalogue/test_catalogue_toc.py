"""The public catalogue is navigable on a phone: contents, anchors, back links, the weighting."""

from __future__ import annotations

import re

from tests.conftest import text_of


def test_every_contents_link_has_its_anchor_and_each_area_leads_back_up(client):
    html = client.get("/catalogue/").get_data(as_text=True)
    links = re.findall(r'href="#([^"]+)"', html)
    ids = set(re.findall(r'id="([^"]+)"', html))
    area_links = [link for link in links if link.startswith("area-")]
    assert len(area_links) == 10
    assert set(links) <= ids
    sections = html.count('class="catalogue-area"')
    assert html.count('href="#toc-title">Nach oben zu den Bereichen</a>') == sections == 10


def test_weighting_is_explained_with_the_award_rule(client):
    page = text_of(client.get("/catalogue/"))
    assert "Was bedeutet die Gewichtung?" in page
    assert "Gewichtung von 1 bis 3" in page
    # 18 × 1 + 4 × 2 + 1 × 3 = 29 weight points, top level 3: 87 points; 60 % of them: 52.2 → 53
    assert "Möglich sind höchstens 87 Punkte (jedes Kriterium auf Stufe 3)" in page
    assert "mindestens 60 Prozent davon nötig, also 53 Punkte" in page
    assert "jedes Pflichtkriterium mindestens Stufe 2" in page
