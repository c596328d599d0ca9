"""Evidence files on the criterion page: a file kept from a failed save shows in its slot with
its own description, descriptions can be edited later, the same file is attached only once,
one list of files, and the audit log names what changed."""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser

import sqlalchemy as sa

from seal_app.audit.models import AuditEntry
from seal_app.extensions import db
from seal_app.uploads.store import path_of
from tests.applications import samples
from tests.applications.conftest import criterion_data, load, post_criterion, upload
from tests.applications.test_requests import _request_more
from tests.conftest import text_of


def _entries(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        entries = list(
            db.session.scalars(
                sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
            )
        )
        db.session.expunge_all()
        return entries


def _kept_id(html: str, slot: int = 1, prefix: str = "") -> str:
    match = re.search(rf'name="{prefix}kept_{slot}" type="hidden" value="(\d*)"', html)
    assert match, html
    return match.group(1)


def _version(app, application_id: int, code: str = "A.1") -> str:
    return str(load(app, application_id).answer_for(code).version)


def _attach(client, application_id: int, code: str = "A.1", **files) -> None:
    response = post_criterion(client, application_id, code, criterion_data(**files))
    assert response.status_code == 302, text_of(response)


def test_description_typed_after_a_failed_save_is_saved_with_the_kept_file(
    app, staff_client, application_id
):
    first = post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(file_1=upload(samples.pdf(), "Konzept.pdf"), description_1=""),
    )
    assert first.status_code == 200
    page = text_of(first)
    assert "Bitte beschreiben Sie die Datei kurz." in page
    assert "„Konzept.pdf“ (" in page and "ist schon hochgeladen" in page
    html = first.get_data(as_text=True)
    assert "Beschreibung von Datei 1 („Konzept.pdf“)" in html
    kept = _kept_id(html)
    assert kept

    saved = post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(kept_1=kept, description_1="Krisenkonzept 2025"),
    )
    assert saved.status_code == 302, text_of(saved)
    files = load(app, application_id).files
    assert [(f.display_name, f.description, f.staged) for f in files] == [
        ("Konzept.pdf", "Krisenkonzept 2025", False)
    ]
    [uploaded] = _entries(app, "evidence.uploaded")
    assert uploaded.details["description"] == "Krisenkonzept 2025"
    shown = text_of(staff_client.get(f"/applications/{application_id}/criteria/A.1"))
    assert "Konzept.pdf" in shown


def test_a_kept_file_still_needs_its_description(app, staff_client, application_id):
    post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(measures="x" * 10001, file_1=upload(samples.pdf(), "K.pdf")),
    )
    kept = str(load(app, application_id).files[0].id)
    again = post_criterion(staff_client, application_id, "A.1", criterion_data(kept_1=kept))
    assert again.status_code == 200
    assert "Bitte beschreiben Sie die Datei kurz." in text_of(again)
    assert _kept_id(again.get_data(as_text=True)) == kept
    assert [f.staged for f in load(app, application_id).files] == [True]


def test_a_kept_file_can_be_dropped_or_exchanged(app, staff_client, application_id):
    post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(
            file_1=upload(samples.pdf("eins"), "eins.pdf"),
            file_2=upload(samples.pdf("zwei"), "zwei.pdf"),
        ),
    )
    kept = {f.display_name: f for f in load(app, application_id).files}
    response = post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(
            kept_1=str(kept["eins.pdf"].id),
            drop_1="y",
            kept_2=str(kept["zwei.pdf"].id),
            file_2=upload(samples.pdf("drei"), "drei.pdf"),
            description_2="Dritte Fassung",
        ),
    )
    assert response.status_code == 302, text_of(response)
    files = load(app, application_id).files
    assert [(f.display_name, f.description, f.staged) for f in files] == [
        ("drei.pdf", "Dritte Fassung", False)
    ]
    with app.app_context():
        assert not path_of(kept["eins.pdf"].stored_name).exists()
        assert not path_of(kept["zwei.pdf"].stored_name).exists()


