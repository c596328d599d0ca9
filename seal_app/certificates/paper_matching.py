"""Whether a row of the paper-era list names the school the app knows under its school number.

A wrong school number must not attach a seal to another school quietly: schools of the same
type have similar names („Grundschule Neun“, „Grundschule Tessin“), so a name is compared
after its trivia are folded (case, spaces, punctuation, umlauts, „Str.“), and the town too."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from flask_babel import gettext as _

from seal_app.schools.models import School

CLOSE_NAME = 0.9  # in the same town, a name this similar is the same school (a typo)
SPELLED_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
STREET = re.compile(r"str\b\.?")


@dataclass(frozen=True)
class SchoolCheck:
    """A matched school whose name or town in the file differ from the app's."""

    note: str  # what the preview shows beside the row
    refused: bool  # too different to be the same school without the office correcting it


def folded(text: str) -> str:
    """The text without the trivia a list and the app may write differently."""
    text = text.casefold().translate(SPELLED_UMLAUTS)  # casefold: „ß“ becomes „ss“
    text = STREET.sub("strasse", text)
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def check_school(school: School, name: str, town: str) -> SchoolCheck | None:
    """None when the file names the app's school; otherwise what to tell the office."""
    same_name = folded(school.name) == folded(name)
    same_town = folded(school.town) == folded(town)
    if same_name and same_town:
        return None
    likeness = SequenceMatcher(None, folded(school.name), folded(name)).ratio()
    close = same_name or (same_town and likeness >= CLOSE_NAME)
    note = _(
        "Schulnummer %(number)s gehört in der App zu „%(name)s“, %(town)s – bitte prüfen.",
        number=school.school_number,
        name=school.name,
        town=school.town or "–",
    )
    if close:
        return SchoolCheck(note, refused=False)
    advice = _(
        "Name oder Ort weichen zu stark ab. Stimmt die Schulnummer, tragen Sie Name und Ort "
        "so ein, wie sie in der App stehen."
    )
    return SchoolCheck(f"{note} {advice}", refused=True)
