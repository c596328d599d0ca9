"""After submitting: the open request on the school's home, answered criteria marked as such,
links to what is still missing, one way of writing points in time, and an honest overview."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from seal_app.formatting import moment
from tests.applications import samples
from tests.applications.conftest import upload
from tests.applications.test_requests import _request_more
from tests.conftest import login, text_of

LONG_MOMENT = re.compile(r"\d{1,2}\. [A-ZÄÖÜ][a-zäöü]+ \d{4}, \d{2}:\d{2} Uhr")
SECONDS = re.compile(r"\d{1,2}:\d{2}:\d{2}")


def _answer(client, application_id: int, code: str, **data) -> None:
    fields = {"response-text": "", "response-version": ""}
    fields.update(data)
    response = client.post(
        f"/applications/{application_id}/criteria/{code}/response",
        data=fields,
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, text_of(response)


def _status_of(html: str, code: str) -> str:
    item = re.search(rf'id="task-{re.escape(code)}".*?</li>', html, re.S).group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", item).split())


def test_home_shows_the_open_request_with_due_date_criteria_and_a_link(
    app, setup, staff_client, submitted
):
    _request_more(app, submitted, setup)
    response = staff_client.get("/")
    html, text = response.get_data(as_text=True), text_of(response)
    assert "Nachforderung: bitte ergänzen bis 15. Mai 2027" in text
    assert "Bitte reichen Sie das aktuelle Krisenkonzept nach." in text
    for code in ("A.1", "C.1"):
        assert f'href="/applications/{submitted}/criteria/{code}#response-title"' in html
    assert f'href="/applications/{submitted}#request-title"' in html
    assert "Nachforderung beantworten" in text


def test_overview_marks_answered_criteria_as_supplemented(app, setup, staff_client, submitted):
    _request_more(app, submitted, setup, codes=("A.1", "B.1", "C.1"))
    _answer(staff_client, submitted, "A.1", **{"response-text": "Konzept aktualisiert."})
    _answer(
        staff_client,
        submitted,
        "C.1",
        **{
            "response-file_1": upload(samples.pdf("Schlichtung"), "Schlichtung.pdf"),
            "response-description_1": "Ausbildungsnachweise",
        },
    )
    html = staff_client.get(f"/applications/{submitted}").get_data(as_text=True)
    assert "ergänzt" in _status_of(html, "A.1") and "nachgefordert" not in _status_of(html, "A.1")
    assert "ergänzt" in _status_of(html, "C.1") and "nachgefordert" not in _status_of(html, "C.1")
    assert "nachgefordert" in _status_of(html, "B.1") and "ergänzt" not in _status_of(html, "B.1")
    home = text_of(staff_client.get("/"))
    assert "A.1 (ergänzt)" in home and "B.1 (ergänzt)" not in home


def test_resubmitting_too_early_links_the_missing_criteria(app, setup, staff_client, submitted):
    _request_more(app, submitted, setup)
    _answer(staff_client, submitted, "A.1", **{"response-text": "Konzept aktualisiert."})
    page = staff_client.post(f"/applications/{submitted}/resubmit", follow_redirects=True)
    html = page.get_data(as_text=True)
    message = re.search(r"Zu diesem Kriterium fehlt noch eine Ergänzung:(.*?)</p>", html, re.S)
    assert message, text_of(page)
    assert (
        f'<a class="kern-link" href="/applications/{submitted}/criteria/C.1#response-title">C.1</a>'
        in (message.group(1))
    )
    assert "A.1" not in message.group(1)


def test_draft_overview_offers_the_check_and_counts_mandatory_items(staff_client, application_id):
    response = staff_client.get(f"/applications/{application_id}")
    html, text = response.get_data(as_text=True), text_of(response)
    assert f'href="/applications/{application_id}/submit"' in html
    assert "Antrag prüfen und einreichen" in text
    assert "Zum Einreichen fehlen noch 8 Pflichtangaben." in text
    assert "Pflicht sind die Pflichtkriterien und die drei Voten." in text
    assert "keine Pflicht, aber empfohlen" in text


def test_times_are_written_one_way_without_seconds(app, setup, staff_client, submitted):
    pages = {
        "confirmation": staff_client.get(f"/applications/{submitted}/submitted"),
        "overview": staff_client.get(f"/applications/{submitted}"),
        "check page": staff_client.get(f"/applications/{submitted}/submit"),
        "home": staff_client.get("/"),
    }
    for name, response in pages.items():
        text = text_of(response)
        assert LONG_MOMENT.search(text), f"{name}: {text}"
        assert not SECONDS.search(text), f"{name} shows seconds"


def test_confirmation_shows_the_checksum_in_small_print_with_an_explanation(
    app, staff_client, submitted
):
    html = staff_client.get(f"/applications/{submitted}/submitted").get_data(as_text=True)
    small = re.search(r'<div class="receipt-checksum">(.*?)</div>', html, re.S)
    assert small and "Prüfsumme (SHA-256) der Eingangsbestätigung" in small.group(1)
    assert "unverändert" in small.group(1)
    before = html[: small.start()]
    assert not re.search(r"[0-9a-f]{64}", before), "the checksum belongs in the small print"


def test_check_page_after_submitting_says_submitted(staff_client, submitted):
    response = staff_client.get(f"/applications/{submitted}/submit")
    html, text = response.get_data(as_text=True), text_of(response)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    assert heading == "Antrag eingereicht"
    assert "<title>Antrag eingereicht" in html
    assert f'href="/applications/{submitted}/submitted"' in html
    assert "Antrag prüfen und einreichen" not in text.split("Antrag eingereicht Dieser Antrag")[1]


def test_overview_shows_when_the_application_was_supplemented(app, setup, staff_client, submitted):
    _request_more(app, submitted, setup, codes=("A.1",))
    _answer(staff_client, submitted, "A.1", **{"response-text": "Konzept aktualisiert."})
    assert "Ergänzt am" not in text_of(staff_client.get(f"/applications/{submitted}"))
    assert staff_client.post(f"/applications/{submitted}/resubmit").status_code == 302
    text = text_of(staff_client.get(f"/applications/{submitted}"))
    assert re.search(r"Eingereicht am " + LONG_MOMENT.pattern, text)
    assert re.search(r"Ergänzt am " + LONG_MOMENT.pattern, text)


def test_a_moment_is_written_in_local_time_without_seconds(app):
    with app.test_request_context():
        assert moment(datetime(2026, 11, 25, 20, 2, 47, tzinfo=UTC)) == (
            "25. November 2026, 21:02 Uhr"
        )


def test_the_thanks_after_submitting_is_for_the_school_only(app, setup, submitted):
    office = app.test_client()
    login(office, setup.office)
    for path in (f"/applications/{submitted}/submitted", f"/applications/{submitted}/submit"):
        response = office.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == f"/applications/{submitted}"
    assert "Vielen Dank" not in text_of(office.get(f"/applications/{submitted}"))
