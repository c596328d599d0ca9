"""What the school is told: what is missing and where, the check before submitting with the
award rule, and what happens after submitting."""

from __future__ import annotations

import re
from datetime import date, timedelta

import sqlalchemy as sa

from seal_app.extensions import db
from seal_app.rounds.models import Round
from tests.applications import samples
from tests.applications.conftest import criterion_data, load, post_criterion, upload
from tests.applications.test_journey import MANDATORY, _complete_everything
from tests.conftest import text_of

VOTES = ("school_conference", "school_authority", "prevention_council")


def _saved_message(client, application_id: int, code: str, data: dict) -> str:
    response = post_criterion(client, application_id, code, data)
    assert response.status_code == 302, text_of(response)
    return text_of(client.get(response.headers["Location"]))


def test_saving_without_evidence_names_only_the_evidence(staff_client, application_id):
    page = _saved_message(staff_client, application_id, "B.1", criterion_data())
    assert "B.1 ist gespeichert. Damit es vollständig ist, fehlt noch: ein Nachweis." in page
    check = text_of(staff_client.get(f"/applications/{application_id}/submit"))
    assert "B.1 Programme zur Gewaltprävention – fehlt: Nachweis" in check
    assert "B.1 Programme zur Gewaltprävention – fehlt: Selbsteinschätzung" not in check


def test_saving_without_rating_names_rating_and_evidence(staff_client, application_id):
    page = _saved_message(staff_client, application_id, "C.1", criterion_data(rating=""))
    assert (
        "C.1 ist gespeichert. Damit es vollständig ist, fehlen noch: die Selbsteinschätzung "
        "und ein Nachweis." in page
    )


def test_saving_without_description_names_the_description(staff_client, application_id):
    data = criterion_data(
        measures="", file_1=upload(samples.pdf(), "Konzept.pdf"), description_1="Konzept"
    )
    page = _saved_message(staff_client, application_id, "A.1", data)
    assert "fehlt noch: die Beschreibung der Maßnahmen." in page


def test_complete_or_rated_zero_says_only_saved(staff_client, application_id):
    data = criterion_data(file_1=upload(samples.pdf(), "Konzept.pdf"), description_1="Konzept")
    page = _saved_message(staff_client, application_id, "A.1", data)
    assert "A.1 ist gespeichert." in page and "Damit es vollständig ist" not in page
    page = _saved_message(staff_client, application_id, "D.1", criterion_data(rating="0"))
    assert "D.1 ist gespeichert." in page and "Damit es vollständig ist" not in page


def test_untouched_mandatory_criterion_names_all_three_parts(staff_client, application_id):
    check = text_of(staff_client.get(f"/applications/{application_id}/submit"))
    assert "J.1 Verankerung im Schulprogramm – nicht begonnen" in check, check


def test_overview_counts_missing_entries_without_the_word_for_scores(staff_client, application_id):
    response = staff_client.get(f"/applications/{application_id}")
    page = text_of(response)
    assert "Zum Einreichen fehlen noch 8 Pflichtangaben." in page
    assert "Punkt" not in page


def test_mandatory_is_a_tag_beside_the_link_not_part_of_it(staff_client, application_id):
    html = staff_client.get(f"/applications/{application_id}").get_data(as_text=True)
    link = re.search(r'<a [^>]*id="task-A\.1"[^>]*>(.*?)</a>', html, re.S).group(1)
    assert "Pflicht" not in link
    after = html[html.index('id="task-A.1"') :]
    beside = after[after.index("</a>") : after.index("kern-task-list__status")]
    assert "kern-badge" in beside and "Pflicht" in beside


def test_check_page_lists_every_criterion_and_vote_with_change_links(staff_client, application_id):
    response = staff_client.get(f"/applications/{application_id}/submit")
    html, page = response.get_data(as_text=True), text_of(response)
    codes = re.findall(r'id="check-([A-J]\.\d+)"', html)
    assert len(codes) == 23
    for code in codes:
        link = f'href="/applications/{application_id}/criteria/{code}">ändern'
        assert link in html, code
        assert re.search(
            rf'{re.escape(link)}<span class="visually-hidden">: {re.escape(code)} ', html
        )
    for kind in VOTES:
        assert f'href="/applications/{application_id}/votes#vote-{kind}">ändern' in html
    assert page.count("Es fehlen noch Datum und Dokument.") == 3
    assert "18 weitere Kriterien sind nicht vollständig" in page


