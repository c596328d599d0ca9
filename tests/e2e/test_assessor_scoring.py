"""An assessor declares no conflict and scores three criteria with the keyboard alone, at
1280 px and at 390 px, with axe-core on every page."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import PROJECT, assert_accessible
from tests.reviews.scoring_setup import build_scoring
from tests.two_factor import complete_login_in_browser

TIMINGS = PROJECT / "test-artifacts" / "assessor-scoring-seconds.txt"


def tab_to(page: Page, target: Locator, limit: int = 80) -> None:
    """Press Tab until ``target`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


def _log_in(page: Page, email: str) -> None:
    page.goto("/login")
    tab_to(page, page.get_by_label("E-Mail-Adresse"))
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    complete_login_in_browser(page, email)
    page.wait_for_url("**/")


def _score_by_keyboard(page: Page, steps_down: int, comment: str | None = None) -> None:
    """Jump to the assessor's side, choose a level with the arrow keys, maybe type a comment,
    and press Enter („Speichern und weiter“, the form's default button)."""
    tab_to(page, page.get_by_role("link", name="Direkt zu Ihrer Bewertung"))
    page.keyboard.press("Enter")
    tab_to(page, page.locator("input[name=level]").first)
    for _ in range(steps_down):
        page.keyboard.press("ArrowDown")
    if comment is None:
        page.keyboard.press("Enter")
        return
    tab_to(page, page.get_by_label("Kommentar"))
    page.keyboard.type(comment)
    tab_to(page, page.get_by_role("button", name="Speichern und weiter"))
    page.keyboard.press("Enter")


def _score_where_saving_led(page: Page, steps_down: int) -> None:
    """„Speichern und weiter“ opens the next criterion at the assessor's side (its heading,
    ``#score-title``): one Tab reaches the levels, then the arrow keys and Enter."""
    expect(page).to_have_url(re.compile(r"#score-title$"))
    focused = page.evaluate("document.activeElement.id")
    assert focused == "score-title", f"the focus is at {focused!r}"
    page.keyboard.press("Tab")
    level = page.locator("input[name=level]").first
    assert level.evaluate("element => element === document.activeElement"), (
        "one Tab from „Ihre Bewertung“ reaches the levels"
    )
    for _ in range(steps_down):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")


@pytest.fixture
def setup(app, make):
    """Built before the browser's page turns CSRF on (the school's forms are sent without)."""
    return build_scoring(app, make)


@pytest.mark.parametrize("width", [1280, 390])
def test_assessor_declares_and_scores_with_the_keyboard(setup, page: Page, width):
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    name = f"assessor-{width}"

    _log_in(page, setup.assessor)
    expect(page.get_by_text("Erklärung offen")).to_be_visible()
    assert_accessible(page, f"{name}-home-declaration-open")

    # the declaration: only school, place and round before it
    tab_to(page, page.get_by_role("link", name="Erklärung abgeben"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Erklärung zur Befangenheit")).to_be_visible()
    assert_accessible(page, f"{name}-declaration")
    tab_to(page, page.get_by_label("Ich bin nicht befangen."))
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Ihre Bewertung", exact=True)).to_be_visible()
    expect(page.get_by_text("0 von 23 bewertet")).to_be_visible()
    assert_accessible(page, f"{name}-overview-empty")

    # A.1: the school says 3, the assessor 1 on a mandatory criterion: a comment is needed
    tab_to(page, page.get_by_role("link", name="A.1 Sicherheits- und Krisenkonzept"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Stufe 3 – vorbildlich verankert").first).to_be_visible()
    _check_layout(page, width)
    assert_accessible(page, f"{name}-criterion-A1")
    _score_by_keyboard(page, steps_down=1)
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(".error-summary")).to_be_focused()  # autofocus, no script
    expect(page.locator(".error-summary")).to_contain_text("Bitte begründen Sie Ihre Bewertung")
    assert page.locator("#level-1").is_checked(), "the chosen level is kept"
    assert page.title().startswith("Fehler:")
    assert_accessible(page, f"{name}-criterion-A1-comment-needed")
    tab_to(page, page.get_by_label("Kommentar"))
    page.keyboard.type("Das Konzept ist von 2015 und nennt kein Krisenteam.")
    tab_to(page, page.get_by_role("button", name="Speichern und weiter"))
    page.keyboard.press("Enter")

    # A.2 and A.3: timed, the common path
    seconds = []
    for code, steps in (("A.2", 2), ("A.3", 3)):
        expect(page.get_by_role("heading", level=1)).to_contain_text(code)
        if code == "A.2":
            expect(page.get_by_text("Ihre Bewertung zu A.1 ist gespeichert.")).to_be_visible()
            assert_accessible(page, f"{name}-criterion-A2")
        started = time.perf_counter()
        _score_where_saving_led(page, steps_down=steps)
        expect(page.get_by_text(f"Ihre Bewertung zu {code} ist gespeichert.")).to_be_visible()
        seconds.append(time.perf_counter() - started)
    expect(page.get_by_text("3 von 23 bewertet")).to_be_visible()

    tab_to(page, page.get_by_role("link", name="Zurück zur Übersicht"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("3 von 23 bewertet")).to_be_visible()
    assert_accessible(page, f"{name}-overview-three-scored")
    page.goto("/")
    expect(page.get_by_text("3 von 23 bewertet")).to_be_visible()
    expect(page.get_by_text("20 Kriterien noch bewerten")).to_be_visible()
    assert_accessible(page, f"{name}-home-in-progress")
    _report(width, seconds)


def _check_layout(page: Page, width: int) -> None:
    school = page.locator("#school-title").bounding_box()
    own = page.locator("#score-title").bounding_box()
    if width >= 1024:
        assert own["x"] > school["x"] + 300 and abs(own["y"] - school["y"]) < 5, "side by side"
    else:
        assert own["y"] > school["y"], "stacked, the school first"
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, "nothing wider than the screen"


def _report(width: int, seconds: list[float]) -> None:
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    line = f"{width} px: " + ", ".join(f"{value:.2f} s" for value in seconds)
    with TIMINGS.open("a", encoding="utf-8") as out:
        out.write(line + "\n")
    print(f"scoring one criterion by keyboard at {line}")
