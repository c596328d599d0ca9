"""Marking the words that differ between an old and a new text (for showing rewordings)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    """A run of text; ``changed``: removed (in the old text) or added (in the new text)."""

    text: str
    changed: bool


@dataclass(frozen=True)
class Reworded:
    old: str
    new: str
    old_segments: tuple[Segment, ...]
    new_segments: tuple[Segment, ...]


def reworded(old: str, new: str) -> Reworded | None:
    """The two texts with the differing words marked; None when they read the same (white
    space folded, as YAML's folded blocks do)."""
    if " ".join(old.split()) == " ".join(new.split()):
        return None
    old_tokens, new_tokens = TOKEN.findall(old), TOKEN.findall(new)
    matcher = SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    old_segments: list[Segment] = []
    new_segments: list[Segment] = []
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        changed = tag != "equal"
        _append(old_segments, old_tokens[old_start:old_end], changed)
        _append(new_segments, new_tokens[new_start:new_end], changed)
    return Reworded(old, new, tuple(old_segments), tuple(new_segments))


def _append(segments: list[Segment], tokens: list[str], changed: bool) -> None:
    """Add the tokens as one segment; white space at the edges of a change is left unmarked."""
    text = "".join(tokens)
    if not text:
        return
    if changed and text.strip():
        stripped = text.strip()
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        parts = [Segment(lead, False), Segment(stripped, True), Segment(trail, False)]
    else:
        parts = [Segment(text, False)]
    for part in parts:
        if not part.text:
            continue
        if segments and segments[-1].changed == part.changed:
            segments[-1] = Segment(segments[-1].text + part.text, part.changed)
        else:
            segments.append(part)