def test_a_kept_file_of_another_criterion_or_school_is_not_taken(
    app, setup, staff_client, application_id
):
    post_criterion(
        staff_client, application_id, "A.2", criterion_data(file_1=upload(samples.pdf(), "a.pdf"))
    )
    other_criterion = str(load(app, application_id).files[0].id)
    response = post_criterion(
        staff_client, application_id, "A.1", criterion_data(kept_1=other_criterion)
    )
    assert response.status_code == 302
    assert [(f.criterion_code, f.staged) for f in load(app, application_id).files] == [
        ("A.2", True)
    ]


def test_the_same_file_twice_in_one_form_is_refused(app, staff_client, application_id):
    data = samples.pdf("Konzept")
    response = post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(
            file_1=upload(data, "Konzept.pdf"),
            description_1="Konzept",
            file_2=upload(data, "Konzept (Kopie).pdf"),
            description_2="Noch einmal",
        ),
    )
    assert response.status_code == 200
    assert "Diese Datei haben Sie in diesem Formular schon gewählt („Konzept.pdf“)" in text_of(
        response
    )
    assert [(f.display_name, f.staged) for f in load(app, application_id).files] == [
        ("Konzept.pdf", True)
    ]


def test_the_same_file_again_after_it_was_attached_is_refused(app, staff_client, application_id):
    data = samples.pdf("Konzept")
    _attach(
        staff_client, application_id, file_1=upload(data, "Konzept.pdf"), description_1="Konzept"
    )
    again = post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(file_1=upload(data, "anders benannt.pdf"), description_1="Kopie"),
    )
    assert again.status_code == 200
    assert "Diese Datei ist bei A.1 schon als „Konzept.pdf“ gespeichert." in text_of(again)
    assert len(load(app, application_id).files) == 1
    # another criterion may use the same document
    _attach(staff_client, application_id, "A.2", file_1=upload(data, "K.pdf"), description_1="K")
    assert len(load(app, application_id).files) == 2


