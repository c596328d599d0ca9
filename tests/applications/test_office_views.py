"""The office finds submitted applications: counted on its home, linked from a school's page."""

from __future__ import annotations

from tests.applications.test_journey import _complete_everything
from tests.conftest import login, text_of


def test_office_home_counts_submitted_applications(app, setup, staff_client, application_id):
    office = app.test_client()
    login(office, setup.office)
    _complete_everything(staff_client, application_id)
    response = office.get("/")
    assert 'href="/office/applications/"' in response.get_data(as_text=True)
    assert "0 eingereichte Anträge warten auf Gutachtende" in text_of(response)
    staff_client.post(f"/applications/{application_id}/submit")
    assert "1 eingereichter Antrag wartet auf Gutachtende" in text_of(office.get("/"))


def test_office_school_page_links_to_the_schools_applications(
    app, setup, staff_client, application_id
):
    office = app.test_client()
    login(office, setup.office)
    response = office.get(f"/office/schools/{setup.school_id}")
    html = response.get_data(as_text=True)
    assert f'href="/applications/{application_id}"' in html
    assert "Erstantrag" in text_of(response) and "in Bearbeitung" in text_of(response)
    other = text_of(office.get(f"/office/schools/{setup.other_school_id}"))
    assert "Diese Schule hat noch keinen Antrag gestellt." in other
