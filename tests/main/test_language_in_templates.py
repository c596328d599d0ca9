"""Templates speak the request's language, and a language forced for a mail or a document
inside a request wins while it is forced: the translations found once per request follow
``force_locale``."""

from __future__ import annotations

from flask import render_template_string, session
from flask_babel import force_locale

PAGE = '{{ _("Abmelden") }} {{ ngettext("%(num)d Antrag", "%(num)d Anträge", 2) }}'


def test_a_forced_language_wins_inside_an_english_request_and_ends_with_it(app):
    with app.test_request_context("/"):
        session["language"] = "en"
        before = render_template_string(PAGE)
        with force_locale("de"):
            forced = render_template_string(PAGE)
        after = render_template_string(PAGE)
    assert before == after == "Log out 2 applications"
    assert forced == "Abmelden 2 Anträge"


def test_english_chosen_in_the_browser_shows_english_pages(client):
    client.post("/language", data={"language": "en", "next": "/"})
    page = client.get("/").get_data(as_text=True)
    assert "Log out" not in page  # nobody is logged in
    assert 'lang="en"' in page and "Skip to content" in page
