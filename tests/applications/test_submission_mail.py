"""The school's staff hear by e-mail that the application is in, with the receipt attached:
through the real queue, once."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa

from seal_app.applications.models import Receipt
from seal_app.extensions import db
from tests.applications.test_journey import _complete_everything
from tests.conftest import login
from tests.notifications.delivery import (
    attachment,
    check_form,
    delivered,
    path_of_link,
    send_everything_again,
    worker,
)


def test_the_staff_get_the_receipt_by_mail(
    app, setup, staff_client, application_id, mail_server, tmp_path
):
    _complete_everything(staff_client, application_id)
    with worker(app, tmp_path):
        assert staff_client.post(f"/applications/{application_id}/submit").status_code == 302
        mails = delivered(mail_server, 2)
    with app.app_context():
        receipt = db.session.scalar(sa.select(Receipt))
        year = receipt.application.round.year
    assert {mail.recipients[0] for mail in mails} == {setup.staff, setup.colleague}
    for mail in mails:
        assert mail.subject == f"Antrag eingegangen: Grundschule am Wall, Vergaberunde {year}"
        assert receipt.sha256 in mail.text
        check_form(mail, attachments=1)
        pdf = attachment(mail, "application/pdf")
        assert pdf.get_filename() == f"Eingangsbestaetigung-75001-{year}.pdf"
        assert hashlib.sha256(pdf.get_content()).hexdigest() == receipt.sha256
        reader = app.test_client()
        login(reader, mail.recipients[0])
        page = reader.get(path_of_link(mail))
        assert page.status_code == 200 and path_of_link(mail).endswith("/submitted")
    send_everything_again(app, mail_server)
