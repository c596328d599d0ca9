"""Pages with several forms keep every id unique (with CSRF on, as in production): a second
„csrf_token“ or „version“ id breaks labels, links and assistive technology."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

from tests.certificates.decision_setup import (
    decide,
    decide_and_release,
    decision_url,
)
from tests.reviews.jury_setup import client_of


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.forms = 0

    def handle_starttag(self, tag, attrs) -> None:
        self.forms += tag == "form"
        self.ids.extend(value for name, value in attrs if name == "id")


def forms_and_duplicate_ids(html: str) -> tuple[int, list[str]]:
    parser = _Ids()
    parser.feed(html)
    return parser.forms, sorted(id_ for id_, count in Counter(parser.ids).items() if count > 1)


def test_the_round_decisions_page_with_both_print_forms_has_unique_ids(app, two, monkeypatch):
    meeting = two.meeting
    office = client_of(app, meeting.office)
    round_id = decide_and_release(office, app, meeting.application_id, two.second_application_id)

    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    html = office.get(f"/office/rounds/{round_id}/decisions").get_data(as_text=True)
    forms, duplicates = forms_and_duplicate_ids(html)
    assert forms >= 4  # language, logout, both prints
    assert 'name="csrf_token"' in html
    assert duplicates == []


def test_the_decision_page_with_its_discard_form_has_unique_ids(app, agreed, monkeypatch):
    office = client_of(app, agreed.office)
    decide(office, agreed.application_id)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    html = office.get(decision_url(agreed.application_id)).get_data(as_text=True)
    forms, duplicates = forms_and_duplicate_ids(html)
    assert forms >= 3 and "Entwurf verwerfen" in html
    assert duplicates == []
