"""A request for more names one criterion in the singular and several in the plural, on the
pages, in the messages and in the e-mails."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from seal_app.notifications import outbox
from tests.applications.test_requests import _request_more
from tests.conftest import text_of

ONE = {
    "mail": "zum Kriterium A.1.",
    "alert": "Betroffenes Kriterium: A.1",
    "history": "Kriterium: A.1 · Frist",
    "missing": "Zu diesem Kriterium fehlt noch eine Ergänzung: A.1",
}
TWO = {
    "mail": "zu den Kriterien A.1 und C.1.",
    "alert": "Betroffene Kriterien: A.1 , C.1",
    "history": "Kriterien: A.1 und C.1 · Frist",
    "missing": "Zu diesen Kriterien fehlt noch eine Ergänzung: A.1 , C.1",
}


@pytest.mark.parametrize(
    ("codes", "wording", "other"), [(("A.1",), ONE, TWO), (("A.1", "C.1"), TWO, ONE)]
)
def test_one_criterion_singular_several_plural(
    app, setup, staff_client, submitted, mail_server, codes, wording, other
):
    _request_more(app, submitted, setup, codes=codes)
    [mail] = mail_server.to(setup.staff)
    assert wording["mail"] in " ".join(mail.text.split())
    overview = text_of(staff_client.get(f"/applications/{submitted}"))
    assert wording["alert"] in overview
    home = text_of(staff_client.get("/"))
    assert wording["alert"] in home
    early = text_of(staff_client.post(f"/applications/{submitted}/resubmit", follow_redirects=True))
    assert wording["missing"] in early
    for code in codes:
        staff_client.post(
            f"/applications/{submitted}/criteria/{code}/response",
            data={"response-text": "Ergänzt.", "response-version": ""},
            content_type="multipart/form-data",
        )
    staff_client.post(f"/applications/{submitted}/resubmit")
    history = text_of(staff_client.get(f"/applications/{submitted}"))
    assert wording["history"] in history
    for key in ("alert", "history", "missing"):
        assert other[key] not in overview + home + early + history


@pytest.mark.parametrize(
    ("codes", "sentence"),
    [
        (["I.1"], "(I.1). Die Ergänzung ist beim Kriterium markiert."),
        (["A.1", "I.1"], "(A.1 und I.1). Die Ergänzungen sind bei den Kriterien markiert."),
    ],
)
def test_the_assessors_mail_about_the_answer_counts_the_criteria(app, codes, sentence):
    school = SimpleNamespace(name="Grundschule am Wall")
    context = {
        "application": SimpleNamespace(school=school),
        "request": SimpleNamespace(criteria_codes=codes),
        "user": SimpleNamespace(name="Jonas Gutmann"),
        "link": "https://siegel.example.org/",
    }
    with app.test_request_context():
        _subject, text = outbox.render("school_answered", **context)
    assert sentence in " ".join(text.split())