def test_check_page_warns_against_the_award_rule_but_allows_submitting(
    app, staff_client, application_id
):
    _complete_everything(staff_client, application_id)
    version = str(load(app, application_id).answer_for("A.1").version)
    lowered = post_criterion(
        staff_client, application_id, "A.1", criterion_data(rating="1", version=version)
    )
    assert lowered.status_code == 302
    response = staff_client.get(f"/applications/{application_id}/submit")
    html, page = response.get_data(as_text=True), text_of(response).replace(" :", ":")
    assert "Nach Ihrer Selbsteinschätzung reicht es nicht für das Siegel" in page
    match = re.search(
        r"Nach Ihrer Selbsteinschätzung: (\d+) % der möglichen Punkte; "
        r"für das Siegel sind mindestens 60 % nötig\.",
        page,
    )
    assert match and 0 < int(match.group(1)) < 60
    assert "A.1 Sicherheits- und Krisenkonzept Ihre Einschätzung: Stufe 1 – in Ansätzen" in page
    assert "C.1 Schülerstreitschlichtung: Stufe 2" not in page
    warning = html.index('class="kern-alert kern-alert--warning award-check"')
    assert 'id="award-title"' in html[warning:]
    # said in short above the button, with a link to the details below it
    hint = html.index("Hinweis: Nach Ihrer Selbsteinschätzung reicht es nicht für das Siegel")
    assert hint < html.index("Antrag verbindlich einreichen") < warning
    assert 'href="#award-title"' in html[hint : html.index("Antrag verbindlich einreichen")]
    submitted = staff_client.post(f"/applications/{application_id}/submit")
    assert submitted.headers["Location"].endswith(f"/applications/{application_id}/submitted")


def _set_round_dates(app, review_until, decision_expected_on) -> None:
    with app.app_context():
        round_ = db.session.scalars(sa.select(Round)).one()
        round_.review_until, round_.decision_expected_on = review_until, decision_expected_on
        db.session.commit()


def test_confirmation_and_home_say_what_happens_next_with_dates_and_contact(
    app, staff_client, application_id
):
    deadline = date.today() + timedelta(days=60)
    _set_round_dates(app, deadline + timedelta(days=30), deadline + timedelta(days=45))
    _complete_everything(staff_client, application_id)
    response = staff_client.post(f"/applications/{application_id}/submit", follow_redirects=True)
    page = text_of(response)
    home = text_of(staff_client.get("/"))
    for text in (page, home):
        assert "So geht es weiter" in text
        assert "Die Jury prüft die Anträge bis zum" in text
        assert "Nachforderungen sind möglich." in text
        assert "wird voraussichtlich am" in text
        assert app.config["OFFICE_PHONE"] in text and app.config["OFFICE_EMAIL"] in text
        assert app.config["OFFICE_NAME"] in text
    review = (deadline + timedelta(days=30)).strftime("%Y")
    assert review in page
    assert "Eingangsbestätigung (PDF) herunterladen" in page


def test_without_round_dates_next_steps_say_they_are_not_fixed(app, staff_client, application_id):
    _complete_everything(staff_client, application_id)
    staff_client.post(f"/applications/{application_id}/submit")
    page = text_of(staff_client.get(f"/applications/{application_id}/submitted"))
    assert "Bis wann die Jury die Anträge prüft, steht noch nicht fest" in page
    assert "Wann über das Siegel entschieden wird, steht noch nicht fest" in page


def test_submitted_overview_shows_what_was_submitted_not_work_states(staff_client, application_id):
    _complete_everything(staff_client, application_id)
    staff_client.post(f"/applications/{application_id}/submit")
    page = text_of(staff_client.get(f"/applications/{application_id}"))
    assert "in Arbeit" not in page and "nicht begonnen" not in page
    assert "Stufe 2 – umgesetzt" in page and "nicht eingeschätzt" in page
    assert "eingereicht" in page


def test_every_mandatory_code_is_named_on_the_check_page(staff_client, application_id):
    html = staff_client.get(f"/applications/{application_id}/submit").get_data(as_text=True)
    start = html.index("missing-list")
    missing = html[start : html.index("</div>", start)]
    for code in MANDATORY:
        assert f"/criteria/{code}" in missing


def test_check_page_groups_what_is_missing_by_area_before_the_full_list(
    staff_client, application_id
):
    response = staff_client.get(f"/applications/{application_id}/submit")
    html, page = response.get_data(as_text=True), text_of(response)
    assert "0 von 23 Kriterien vollständig · 0 von 3 Voten" in page
    assert "Noch nicht einreichbar: 8 Pflichtangaben fehlen" in page
    start = html.index("missing-list")
    missing = text_of_html(html[start : html.index("</div>", start)])
    # A.1 and A.2 share one group with its count; the three votes share another
    assert re.search(r"A\. Sicherheitskonzept und Organisation \(2\)", missing), missing
    assert "Voten und Zustimmungen (3)" in missing
    assert missing.count("nicht begonnen") == len(MANDATORY)
    assert "18 weitere Kriterien sind nicht vollständig" in page
    assert "Bereich B (3): B.1" not in page  # B.1 is a duty: it is listed above, not here
    assert html.index("missing-list") < html.index('id="check-title"')
    assert "Antrag verbindlich einreichen" not in page


def test_when_ready_the_submit_button_comes_before_the_full_list(staff_client, application_id):
    _complete_everything(staff_client, application_id)
    html = staff_client.get(f"/applications/{application_id}/submit").get_data(as_text=True)
    assert "missing-list" not in html
    button = html.index("Antrag verbindlich einreichen")
    ready = html.index('id="ready-title"')
    assert ready < button < html.index("award-check") < html.index('id="check-title"')
    assert "Ihr Antrag kann eingereicht werden" in text_of_html(html[ready:button])
    assert "18 weitere Kriterien sind nicht vollständig (keine Pflicht)" in text_of_html(
        html[ready:button]
    )
    assert "5 von 23 Kriterien vollständig · 3 von 3 Voten" in text_of_html(html)


def text_of_html(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