def test_replacing_with_another_attached_file_of_the_criterion_is_refused(
    app, staff_client, application_id
):
    second = samples.pdf("zwei")
    _attach(
        staff_client,
        application_id,
        file_1=upload(samples.pdf("eins"), "eins.pdf"),
        description_1="Eins",
        file_2=upload(second, "zwei.pdf"),
        description_2="Zwei",
    )
    files = {f.display_name: f for f in load(app, application_id).files}
    response = staff_client.post(
        f"/applications/{application_id}/files/{files['eins.pdf'].id}/replace",
        data={"file": upload(second, "zwei-kopie.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "schon als „zwei.pdf“ gespeichert" in text_of(response)
    assert sorted(f.display_name for f in load(app, application_id).files) == [
        "eins.pdf",
        "zwei.pdf",
    ]


def test_an_attached_files_description_can_be_edited(app, staff_client, application_id):
    _attach(
        staff_client,
        application_id,
        file_1=upload(samples.pdf(), "Konzept.pdf"),
        description_1="Entwurf",
    )
    file_id = load(app, application_id).files[0].id
    page = staff_client.get(f"/applications/{application_id}/criteria/A.1").get_data(as_text=True)
    assert f'name="file_description_{file_id}"' in page and 'value="Entwurf"' in page
    emptied = post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(
            version=_version(app, application_id), **{f"file_description_{file_id}": " "}
        ),
    )
    assert emptied.status_code == 200
    assert "Bitte beschreiben Sie die Datei kurz." in text_of(emptied)
    saved = post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(
            version=_version(app, application_id),
            **{f"file_description_{file_id}": "Beschlossene Fassung"},
        ),
    )
    assert saved.status_code == 302, text_of(saved)
    assert load(app, application_id).files[0].description == "Beschlossene Fassung"
    [entry] = _entries(app, "evidence.described")
    assert entry.object_id == str(file_id)
    assert entry.details["file"] == "Konzept.pdf"
    assert (entry.details["old"], entry.details["new"]) == ("Entwurf", "Beschlossene Fassung")


def test_response_form_keeps_its_file_with_the_description(
    app,
    setup,
    staff_client,
    submitted,
):
    _request_more(app, submitted, setup)
    url = f"/applications/{submitted}/criteria/A.1/response"
    first = staff_client.post(
        url,
        data={"response-file_1": upload(samples.pdf("neu"), "neu.pdf"), "response-text": "x"},
        content_type="multipart/form-data",
    )
    assert first.status_code == 200
    assert "Bitte beschreiben Sie die Datei kurz." in text_of(first)
    kept = _kept_id(first.get_data(as_text=True), prefix="response-")
    saved = staff_client.post(
        url,
        data={
            "response-kept_1": kept,
            "response-description_1": "Aktuelles Konzept",
            "response-text": "x",
        },
    )
    assert saved.status_code == 302, text_of(saved)
    [file] = [f for f in load(app, submitted).files if f.display_name == "neu.pdf"]
    assert (file.description, file.staged, file.evidence_request_id is not None) == (
        "Aktuelles Konzept",
        False,
        True,
    )


class _FormsAndButtons(HTMLParser):
    """Nesting of forms, and each submit button with the form it belongs to."""

    def __init__(self) -> None:
        super().__init__()
        self.open_forms: list[str] = []
        self.nested = False
        self.buttons: list[tuple[str, str]] = []  # (form id, button name/value)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.nested = self.nested or bool(self.open_forms)
            self.open_forms.append(attributes.get("id") or attributes.get("action") or "main")
        if tag == "button" and attributes.get("type") == "submit":
            owner = attributes.get("form") or (self.open_forms or ["-"])[-1]
            self.buttons.append((owner, attributes.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.open_forms.pop()


def test_criterion_page_has_one_file_list_and_speichern_und_weiter_first(
    app, staff_client, application_id
):
    empty = staff_client.get(f"/applications/{application_id}/criteria/A.1")
    assert text_of(empty).count("Noch keine Nachweise.") == 1
    _attach(staff_client, application_id, file_1=upload(samples.pdf(), "K.pdf"), description_1="K")
    html = staff_client.get(f"/applications/{application_id}/criteria/A.1").get_data(as_text=True)
    assert html.count(">K.pdf</a>") == 1
    parser = _FormsAndButtons()
    parser.feed(html)
    assert not parser.nested
    main = [value for owner, value in parser.buttons if owner == "main"]
    assert main[:3] == ["next", "save", "overview"]  # Enter in a text field: the first one
    file_id = load(app, application_id).files[0].id
    assert (f"replace-form-{file_id}", "") in parser.buttons
    assert f'href="/applications/{application_id}/files/{file_id}/delete"' in html  # asks first
    assert 'class="kern-btn kern-btn--primary" type="submit" name="action" value="next"' in html


def test_saving_an_answer_is_audited_with_old_and_new_values(app, staff_client, application_id):
    _attach(staff_client, application_id)
    unchanged = post_criterion(
        staff_client, application_id, "A.1", criterion_data(version=_version(app, application_id))
    )
    assert unchanged.status_code == 302
    changed = post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(
            version=_version(app, application_id),
            rating="3",
            measures="Neu: Krisenteam mit Polizei.",
        ),
    )
    assert changed.status_code == 302, text_of(changed)
    first, second = _entries(app, "answer.saved")  # nothing changed: no entry
    assert first.details["criterion"] == "A.1"
    assert first.details["changes"]["since"] == {"old": None, "new": "2019"}
    assert second.details["changes"] == {
        "self_rating": {"old": 2, "new": 3},
        "measures": {
            "old": "Wir haben ein Krisenteam und üben zweimal im Jahr.",
            "new": "Neu: Krisenteam mit Polizei.",
        },
    }


def test_replacing_a_file_names_the_removed_one(app, staff_client, application_id):
    old_data, new_data = samples.pdf("alt"), samples.pdf("neu")
    _attach(staff_client, application_id, file_1=upload(old_data, "alt.pdf"), description_1="A")
    file_id = load(app, application_id).files[0].id
    response = staff_client.post(
        f"/applications/{application_id}/files/{file_id}/replace",
        data={"file": upload(new_data, "neu.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    [entry] = _entries(app, "evidence.replaced")
    assert entry.details["old"] == {
        "name": "alt.pdf",
        "sha256": hashlib.sha256(old_data).hexdigest(),
        "size": len(old_data),
    }
    assert entry.details["new"] == {
        "name": "neu.pdf",
        "sha256": hashlib.sha256(new_data).hexdigest(),
        "size": len(new_data),
    }
    assert entry.details["criterion"] == "A.1"
