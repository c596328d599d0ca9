"""Deleting a file asks first (without JavaScript); the address of a form that failed leads
back to the page of that form when it is opened again instead of answering 405."""

from __future__ import annotations

from tests.applications import samples
from tests.applications.conftest import criterion_data, load, post_criterion, upload
from tests.applications.test_requests import _request_more
from tests.conftest import login, text_of


def _file_id(app, application_id: int) -> int:
    return load(app, application_id).files_for("A.1")[0].id


def test_delete_asks_first_and_cancel_keeps_the_file(app, staff_client, application_id):
    post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(file_1=upload(samples.pdf(), "Krisenplan.pdf"), description_1="Plan"),
    )
    file_id = _file_id(app, application_id)
    criterion_url = f"/applications/{application_id}/criteria/A.1"
    delete_url = f"/applications/{application_id}/files/{file_id}/delete"
    page = staff_client.get(criterion_url).get_data(as_text=True)
    assert f'href="{delete_url}"' in page  # „Löschen“ is a link to the question
    assert f'id="delete-form-{file_id}"' not in page

    question = staff_client.get(delete_url)
    assert question.status_code == 200
    text = text_of(question)
    assert "Krisenplan.pdf" in text
    assert "A.1" in text
    assert "Datei endgültig löschen" in text
    html = question.get_data(as_text=True)
    assert f'href="{criterion_url}"' in html and "Abbrechen" in text
    assert len(load(app, application_id).files) == 1  # asking deletes nothing

    done = staff_client.post(delete_url, follow_redirects=True)
    assert "„Krisenplan.pdf“ ist gelöscht." in text_of(done)
    assert load(app, application_id).files == []


def test_delete_question_is_for_the_school_only(app, setup, staff_client, application_id):
    post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(file_1=upload(samples.pdf(), "Krisenplan.pdf"), description_1="Plan"),
    )
    delete_url = f"/applications/{application_id}/files/{_file_id(app, application_id)}/delete"

    office = app.test_client()
    login(office, setup.office)
    assert office.get(delete_url).status_code == 403
    other = app.test_client()
    login(other, setup.other_staff)
    assert other.get(delete_url).status_code == 404


def test_failed_response_address_reopened_leads_to_the_criterion(
    app,
    setup,
    staff_client,
    submitted,
):
    _request_more(app, submitted, setup)
    url = f"/applications/{submitted}/criteria/A.1/response"
    failed = staff_client.post(url, data={"response-text": "x" * 10_001})
    assert failed.status_code == 200
    assert "zu lang" in text_of(failed)
    reopened = staff_client.get(url)
    assert reopened.status_code == 302
    assert reopened.headers["Location"] == (
        f"/applications/{submitted}/criteria/A.1#response-title"
    )


def test_post_only_addresses_reopened_lead_to_their_pages(app, staff_client, application_id):
    post_criterion(
        staff_client,
        application_id,
        "A.1",
        criterion_data(file_1=upload(samples.pdf(), "Krisenplan.pdf"), description_1="Plan"),
    )
    file_id = _file_id(app, application_id)
    expected = {
        f"/applications/{application_id}/resubmit": f"/applications/{application_id}",
        f"/applications/{application_id}/files/{file_id}/replace": (
            f"/applications/{application_id}/criteria/A.1"
        ),
        "/applications/start": "/",
    }
    for url, target in expected.items():
        response = staff_client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"] == target, url


def test_shown_password_link_address_reopened_leads_to_the_account(app, setup, make):
    user_id = make.user_id(setup.staff)
    office = app.test_client()
    login(office, setup.office)
    shown = office.post(f"/office/users/{user_id}/password-link")
    assert shown.status_code == 200
    reopened = office.get(f"/office/users/{user_id}/password-link")
    assert reopened.headers["Location"] == f"/office/users/{user_id}/edit"
