"""The jury's whole half of the procedure in Chromium, with axe-core on every page.

Only the starting point is written to the database: a round, a school with a submitted
application, three assessors and the office. Everything after it happens in the browser:
the office takes the assignment proposal; one assessor declares a conflict and the office
reassigns; an assessor declares no conflict and scores all 23 criteria with the keyboard
alone (timed); asks for more on two criteria; the school answers with a text and a file; the
scoring pages mark what changed; the office plans a visit; a protocol is recorded on a phone;
the second assessor scores; both submit; the office holds the jury's meeting.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from seal_app.applications.models import Application, ApplicationStatus
from seal_app.applications.services import catalogue_of
from seal_app.auth.models import Role
from seal_app.extensions import db
from seal_app.reviews.models import Assignment, ConflictState
from seal_app.reviews.scoring import comment_reasons
from seal_app.rounds.services import create_round
from tests.applications import samples
from tests.applications.test_journey import _complete_everything
from tests.conftest import PASSWORD, login
from tests.e2e.conftest import PROJECT, assert_accessible
from tests.e2e.test_assessor_scoring import tab_to
from tests.reviews.jury_setup import visit_day_has_come
from tests.two_factor import complete_login_in_browser

SECONDS_FILE = PROJECT / "test-artifacts" / "jury-journey-seconds.txt"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
ASSESSORS = ("Anna Arndt", "Ben Brandt", "Clara Claussen")
SCHOOL = "Grundschule am Wall"

# The keyboard assessor's levels (2 where not named). The school rated the five mandatory
# criteria 2 and the others not at all: A.1 at 0 needs a comment (two levels below the
# school, below the minimum for a mandatory criterion).
KEYBOARD_LEVELS = {"A.1": 0, "A.3": 3, "D.1": 1}
# The second assessor's: A.1 and A.3 two levels apart from the first, for the meeting.
MOUSE_LEVELS = {"A.1": 2, "A.3": 1}


@dataclass
class Start:
    round_id: int
    application_id: int
    staff: str
    office: str
    assessors: dict[str, str]  # name -> e-mail
    criteria: list[tuple[str, bool]]  # (code, mandatory) in catalogue order
    minimum: int


@pytest.fixture
def start(app, make) -> Start:
    """Built before the browser's page turns CSRF on (the school's forms are sent without)."""
    school_id = make.school(number="75001", name=SCHOOL, town="Güstrow")
    with app.app_context():
        deadline = date.today() + timedelta(days=60)
        round_ = create_round(date.today().year + 1, deadline, "2026.1", None)
        round_.review_until = deadline + timedelta(days=30)
        round_.decision_expected_on = deadline + timedelta(days=60)
        db.session.commit()
        round_id = round_.id
    staff = make.user(
        Role.SCHOOL, "leitung@example.org", school_ids=(school_id,), name="Lena Leitung"
    )
    office = make.user(Role.OFFICE, "buero@example.org", name="Bea Büro")
    assessors = {
        name: make.user(Role.ASSESSOR, f"gutachter{number}@example.org", name=name)
        for number, name in enumerate(ASSESSORS)
    }
    client = app.test_client()
    login(client, staff)
    started = client.post("/applications/start", data={"school_id": school_id})
    application_id = int(started.headers["Location"].rsplit("/", 1)[1])
    _complete_everything(client, application_id)
    assert client.post(f"/applications/{application_id}/submit").status_code == 302
    with app.app_context():
        application = db.session.get(Application, application_id)
        assert application.status is ApplicationStatus.SUBMITTED
        catalogue = catalogue_of(application)
        criteria = [(item.code, item.mandatory) for item in catalogue.criteria]
        minimum = catalogue.award_rule.mandatory_min_level
    assert len(criteria) == 23
    return Start(round_id, application_id, staff, office, assessors, criteria, minimum)


# --- small steps ------------------------------------------------------------------------------


def _log_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    complete_login_in_browser(page, email)
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()


def _log_in_by_keyboard(page: Page, email: str) -> None:
    page.goto("/login")
    tab_to(page, page.get_by_label("E-Mail-Adresse"))
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    complete_login_in_browser(page, email)
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()


def _log_out(page: Page) -> None:
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("button", name="Abmelden")).to_have_count(0)


def _axe(page: Page, name: str) -> None:
    """axe-core on the page, once its fonts are in (so that the screenshot shows the text)."""
    page.evaluate("Promise.all(Array.from(document.fonts, (face) => face.load())).then(() => 1)")
    assert_accessible(page, name)


def _both_widths(page: Page, name: str) -> None:
    """axe at 1280 and at 390 px, and nothing wider than a phone's screen."""
    _axe(page, f"{name}-1280")
    page.set_viewport_size(PHONE)
    _axe(page, f"{name}-390")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} scrolls sideways on a phone ({width}px)"
    page.set_viewport_size(DESKTOP)


