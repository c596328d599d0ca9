"""Forms of the school's application."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    Form,
    FormField,
    HiddenField,
    RadioField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import Optional

from seal_app.applications.models import VOTE_LABELS, EvidenceFile, VoteKind
from seal_app.catalogue.model import Catalogue
from seal_app.config import FILES_PER_FORM
from seal_app.forms import BaseForm, VersionField, choices, max_length
from seal_app.views import optional_id

UPLOAD_SLOTS = FILES_PER_FORM


@dataclass
class UploadSlot:
    """One place to choose a file: the file, its description, and the file kept for it from an
    earlier try of the same form (shown in the slot until the form is saved)."""

    number: int
    file: FileField
    description: StringField
    kept: HiddenField
    drop: BooleanField
    kept_file: EvidenceFile | None = None

    @property
    def chosen(self) -> bool:
        return bool(self.file.data and getattr(self.file.data, "filename", None))


class UploadSlotsMixin:
    """Three places to choose a file, each with a short description (no JavaScript needed).

    A valid file of a form that could not be saved is kept (staged) and shown in its slot,
    with its description field, until the form is saved or the file is dropped.
    """

    file_1 = FileField(_l("Datei 1"))
    description_1 = StringField(_l("Beschreibung von Datei 1"), validators=[max_length(500)])
    kept_1 = HiddenField()
    drop_1 = BooleanField(_l("Diese Datei nicht übernehmen"))
    file_2 = FileField(_l("Datei 2"))
    description_2 = StringField(_l("Beschreibung von Datei 2"), validators=[max_length(500)])
    kept_2 = HiddenField()
    drop_2 = BooleanField(_l("Diese Datei nicht übernehmen"))
    file_3 = FileField(_l("Datei 3"))
    description_3 = StringField(_l("Beschreibung von Datei 3"), validators=[max_length(500)])
    kept_3 = HiddenField()
    drop_3 = BooleanField(_l("Diese Datei nicht übernehmen"))

    def __init__(self, *args, **kwargs) -> None:
        """The slots come last, as on the page, so the error summary lists errors in the
        order of the fields (declared in this mixin, they would otherwise come first)."""
        super().__init__(*args, **kwargs)
        for n in range(1, UPLOAD_SLOTS + 1):
            for name in (f"file_{n}", f"description_{n}", f"kept_{n}", f"drop_{n}"):
                self._fields.move_to_end(name)

    def upload_slots(self) -> list[UploadSlot]:
        if not hasattr(self, "_slots"):
            self._slots = [
                UploadSlot(
                    n,
                    self[f"file_{n}"],
                    self[f"description_{n}"],
                    self[f"kept_{n}"],
                    self[f"drop_{n}"],
                )
                for n in range(1, UPLOAD_SLOTS + 1)
            ]
        return self._slots

    def kept_id(self, slot: UploadSlot) -> int | None:
        return optional_id(slot.kept.data)

    def keep(self, slot: UploadSlot, file: EvidenceFile | None) -> None:
        """Show ``file`` in ``slot`` as kept from this try (None: the slot holds none)."""
        slot.kept_file = file
        slot.kept.data = str(file.id) if file else ""
        slot.drop.data = False
        n = slot.number
        if file is None:
            return  # the labels stay those of an empty slot
        slot.file.label.text = _(
            "Stattdessen eine andere Datei wählen (Datei %(number)d)", number=n
        )
        slot.description.label.text = _(
            "Beschreibung von Datei %(number)d („%(name)s“)", number=n, name=file.display_name
        )

    def kept_files(self, except_slot: UploadSlot | None = None) -> list[EvidenceFile]:
        return [
            slot.kept_file
            for slot in self.upload_slots()
            if slot.kept_file is not None and slot is not except_slot
        ]

    def kept_descriptions(self) -> dict[int, str]:
        """File id to the description typed in its slot."""
        return {
            slot.kept_file.id: (slot.description.data or "").strip()
            for slot in self.upload_slots()
            if slot.kept_file is not None
        }

    def check_descriptions(self) -> bool:
        """Every file the form holds (kept or chosen) needs a description."""
        ok = True
        for slot in self.upload_slots():
            if (slot.kept_file or slot.chosen) and not (slot.description.data or "").strip():
                slot.description.errors = [
                    *slot.description.errors,
                    _("Bitte beschreiben Sie die Datei kurz."),
                ]
                ok = False
        return ok

    def upload_errors(self) -> bool:
        return any(slot.file.errors for slot in self.upload_slots())


class DescriptionKept:
    """An attached file's description may be changed, but not emptied."""

    def __init__(self, original: str) -> None:
        self.original = original

    def __call__(self, form, field) -> None:
        if self.original and not (field.data or "").strip():
            raise ValidationError(_("Bitte beschreiben Sie die Datei kurz."))


