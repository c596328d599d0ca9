"""The wording the school reads for a jury reason the office shares in the feedback.

The jury's reason for a divergent criterion is written for the jury: it may point to the
discussion or the visit's record, which the school never sees. So sharing it means writing a
text for the school (prefilled with the reason): that text goes into the feedback letter, the
jury's reason stays as recorded. A text that still points to the discussion or a record is
refused until it stands on its own."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField

from seal_app.forms import max_length

TEXT_LIMIT = 2000  # characters, as much as a reason may hold for the letter
# words for what the school cannot read: the jury's discussion, the visit's record
HIDDEN_FROM_SCHOOL = re.compile(r"diskussion|protokoll", re.IGNORECASE)


def field_name(code: str) -> str:
    return f"share_text_{code.replace('.', '-')}"


def fields_for(codes: Iterable[str]) -> dict[str, TextAreaField]:
    """The text field per criterion, for ``DecisionForm.for_catalogue``; the decision page
    shows those of divergent criteria beside their share box (outside the form's element)."""
    return {
        field_name(code): TextAreaField(
            _l("Text für die Schule zu %(code)s", code=code),
            description=_l(
                "Die Schule sieht weder die Diskussion der Jury noch das Besuchsprotokoll: "
                "Der Text muss ohne sie verständlich sein."
            ),
            validators=[max_length(TEXT_LIMIT)],
            render_kw={"form": "decision-form", "rows": 4},
        )
        for code in codes
    }


def problems(shared: Iterable[str], texts: Mapping[str, str]) -> list[tuple[str, str]]:
    """(field name, German message) for each shared reason whose text cannot go to the school."""
    found = []
    for code in shared:
        text = (texts.get(code) or "").strip()
        if not text:
            message = _(
                "Bitte schreiben Sie den Text, den die Schule zu %(code)s liest.", code=code
            )
        elif HIDDEN_FROM_SCHOOL.search(text):
            message = _(
                "Der Text verweist auf die Diskussion oder ein Protokoll, die die Schule nicht "
                "sieht. Bitte formulieren Sie ihn so, dass er für sich allein verständlich ist."
            )
        else:
            continue
        found.append((field_name(code), message))
    return found