def _flash(page: Page, text: str) -> None:
    expect(page.get_by_text(text, exact=False).first).to_be_visible()


def _assignments(app, application_id: int) -> dict[str, Assignment]:
    """The application's assignments by assessor name (read only, detached)."""
    with app.app_context():
        rows = db.session.scalars(
            sa.select(Assignment).where(Assignment.application_id == application_id)
        ).all()
        result = {row.assessor.name: row for row in rows}
        db.session.expunge_all()
        return result


def _level_of(code: str, levels: dict[str, int]) -> int:
    return levels.get(code, 2)


# --- 1 and 2: assignment, a conflict, reassignment ------------------------------------------


def _office_takes_the_proposal(page: Page, start: Start) -> None:
    _log_in(page, start.office)
    _axe(page, "jury-office-home")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Vergaberunden", exact=True
    ).click()
    _axe(page, "jury-office-rounds")
    page.get_by_role("link", name="Zuweisungen").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Gutachterinnen und Gutachter zuweisen"
    )
    card = page.locator(f"#application-{start.application_id}")
    expect(card.get_by_text("Noch niemand zugewiesen.")).to_be_visible()
    _axe(page, "jury-office-assignments-empty")
    page.get_by_role("link", name="Vorschlag für die Zuweisung anzeigen").click()
    expect(page.get_by_text("2 neue Zuweisungen")).to_be_visible()
    _axe(page, "jury-office-proposal")
    page.get_by_role("button", name="Vorschlag übernehmen").click()
    _flash(page, "Der Vorschlag ist übernommen: 2 Zuweisungen.")
    expect(card.get_by_text("2 von 2 Gutachter/innen")).to_be_visible()
    expect(card.locator(".assignment")).to_have_count(2)
    _axe(page, "jury-office-assignments-proposed")
    _log_out(page)


def _assessor_declares_a_conflict(
    page: Page, email: str, application_id: int, assignment_id: int
) -> None:
    _log_in(page, email)
    expect(page.get_by_text("Erklärung offen")).to_be_visible()
    _axe(page, "jury-conflict-home")
    page.get_by_role("link", name=f"Erklärung abgeben – {SCHOOL}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erklärung zur Befangenheit")
    _axe(page, "jury-conflict-declaration")
    page.get_by_label("Ich bin befangen.").check()
    page.get_by_label("Grund der Befangenheit").fill("Meine Tochter geht dort zur Schule.")
    page.get_by_role("button", name="Erklärung abgeben").click()
    expect(page.get_by_text("Sie haben eine Befangenheit erklärt.")).to_be_visible()
    _axe(page, "jury-conflict-declared")
    for path in (f"/applications/{application_id}", f"/review/{assignment_id}"):
        assert page.goto(path).status == 404, f"{path} after a conflict"
    page.goto("/")
    _log_out(page)


def _office_reassigns(page: Page, start: Start, conflicted: str, replacement: str) -> None:
    _log_in(page, start.office)
    page.goto(f"/office/rounds/{start.round_id}/assignments")
    warning = page.get_by_role("region", name="1 Befangenheit erklärt: bitte neu zuweisen")
    expect(warning).to_contain_text(f"{conflicted} bei {SCHOOL}")
    expect(warning).to_contain_text("Meine Tochter geht dort zur Schule.")
    card = page.locator(f"#application-{start.application_id}")
    expect(card.get_by_text("1 von 2 Gutachter/innen")).to_be_visible()
    expect(card.locator(".assignment--conflict")).to_contain_text(conflicted)
    _axe(page, "jury-office-assignments-conflict")
    card.get_by_label("Gutachter/in").select_option(label=f"{replacement} (0 offen)")
    card.get_by_role("button", name=f"Zuweisen – {SCHOOL}").click()
    expect(card.get_by_text("2 von 2 Gutachter/innen")).to_be_visible()
    expect(card.get_by_text(replacement, exact=True)).to_be_visible()
    _axe(page, "jury-office-assignments-reassigned")
    _log_out(page)