class CriterionForm(UploadSlotsMixin, BaseForm):
    self_rating = RadioField(_l("Ihre Selbsteinschätzung"), coerce=int, validators=[Optional()])
    measures = TextAreaField(
        _l("Was tut Ihre Schule zu diesem Kriterium?"),
        description=_l("Maßnahmen, Angebote, Vereinbarungen – so konkret wie möglich."),
        validators=[max_length(10000)],
    )
    since = StringField(_l("Seit wann?"), validators=[max_length(100)])
    participants = TextAreaField(
        _l("Wer ist beteiligt?"),
        description=_l("Zum Beispiel Klassenstufen, Lehrkräfte, Schülerinnen und Schüler, Eltern."),
        validators=[max_length(3000)],
    )
    partners = TextAreaField(_l("Partner außerhalb der Schule"), validators=[max_length(3000)])
    version = VersionField()

    def use_scale(self, catalogue: Catalogue) -> None:
        self.self_rating.choices = choices(
            (level.value, f"{level.value} – {level.label}") for level in catalogue.scale
        )

    @classmethod
    def with_files(cls, files: list[EvidenceFile], **kwargs) -> CriterionForm:
        """The form with a description field for each attached file, saved with the answer."""
        described = tuple((file.id, file.display_name, file.description) for file in files)
        form = _form_with_files(cls, described, str(get_locale()))(**kwargs)
        form.described_files = list(files)
        return form

    described_files: list[EvidenceFile] = []

    def description_field(self, file: EvidenceFile):
        """The description field of ``file``; None for a file that someone else attached
        after this form was built (it is then shown with its description as text)."""
        return getattr(self, f"file_description_{file.id}", None)

    def changed_descriptions(self) -> dict[int, str]:
        """File id to the description typed for it, for attached files listed in the form."""
        return {
            file.id: (self.description_field(file).data or "").strip()
            for file in self.described_files
        }

    def values(self) -> dict:
        return {
            "self_rating": self.self_rating.data if self.self_rating.raw_data else None,
            "measures": (self.measures.data or "").strip(),
            "since": (self.since.data or "").strip(),
            "participants": (self.participants.data or "").strip(),
            "partners": (self.partners.data or "").strip(),
        }


class ResponseForm(UploadSlotsMixin, BaseForm):
    text = TextAreaField(_l("Ihre Ergänzung"), validators=[max_length(10000)])
    version = VersionField()


class VoteEntryForm(Form):
    """One vote within the votes form. A new vote needs date and document; a saved one may
    change its date alone. ``kept`` names a document kept from a save that failed."""

    decided_on = DateField(_l("Datum"), validators=[Optional()])
    document = FileField(_l("Dokument (PDF, JPEG, PNG, ODT oder DOCX)"))
    kept = HiddenField()

    def chosen_document(self):
        upload = self.document.data
        return upload if upload and getattr(upload, "filename", None) else None

    def kept_id(self) -> int | None:
        return optional_id(self.kept.data)


class VotesForm(BaseForm):
    """All three votes in one form, so that one press of „Speichern“ keeps all of them."""

    school_conference = FormField(VoteEntryForm, VOTE_LABELS[VoteKind.SCHOOL_CONFERENCE])
    school_authority = FormField(VoteEntryForm, VOTE_LABELS[VoteKind.SCHOOL_AUTHORITY])
    prevention_council = FormField(VoteEntryForm, VOTE_LABELS[VoteKind.PREVENTION_COUNCIL])

    def entries(self) -> list[tuple[VoteKind, VoteEntryForm]]:
        return [(kind, self[kind.value].form) for kind in VoteKind]


class RenewalNoteForm(BaseForm):
    changes = TextAreaField(
        _l("Was hat sich in diesem Bereich seit der letzten Verleihung verändert?"),
        validators=[max_length(10000)],
    )
    advice_response = TextAreaField(
        _l("Wie hat die Schule die Hinweise der Jury aufgegriffen?"),
        validators=[max_length(10000)],
    )
    version = VersionField()


class ReplaceFileForm(BaseForm):
    file = FileField(_l("Neue Datei"))


@functools.lru_cache(maxsize=512)
def _form_with_files(
    form: type[CriterionForm], described: tuple[tuple[int, str, str | None], ...], language: str
) -> type[CriterionForm]:
    """The form class with a description field per (id, name, description) of the files, made
    once per files and language: a new form class costs more than filling one in."""
    fields = {
        f"file_description_{file_id}": StringField(
            _("Beschreibung von „%(name)s“", name=name),
            default=description,
            validators=[max_length(500), DescriptionKept(description)],
        )
        for file_id, name, description in described
    }
    return type("CriterionFormWithFiles", (form,), fields)
