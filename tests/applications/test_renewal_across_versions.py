"""A renewal on a newer catalogue version: answers and evidence carried over where the
criterion's code is kept, the rest dropped, and the renewal's pages name what is new."""

from __future__ import annotations

import sqlalchemy as sa

from seal_app.auth.models import User
from seal_app.catalogue import versions
from seal_app.extensions import db
from tests.applications import samples
from tests.applications.conftest import criterion_data, load, post_criterion, upload
from tests.applications.test_journey import (
    MANDATORY,
    _award,
    _complete_everything,
    _start_renewal,
)
from tests.catalogue.samples import NEW_A1, OLD_A1, next_version
from tests.conftest import text_of


def _add_next_version(app, office_email: str) -> None:
    with app.app_context():
        office = db.session.scalar(sa.select(User).where(User.email == office_email))
        versions.add_version(versions.check_text(next_version(), "2027.1.yaml"), office)
        db.session.commit()


def test_renewal_maps_kept_answers_and_lists_what_is_new(app, setup, staff_client, application_id):
    _complete_everything(staff_client, application_id)
    dropped = criterion_data(
        file_1=upload(samples.pdf("Kooperation Polizei"), "polizei.pdf"),
        description_1="Kooperationsvertrag",
    )
    assert post_criterion(staff_client, application_id, "A.3", dropped).status_code == 302
    assert staff_client.post(f"/applications/{application_id}/submit").status_code == 302
    _add_next_version(app, setup.office)

    # the open round keeps the version it was opened with: old text, A.3 still there
    page = text_of(staff_client.get(f"/applications/{application_id}/criteria/A.1"))
    assert OLD_A1 in page and NEW_A1 not in page
    assert staff_client.get(f"/applications/{application_id}/criteria/A.3").status_code == 200
    assert staff_client.get(f"/applications/{application_id}/criteria/B.4").status_code == 404

    _award(app, application_id)
    renewal_id = _start_renewal(app, setup, staff_client, "2027.1")

    renewal = load(app, renewal_id)
    assert renewal.round.catalogue_version == "2027.1"
    assert {answer.criterion_code for answer in renewal.answers} == set(MANDATORY)
    assert {file.criterion_code for file in renewal.files} == set(MANDATORY)
    a1 = renewal.answer_for("A.1")
    assert a1.carried_over and a1.self_rating == 2 and a1.measures.startswith("Wir haben")

    overview = staff_client.get(f"/applications/{renewal_id}")
    text = text_of(overview)
    assert "Neue Fassung des Kriterienkatalogs: 2027.1 statt 2026.1" in text
    assert "Neu in dieser Fassung: B.4 Schutzkonzept gegen sexualisierte Gewalt" in text
    assert "Neu formuliert (bitte übernommene Angaben prüfen): A.1" in text
    assert (
        "Nicht mehr im Katalog: A.3 Zusammenarbeit mit Polizei und Feuerwehr "
        "(Ihre Angaben dazu wurden nicht übernommen)"
    ) in text
    assert f'href="/applications/{renewal_id}/criteria/B.4"' in overview.get_data(as_text=True)
    assert "neu in dieser Fassung" in text  # the badge beside B.4 in the task list
    area = text_of(staff_client.get(f"/applications/{renewal_id}/renewal/B"))
    assert "Neu in dieser Fassung: B.4 Schutzkonzept gegen sexualisierte Gewalt" in area
    criterion = text_of(staff_client.get(f"/applications/{renewal_id}/criteria/A.1"))
    assert NEW_A1 in criterion and "Wir haben ein Krisenteam" in criterion


def test_a_renewal_on_the_same_version_tells_nothing_new(app, setup, staff_client, application_id):
    _complete_everything(staff_client, application_id)
    staff_client.post(f"/applications/{application_id}/submit")
    _award(app, application_id)
    renewal_id = _start_renewal(app, setup, staff_client)
    overview = text_of(staff_client.get(f"/applications/{renewal_id}"))
    assert "Verlängerungsantrag" in overview
    assert "Neue Fassung des Kriterienkatalogs" not in overview
