"""Divergent criteria are settled one by one with a reason: bulk adoption leaves them out and
says how many remain, the decision waits for them and shows the reasons, the office chooses
which reasons the school reads in its feedback, and the catalogue may set its own threshold."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from seal_app.catalogue.models import CatalogueVersion
from seal_app.extensions import db
from seal_app.reviews.models import JuryLevel
from tests.certificates.decision_setup import decide, release, round_id_of, stored_decision
from tests.conftest import text_of
from tests.reviews.jury_setup import (
    actions,
    audit_details,
    build_meeting,
    client_of,
    submit_review,
)
from tests.reviews.test_consensus import _level_form

REASON = "Nach dem Besuch: Konzept vorhanden, aber nicht geübt (siehe Diskussion vom 3.3.)."
FOR_SCHOOL = "Das Konzept ist vorhanden, die Räumung wurde aber noch nicht geübt."


@pytest.fixture
def meeting(app, make):
    return build_meeting(app, make)


def _url(meeting) -> str:
    return f"/applications/{meeting.application_id}/consensus"


def _decision_url(meeting) -> str:
    return f"/office/applications/{meeting.application_id}/decision"


def _adopt(office, meeting):
    page = office.get(_url(meeting)).get_data(as_text=True)
    offered = re.findall(r'name="code" value="([^"]+)"', page)
    return offered, office.post(_url(meeting), data={"action": "adopt", "code": offered})


def _levels(app, meeting) -> dict[str, tuple[int, str]]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(JuryLevel).where(JuryLevel.application_id == meeting.application_id)
        )
        return {row.criterion_code: (row.level, row.note) for row in rows}


def _in(app, meeting, first: dict[str, int], second: dict[str, int]) -> None:
    submit_review(app, meeting.first_assignment_id, first)
    submit_review(app, meeting.second_assignment_id, second)


def test_two_and_zero_cannot_be_adopted_in_bulk_but_with_a_reason(app, meeting):
    _in(app, meeting, {"B.2": 2}, {"B.2": 0})
    office = client_of(app, meeting.office)
    offered, response = _adopt(office, meeting)
    assert "B.2" not in offered and len(offered) == 22
    assert response.headers["Location"].endswith("#unsettled")
    levels = _levels(app, meeting)
    assert "B.2" not in levels and len(levels) == 22

    page = office.get(_url(meeting))
    text = text_of(page)
    assert (
        "22 Vorschläge übernommen. 1 Kriterium mit abweichenden Bewertungen braucht noch eine "
        "Stufe mit Begründung." in text
    )
    unsettled = page.text.split('id="unsettled"', 1)[1].split("</div>\n  </div>", 1)[0]
    assert 'href="#row-B.2"' in unsettled
    assert "Zur Entscheidung" not in text  # no way on before B.2 is settled

    # the decision cannot be prepared yet
    waiting = text_of(office.get(_decision_url(meeting)))
    assert "erst für 22 von 23 Kriterien eine Stufe vereinbart" in waiting

    # the rounded mean alone is not enough on a divergent criterion: German message at the field
    refused = office.post(_url(meeting), data=_level_form("B.2", "1"))
    assert refused.status_code == 200
    row = refused.text.split('id="row-B.2"', 1)[1].split("<h3", 1)[0]
    assert "Die Gutachten liegen hier weit auseinander. Bitte begründen Sie" in row
    form = refused.text.split('id="level-B-2-level"', 1)[1].split("</select>", 1)[0]
    assert re.search(r'selected[^>]*value="1"|value="1"[^>]*selected', form)  # level kept
    assert "B.2" not in _levels(app, meeting)

    assert office.post(_url(meeting), data=_level_form("B.2", "1", REASON)).status_code == 302
    assert _levels(app, meeting)["B.2"] == (1, REASON)
    details = audit_details(app, "consensus.level_saved")[-1]
    assert details["divergent"] is True and details["note"] == REASON

    decision = text_of(office.get(_decision_url(meeting)))
    assert "Abweichende Bewertungen und die Begründung der Jury" in decision
    assert "Anna Arndt: Stufe 2" in decision and "Bernd Brandt: Stufe 0" in decision
    assert "Vereinbarte Stufe: 1" in decision and REASON in decision
    assert "Begründung zu B.2 in die Rückmeldung an die Schule aufnehmen" in decision


def test_bulk_adoption_counts_in_plural_and_with_nothing_left_to_adopt(app, meeting):
    _in(app, meeting, {"A.1": 3, "B.2": 2}, {"A.1": 1, "B.2": 0})
    office = client_of(app, meeting.office)
    _offered, response = _adopt(office, meeting)
    text = text_of(office.get(response.headers["Location"]))
    assert (
        "21 Vorschläge übernommen. 2 Kriterien mit abweichenden Bewertungen brauchen noch eine "
        "Stufe mit Begründung." in text
    )
    again = office.post(_url(meeting), data={"action": "adopt"})
    text = text_of(office.get(again.headers["Location"]))
    assert (
        "Es gibt keinen Vorschlag mehr zu übernehmen. 2 Kriterien mit abweichenden Bewertungen "
        "brauchen noch eine Stufe mit Begründung." in text
    )
    [details] = audit_details(app, "consensus.levels_adopted")
    assert details["count"] == 21 and "A.1" not in details["criteria"]


def test_without_divergence_bulk_adoption_reads_as_before(app, meeting):
    _in(app, meeting, {}, {"A.1": 3})  # 2 and 3: one level apart
    office = client_of(app, meeting.office)
    _offered, response = _adopt(office, meeting)
    assert response.headers["Location"].endswith("#proposal-title")
    text = text_of(office.get(response.headers["Location"]))
    assert "Die gerundeten Mittelwerte sind für 23 Kriterien als vereinbarte Stufen" in text
    assert "Zur Entscheidung" in text


def test_a_reason_of_ten_thousand_characters_is_refused(app, meeting):
    _in(app, meeting, {"B.2": 2}, {"B.2": 0})
    office = client_of(app, meeting.office)
    response = office.post(_url(meeting), data=_level_form("B.2", "1", "x" * 10_000))
    assert response.status_code == 200
    assert "Der Text ist 8.000 Zeichen zu lang (höchstens 2.000 Zeichen)." in text_of(response)
    assert "B.2" not in _levels(app, meeting)


def test_a_level_saved_earlier_without_reason_still_holds_the_decision_back(app, meeting):
    _in(app, meeting, {"B.2": 2}, {"B.2": 0})
    office = client_of(app, meeting.office)
    _adopt(office, meeting)
    with app.app_context():  # as adopted in bulk before divergent criteria were left out
        db.session.add(
            JuryLevel(application_id=meeting.application_id, criterion_code="B.2", level=1)
        )
        db.session.commit()
    page = text_of(office.get(_url(meeting)))
    assert "Stufe 1 gespeichert, Begründung fehlt" in page
    response = office.post(_decision_url(meeting), data={"outcome": "awarded", "rationale": "x"})
    assert "Bei 1 Kriterium liegen die Gutachten weit auseinander" in text_of(response)
    assert "decision.prepared" not in actions(app)


def test_the_catalogue_may_set_its_own_threshold(app, meeting):
    with app.app_context():
        record = db.session.get(CatalogueVersion, "2026.1")
        record.content = record.content.replace(
            "  min_share_of_maximum: 0.6\n", "  min_share_of_maximum: 0.6\n  divergence: 1\n"
        )
        assert "divergence: 1" in record.content
        record.sha256 = hashlib.sha256(
            record.content.encode()
        ).hexdigest()  # text and hash go together
        db.session.commit()
    _in(app, meeting, {}, {"A.1": 3})  # 2 and 3: divergent under this catalogue
    office = client_of(app, meeting.office)
    page = text_of(office.get(_url(meeting)))
    assert "um 1 Stufe oder mehr" in page
    assert page.count("Abweichung – bitte besprechen") == 1
    offered, _response = _adopt(office, meeting)
    assert "A.1" not in offered and len(offered) == 22


def _settled_and_released(app, meeting, share: list[str]) -> None:
    """B.2 (2 and 0) and C.1 (3 and 1) settled with reasons, the rest adopted; decided with
    ``share`` chosen for the feedback, and released."""
    _in(app, meeting, {"B.2": 2, "C.1": 3}, {"B.2": 0, "C.1": 1})
    office = client_of(app, meeting.office)
    _adopt(office, meeting)
    assert office.post(_url(meeting), data=_level_form("B.2", "2", REASON)).status_code == 302
    secret = "Intern: Bernd Brandt war anderer Meinung."
    assert office.post(_url(meeting), data=_level_form("C.1", "2", secret)).status_code == 302
    texts = {f"share_text_{code.replace('.', '-')}": FOR_SCHOOL for code in share}
    assert decide(office, meeting.application_id, shared_reasons=share, **texts).status_code == 302
    assert stored_decision(app, meeting.application_id).shared_reasons == share
    round_id = round_id_of(app, meeting.application_id)
    shown = [stored_decision(app, meeting.application_id)]
    assert release(office, round_id, shown).status_code == 302


def test_the_feedback_shows_a_chosen_reason_without_names_and_not_an_unchosen_one(app, meeting):
    _settled_and_released(app, meeting, ["B.2"])
    school = client_of(app, meeting.staff)
    page = text_of(school.get(f"/applications/{meeting.application_id}/feedback"))
    assert f"Begründung der Jury: {FOR_SCHOOL}" in page
    assert "Intern:" not in page and "Diskussion" not in page
    for name in ("Anna Arndt", "Bernd Brandt"):
        assert name not in page
    letter = school.get(f"/applications/{meeting.application_id}/feedback.pdf").data
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(letter)).pages).split()
    )
    assert f"Begründung der Jury: {FOR_SCHOOL}" in text and "Diskussion" not in text
    assert "Intern:" not in text and "Bernd Brandt" not in text and "Anna Arndt" not in text
    [details] = audit_details(app, "decision.prepared")
    assert details["shared_reasons"] == ["B.2"]


def test_by_default_no_reason_goes_into_the_feedback(app, meeting):
    _settled_and_released(app, meeting, [])
    page = text_of(
        client_of(app, meeting.staff).get(f"/applications/{meeting.application_id}/feedback")
    )
    assert "Begründung der Jury" not in page and REASON not in page
    decision = text_of(client_of(app, meeting.office).get(_decision_url(meeting)))
    assert REASON in decision and "nicht in der Rückmeldung" in decision


def test_a_shared_reason_goes_to_the_school_only_in_a_wording_that_stands_on_its_own(app, meeting):
    _in(app, meeting, {"B.2": 2, "C.1": 3}, {"B.2": 0, "C.1": 1})
    office = client_of(app, meeting.office)
    _adopt(office, meeting)
    assert office.post(_url(meeting), data=_level_form("B.2", "2", REASON)).status_code == 302
    assert office.post(_url(meeting), data=_level_form("C.1", "2", "Intern.")).status_code == 302
    page = office.get(_decision_url(meeting)).get_data(as_text=True)
    assert "Die Schule sieht weder die Diskussion der Jury noch das Besuchsprotokoll" in page
    field = re.search(r'<textarea[^>]*name="share_text_B-2"[^>]*>([^<]*)<', page)
    assert field is not None and "siehe Diskussion vom 3.3." in field.group(1)  # prefilled

    word_for_word = decide(
        office, meeting.application_id, shared_reasons=["B.2"], **{"share_text_B-2": REASON}
    )
    assert word_for_word.status_code == 200
    assert "Der Text verweist auf die Diskussion oder ein Protokoll" in text_of(word_for_word)
    assert 'class="share-text share-text--open"' in word_for_word.get_data(as_text=True)
    empty = decide(office, meeting.application_id, shared_reasons=["B.2"], **{"share_text_B-2": ""})
    assert "Bitte schreiben Sie den Text, den die Schule zu B.2 liest." in text_of(empty)
    assert stored_decision(app, meeting.application_id) is None

    # a reason not shared is not checked; the school's wording is kept with the decision
    saved = decide(
        office,
        meeting.application_id,
        shared_reasons=["B.2"],
        **{"share_text_B-2": FOR_SCHOOL, "share_text_C-1": "siehe Protokoll"},
    )
    assert saved.status_code == 302
    decision = stored_decision(app, meeting.application_id)
    assert decision.shared_texts == {"B.2": FOR_SCHOOL}
    with app.app_context():
        assert _levels(app, meeting)["B.2"] == (2, REASON)  # the jury's reason stays as it was
    again = office.get(_decision_url(meeting)).get_data(as_text=True)
    assert FOR_SCHOOL in again
