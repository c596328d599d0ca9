"""English is selectable, so every German text must have its English translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

PROJECT = Path(__file__).resolve().parents[2]
ENGLISH = PROJECT / "seal_app" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
METHODS = [("seal_app/**.py", "python"), ("seal_app/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2)}


def _source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PROJECT), METHODS, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_text_in_the_code_has_an_english_translation():
    with ENGLISH.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    translated = {
        (message.id[0] if isinstance(message.id, tuple) else message.id)
        for message in catalog
        if message.id
        and not message.fuzzy
        and all(message.string if isinstance(message.string, tuple) else [message.string])
    }
    missing = sorted(_source_messages() - translated)
    assert missing == [], "run `make extract-messages` and translate:\n" + "\n".join(missing)
