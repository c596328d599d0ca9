"""Static files: hashed URLs cached for a year, one stylesheet holding every class the pages
use, fonts subset to what German text needs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from tests.conftest import login

PROJECT = Path(__file__).resolve().parents[2]
STATIC = PROJECT / "seal_app" / "static"
KERN_CSS = PROJECT / "node_modules" / "@kern-ux" / "native" / "dist" / "kern.min.css"
GERMAN = "AaZzÄäÖöÜüß„“‚‘–—…€§·0123456789"


def static_links(page: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', page)


def test_every_static_file_of_a_page_is_kept_for_a_year(client, accounts):
    login(client, accounts["office"])  # signed-in pages are no-store; their files need not be
    page = client.get("/office/schools/").get_data(as_text=True)
    links = static_links(page)
    assert any(link.startswith("/static/vendor/site.css?v=") for link in links)
    for link in links:
        assert re.search(r"\?v=[0-9a-f]{12}$", link), link
        response = client.get(link)
        assert response.status_code == 200, link
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get("/office/schools/").headers["Cache-Control"] == "no-store"


def test_an_old_or_missing_hash_gets_only_a_short_cache(client):
    page = client.get("/").get_data(as_text=True)
    script = next(link for link in static_links(page) if "drafts.js" in link)
    stale = re.sub(r"v=\w+", "v=0123456789ab", script)
    assert client.get(stale).headers["Cache-Control"] == "public, max-age=600"
    plain = script.split("?")[0]
    assert client.get(plain).headers["Cache-Control"] == "public, max-age=600"


def test_a_changed_file_gets_a_new_url(app, tmp_path, monkeypatch):
    from seal_app.static_files import static_url

    (tmp_path / "js").mkdir()
    script = tmp_path / "js" / "drafts.js"
    script.write_text("// eins")
    monkeypatch.setattr(app, "static_folder", str(tmp_path))
    with app.test_request_context():
        monkeypatch.setitem(app.extensions, "static_hashes", {})
        first = static_url("js/drafts.js")
        script.write_text("// zwei")
        assert static_url("js/drafts.js") == first  # computed once per process
        monkeypatch.setitem(app.extensions, "static_hashes", {})  # a new process
        second = static_url("js/drafts.js")
        missing = static_url("js/gibt-es-nicht.js")
    assert first != second and first.split("?")[0] == second.split("?")[0]
    assert missing == "/static/js/gibt-es-nicht.js"


def kern_classes(text: str) -> set[str]:
    return set(re.findall(r"kern-[a-z0-9_-]*[a-z0-9]", text))


def test_the_stylesheet_keeps_every_kern_class_the_templates_use():
    if not KERN_CSS.exists():
        pytest.fail("KERN UX is not installed: run `make setup`.")
    shipped = (STATIC / "vendor" / "site.css").read_text()
    offered = kern_classes(KERN_CSS.read_text())
    used = set()
    for template in (PROJECT / "seal_app" / "templates").rglob("*.html"):
        used |= kern_classes(template.read_text())
    used &= offered  # class names KERN has no rule for need none
    assert len(used) > 40
    missing = sorted(name for name in used if not re.search(rf"\.{name}(?![\w-])", shipped))
    assert missing == []
    for tone in ("success", "danger", "warning", "info"):  # built in templates: kern-alert--{{ }}
        assert f".kern-alert--{tone}" in shipped
    assert len(shipped) < len(KERN_CSS.read_text()) / 2


def test_every_design_token_the_stylesheet_reads_is_defined():
    """A rule dropped by mistake (such as the one giving the page's layers their colours) leaves
    tokens read but never set: KERN then falls back to other colours."""
    if not KERN_CSS.exists():
        pytest.fail("KERN UX is not installed: run `make setup`.")
    shipped = (STATIC / "vendor" / "site.css").read_text()
    defined_by_kern = set(re.findall(r"(--kern-[\w-]+)\s*:", KERN_CSS.read_text()))
    defined = set(re.findall(r"(--kern-[\w-]+)\s*:", shipped))
    read = set(re.findall(r"var\((--kern-[\w-]+)", shipped))
    assert "--kern-color-layout-layer-surface-contextual" in read
    assert sorted((read & defined_by_kern) - defined) == []


def test_fonts_hold_german_text_and_are_small():
    fonts = sorted((STATIC / "vendor" / "fonts").glob("FiraSans-*.woff2"))
    assert {font.name for font in fonts} >= {"FiraSans-Regular.woff2", "FiraSans-SemiBold.woff2"}
    for font in fonts:
        characters = TTFont(font).getBestCmap()
        assert [c for c in GERMAN if ord(c) not in characters] == [], font.name
        assert font.stat().st_size < 40_000, font.name


def test_the_fallback_font_is_scaled_to_fira_sans(client):
    page = client.get("/").get_data(as_text=True)
    css = client.get(re.search(r'rel="stylesheet" href="([^"]+)"', page).group(1)).get_data(
        as_text=True
    )
    assert re.search(r'local\("Arial"\).*?size-adjust: 10\d\.\d+%', css, re.S)
    assert '"Fira Sans", "Fira Sans Fallback", sans-serif' in css
    preloaded = re.findall(r'<link rel="preload" href="([^"]+)" as="font"', page)
    assert preloaded and all(link.split("/static/vendor/")[1] in css for link in preloaded)