def _replacement_declares_none(page: Page, email: str) -> None:
    """Only assessors without a conflict can be chosen for the visit: the new one declares."""
    _log_in(page, email)
    page.get_by_role("link", name=f"Erklärung abgeben – {SCHOOL}").click()
    page.get_by_label("Ich bin nicht befangen.").check()
    page.get_by_role("button", name="Erklärung abgeben").click()
    expect(page.get_by_text("0 von 23 bewertet")).to_be_visible()
    _axe(page, "jury-replacement-overview-empty")
    _log_out(page)


# --- 3: declaring no conflict and scoring with the keyboard alone ----------------------------


def _declare_none_by_keyboard(page: Page) -> None:
    tab_to(page, page.get_by_role("link", name=f"Erklärung abgeben – {SCHOOL}"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Erklärung zur Befangenheit")
    _axe(page, "jury-keyboard-declaration")
    tab_to(page, page.get_by_label("Ich bin nicht befangen."))
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Ihre Bewertung", exact=True)).to_be_visible()
    expect(page.get_by_text("0 von 23 bewertet")).to_be_visible()
    _axe(page, "jury-keyboard-overview-empty")


def _score_one_by_keyboard(page: Page, level: int, comment: str | None, last: bool) -> None:
    """Skip to the assessor's side, pick the level with Space or the arrow keys, type the
    comment if one is needed, and press Enter: the form's first button saves and moves on."""
    tab_to(page, page.get_by_role("link", name="Direkt zu Ihrer Bewertung"))
    page.keyboard.press("Enter")
    tab_to(page, page.locator("input[name=level]").first)
    if level == 0:
        page.keyboard.press("Space")
    for _ in range(level):
        page.keyboard.press("ArrowDown")
    if comment is not None:
        tab_to(page, page.get_by_label("Kommentar"))
        page.keyboard.type(comment)
        button = "Speichern und zur Übersicht" if last else "Speichern und weiter"
        tab_to(page, page.get_by_role("button", name=button, exact=True))
    page.keyboard.press("Enter")


def _score_all_by_keyboard(page: Page, start: Start) -> float:
    """All 23 criteria; returns the seconds of the keyboard work (axe runs untimed)."""
    tab_to(page, page.get_by_role("link", name="A.1 Sicherheits- und Krisenkonzept"))
    page.keyboard.press("Enter")
    seconds = 0.0
    for index, (code, mandatory) in enumerate(start.criteria):
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_contain_text(code)
        _axe(page, f"jury-keyboard-criterion-{code}")
        level = _level_of(code, KEYBOARD_LEVELS)
        self_rating = 2 if mandatory else None
        needs_comment = bool(comment_reasons(level, self_rating, mandatory, start.minimum))
        comment = f"Zu {code}: das Konzept ist veraltet." if needs_comment else None
        last = index == len(start.criteria) - 1
        started = time.perf_counter()
        _score_one_by_keyboard(page, level, comment, last)
        _flash(page, f"Ihre Bewertung zu {code} ist gespeichert.")
        seconds += time.perf_counter() - started
    expect(page.get_by_role("heading", name="Ihre Bewertung", exact=True)).to_be_visible()
    expect(page.get_by_text("23 von 23 bewertet").first).to_be_visible()
    return seconds


def _check_stored_levels(app, assignment_id: int, start: Start) -> None:
    """What the keys chose is what is stored."""
    with app.app_context():
        scores = {
            score.criterion_code: (score.level, score.comment)
            for score in db.session.get(Assignment, assignment_id).scores
        }
    assert {code: level for code, (level, _) in scores.items()} == {
        code: _level_of(code, KEYBOARD_LEVELS) for code, _ in start.criteria
    }
    assert scores["A.1"][1] == "Zu A.1: das Konzept ist veraltet."


def _report(seconds: float) -> None:
    SECONDS_FILE.parent.mkdir(parents=True, exist_ok=True)
    line = f"{seconds:.2f} s for scoring 23 criteria with the keyboard alone"
    SECONDS_FILE.write_text(line + "\n", encoding="utf-8")
    print(line)


# --- 4: more evidence ------------------------------------------------------------------------


def _assessor_requests_more(page: Page) -> None:
    page.get_by_role("link", name="Antrag der Schule ansehen").click()
    _axe(page, "jury-assessor-application")
    page.get_by_role("link", name="Nachweise nachfordern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nachweise nachfordern")
    page.get_by_label("A.1 Sicherheits- und Krisenkonzept").check()
    page.locator("#criteria-C-1").check()
    page.get_by_label("Was soll die Schule ergänzen?").fill(
        "Bitte reichen Sie das aktuelle Krisenkonzept und die Nachweise zur Schlichtung nach."
    )
    _axe(page, "jury-request-more")
    page.get_by_role("button", name="Nachforderung senden").click()
    _flash(page, "Die Nachforderung zu A.1 und C.1 ist an die Schule gesendet")
    _axe(page, "jury-request-sent")


def _school_answers(page: Page, start: Start, tmp_path) -> None:
    _log_in(page, start.staff)
    expect(page.get_by_text("Nachforderung", exact=False).first).to_be_visible()
    _axe(page, "jury-school-home-request")
    page.goto(f"/applications/{start.application_id}/criteria/A.1")
    _axe(page, "jury-school-answer-A1")
    page.get_by_role("textbox", name="Ihre Ergänzung").fill(
        "Das Krisenkonzept wurde im März aktualisiert."
    )
    page.get_by_role("button", name="Ergänzung speichern").click()
    page.goto(f"/applications/{start.application_id}/criteria/C.1")
    document = tmp_path / "Schlichtung-2026.pdf"
    document.write_bytes(samples.pdf("Schlichtung"))
    page.locator("#response-file_1").set_input_files(str(document))
    page.locator("#response-description_1").fill("Ausbildungsnachweise 2026")
    _axe(page, "jury-school-answer-C1")
    page.get_by_role("button", name="Ergänzung speichern").click()
    page.get_by_role("button", name="Ergänzungen einreichen").click()
    _flash(page, "Ihre Ergänzungen sind eingereicht.")
    _axe(page, "jury-school-answered")
    _log_out(page)


def _assessor_sees_the_changes(page: Page, email: str, assignment_id: int) -> None:
    _log_in(page, email)
    expect(page.get_by_text("Von der Schule ergänzt, bitte prüfen: A.1 und C.1")).to_be_visible()
    _axe(page, "jury-assessor-home-changed")
    page.get_by_role("link", name=f"Zur Bewertung – {SCHOOL}").click()
    expect(page.get_by_text("von der Schule ergänzt")).to_have_count(2)
    _axe(page, "jury-assessor-overview-changed")
    page.locator("#task-A\\.1").click()
    changes = page.locator(".changes-since-request")
    expect(changes).to_have_count(1)
    expect(changes).to_contain_text("Das Krisenkonzept wurde im März aktualisiert.")
    _both_widths(page, "jury-criterion-A1-changed")
    page.goto(f"/review/{assignment_id}/criteria/C.1")
    changes = page.locator(".changes-since-request")
    expect(changes).to_have_count(1)
    expect(changes.get_by_role("link", name="Schlichtung-2026.pdf", exact=True)).to_be_visible()
    expect(changes).to_contain_text("Ausbildungsnachweise 2026")
    _both_widths(page, "jury-criterion-C1-changed")
    _log_out(page)


# --- 5: the visit ----------------------------------------------------------------------------


def _office_plans_the_visit(page: Page, start: Start, visitors: list[str]) -> None:
    _log_in(page, start.office)
    page.goto(f"/office/rounds/{start.round_id}/assignments")
    page.locator(f"#application-{start.application_id}").get_by_role("link", name=SCHOOL).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Antrag von {SCHOOL}")
    _axe(page, "jury-office-application")
    page.get_by_role("link", name="Besuch planen").click()
    _axe(page, "jury-visit-plan")
    page.get_by_label("Datum des Besuchs").fill((date.today() + timedelta(days=7)).isoformat())
    page.get_by_label("Uhrzeit").fill("09:30")
    for name in visitors:
        page.get_by_label(name).check()
    page.get_by_label("Hinweis für die Schule").fill("Treffpunkt: Sekretariat, Haus A")
    page.get_by_role("button", name="Besuch speichern").click()
    _flash(page, "Der Besuch ist geplant.")
    expect(page.locator(".visit-current")).to_contain_text("um 09:30 Uhr")
    _axe(page, "jury-visit-planned")
    _log_out(page)


def _protocol_on_a_phone(page: Page, email: str) -> None:
    page.set_viewport_size(PHONE)
    _log_in(page, email)
    # what needs the visitor now: the visit's protocol
    expect(page.get_by_text("Protokoll schreiben", exact=False)).to_be_visible()
    _axe(page, "jury-visitor-home-390")
    page.get_by_role("link", name=f"Zur Bewertung – {SCHOOL}").click()
    _axe(page, "jury-visitor-overview-390")
    page.get_by_role("link", name="Besuchsprotokoll", exact=True).click()
    _axe(page, "jury-visit-protocols-390")
    page.get_by_role("link", name="A. Sicherheitskonzept und Organisation").click()
    page.get_by_label("Was haben Sie gesehen?").fill("Fluchtwegpläne in jedem Flur.")
    page.get_by_label("Mit wem haben Sie gesprochen?").fill("Schülerrat, Hausmeister, Polizei")
    page.get_by_label("Ihre Feststellungen").fill("Das Krisenteam ist allen bekannt.")
    _axe(page, "jury-visit-protocol-390")
    page.get_by_role("button", name="Speichern und weiter").click()
    _flash(page, "Das Protokoll zu Bereich A ist gespeichert.")
    _axe(page, "jury-visit-protocol-next-390")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the protocol scrolls sideways on a phone ({width}px)"
    _log_out(page)


# --- 6: the second assessor, both reviews -----------------------------------------------------


def _score_all_with_the_mouse(page: Page, start: Start) -> None:
    """The second assessor, quicker: a click on the level and on the first button."""
    page.locator("#task-A\\.1").click()
    for index, (code, _mandatory) in enumerate(start.criteria):
        expect(page.get_by_role("heading", level=1)).to_contain_text(code)
        if index in (0, len(start.criteria) - 1):
            _both_widths(page, f"jury-mouse-criterion-{code}")
        page.locator(f"#level-{_level_of(code, MOUSE_LEVELS)}").check()
        page.locator("button[type=submit][name=action]").first.click()
        _flash(page, f"Ihre Bewertung zu {code} ist gespeichert.")
    expect(page.get_by_text("23 von 23 bewertet").first).to_be_visible()


def _submit_review(page: Page, name: str, recommendation: str, summary: str) -> None:
    page.get_by_role("link", name="Gutachten abgeben").click()
    page.get_by_label(recommendation, exact=True).check()
    page.get_by_label("Zusammenfassung").fill(summary)
    page.get_by_label("Hinweise für die Schule zu A.", exact=False).first.fill(
        "Überarbeiten Sie das Krisenkonzept jährlich."
    )
    _both_widths(page, f"jury-review-form-{name}")
    page.get_by_label("Zum Abgeben: Ich habe meine Stufen", exact=False).check()
    page.get_by_role("button", name="Gutachten verbindlich abgeben").click()
    _flash(page, "Ihr Gutachten ist abgegeben. Vielen Dank!")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Gutachten")
    _axe(page, f"jury-review-submitted-{name}")


def _second_assessor_scores_and_submits(page: Page, start: Start, email: str) -> None:
    _log_in(page, email)
    page.get_by_role("link", name=f"Zur Bewertung – {SCHOOL}").click()
    expect(page.get_by_text("0 von 23 bewertet")).to_be_visible()
    _score_all_with_the_mouse(page, start)
    _axe(page, "jury-mouse-overview-complete")
    _submit_review(page, "second", "zurückstellen", "Vieles ist gut, A.3 fehlt noch.")
    _log_out(page)


def _first_assessor_submits(page: Page, email: str) -> None:
    _log_in(page, email)
    expect(page.get_by_text("Alle Kriterien bewertet: Gutachten abgeben")).to_be_visible()
    page.get_by_role("link", name=f"Zur Bewertung – {SCHOOL}").click()
    _submit_review(page, "first", "nicht verleihen", "Das Krisenkonzept fehlt.")
    _log_out(page)


# --- 7: the jury's meeting -------------------------------------------------------------------


def _office_holds_the_meeting(page: Page, start: Start) -> None:
    _log_in(page, start.office)
    page.goto(f"/office/applications/{start.application_id}")
    page.get_by_role("link", name="Jurysitzung öffnen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jurysitzung")
    for row_id in ("#row-A\\.1", "#row-A\\.3"):
        expect(page.locator(row_id)).to_contain_text("Abweichung – bitte besprechen")
    expect(page.locator(".divergence-flag")).to_have_count(2)
    chart = page.locator(".consensus-chart img")
    expect(chart).to_be_visible()
    assert chart.evaluate("image => image.decode().then(() => image.naturalWidth > 0)"), (
        "chart loads"
    )
    table = page.get_by_role("table", name="Mittlere Stufe je Bereich")
    expect(table.get_by_role("row", name="A. Sicherheitskonzept")).to_contain_text("1,67")
    expect(table.locator("tr", has_text="D. ")).to_contain_text("1,75")
    proposal = page.locator(".proposal")
    expect(proposal).to_contain_text("ist die Vergaberegel nicht erfüllt")  # A.1 at 1
    expect(proposal).to_contain_text("Punkte:")
    expect(proposal.get_by_role("link", name="A.1 Sicherheits- und Krisenkonzept")).to_be_visible()
    expect(page.get_by_text("Fluchtwegpläne in jedem Flur.")).to_be_visible()
    _both_widths(page, "jury-consensus")

    row = page.locator("#row-A\\.1")
    row.get_by_label("Vereinbarte Stufe für A.1").select_option("2")
    row.get_by_label("Begründung der Einigung zu A.1").fill("Das aktualisierte Konzept liegt nach.")
    row.get_by_role("button", name="Stufe speichern").click()
    _flash(page, "Die Stufe für A.1 ist gespeichert.")
    expect(page.locator("#row-A\\.1")).to_contain_text("Gespeichert: Stufe 2.")
    expect(proposal.get_by_role("link", name="A.1 Sicherheits- und Krisenkonzept")).to_have_count(0)
    expect(proposal).to_contain_text("ist die Vergaberegel erfüllt")  # 64 %, A.1 agreed at 2
    _both_widths(page, "jury-consensus-agreed")
    _log_out(page)


# --- the journey -----------------------------------------------------------------------------


def test_the_jury_journey(start: Start, page: Page, app, tmp_path):
    _office_takes_the_proposal(page, start)
    proposed = _assignments(app, start.application_id)
    assert len(proposed) == 2
    conflicted, first = sorted(proposed)
    (replacement,) = set(ASSESSORS) - set(proposed)
    _assessor_declares_a_conflict(
        page, start.assessors[conflicted], start.application_id, proposed[conflicted].id
    )
    assert _assignments(app, start.application_id)[conflicted].conflict_state is (
        ConflictState.CONFLICT
    )
    _office_reassigns(page, start, conflicted, replacement)
    _replacement_declares_none(page, start.assessors[replacement])
    first_id = _assignments(app, start.application_id)[first].id

    _log_in_by_keyboard(page, start.assessors[first])
    _axe(page, "jury-keyboard-home")
    _declare_none_by_keyboard(page)
    seconds = _score_all_by_keyboard(page, start)
    _report(seconds)
    _check_stored_levels(app, first_id, start)
    _axe(page, "jury-keyboard-overview-complete")

    _assessor_requests_more(page)
    _log_out(page)
    _school_answers(page, start, tmp_path)
    _assessor_sees_the_changes(page, start.assessors[first], first_id)

    _office_plans_the_visit(page, start, [first, replacement])
    visit_day_has_come(app)
    _protocol_on_a_phone(page, start.assessors[first])

    _second_assessor_scores_and_submits(page, start, start.assessors[replacement])
    _first_assessor_submits(page, start.assessors[first])
    _office_holds_the_meeting(page, start)
