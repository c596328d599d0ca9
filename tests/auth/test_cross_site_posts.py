"""A form sent from another site (its POST arrives without the SameSite=Lax login cookie) is
refused with a German page before anything reads it, and no answer to it sets a session
cookie that would replace the visitor's login in their browser."""

from __future__ import annotations

import pytest

from tests.conftest import login, text_of

CROSS_SITE = {"Sec-Fetch-Site": "cross-site"}


def _sets_cookie(answer) -> bool:
    return any(
        header.startswith("seal_session=") for header in answer.headers.getlist("Set-Cookie")
    )


@pytest.mark.parametrize("path", ["/logout", "/language", "/account/password", "/login"])
def test_a_cross_site_post_is_refused_without_touching_the_session(app, path):
    answer = app.test_client().post(path, data={"language": "en"}, headers=CROSS_SITE)
    assert answer.status_code == 403
    text = text_of(answer)
    assert "von einer anderen Website" in text and "nichts geändert" in text
    assert not _sets_cookie(answer)


def test_the_visitors_login_survives_a_cross_site_post(app, accounts):
    browser = app.test_client()
    login(browser, accounts["office"])
    cookie = browser.get_cookie("seal_session").value
    browser.delete_cookie("seal_session")  # SameSite=Lax: the browser withholds it
    answer = browser.post("/logout", headers=CROSS_SITE)
    assert answer.status_code == 403 and not _sets_cookie(answer)
    browser.set_cookie("seal_session", cookie)
    assert "Abmelden" in text_of(browser.get("/"))  # still logged in


def test_same_site_posts_and_cross_site_reads_pass(app, accounts):
    browser = app.test_client()
    assert browser.get("/login", headers=CROSS_SITE).status_code == 200  # a link from elsewhere
    same = login(browser, accounts["office"])
    assert same.status_code == 302
    own = browser.post(
        "/language", data={"language": "en", "next": "/"}, headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert own.status_code == 302


def test_a_refused_form_without_a_session_sets_no_new_cookie(app, monkeypatch):
    """A browser without Sec-Fetch-Site: the CSRF error page of a cookieless POST."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    answer = app.test_client().post("/language", data={"language": "en"})
    assert answer.status_code == 400
    assert "Das Formular ist abgelaufen" in text_of(answer)
    assert not _sets_cookie(answer)
