"""PAdES baseline B-B on every document of record: certificates, feedback letters, receipts."""

from __future__ import annotations

import hashlib
import io
import subprocess
from pathlib import Path

import pikepdf
import weasyprint
from PIL import Image, ImageChops
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from seal_app.applications.models import Application
from seal_app.applications.services import catalogue_of
from seal_app.certificates import feedback, issuing, letters, signing
from seal_app.certificates.decisions import decision_of
from seal_app.certificates.document import certificate_pdf
from seal_app.extensions import db
from tests.certificates.pades_setup import documents_of_record, pdfsig_types, tagged
from tests.reviews.jury_setup import client_of


def test_every_document_of_record_carries_a_pades_signature(app, awarded):
    documents = documents_of_record(app, awarded.application_id)
    assert set(documents) == {"Urkunde", "Rückmeldung", "Eingangsbestätigung"}
    for kind, data in documents.items():
        assert pdfsig_types(data) == ["ETSI.CAdES.detached"], kind
        with app.app_context():
            facts = signing.facts(data)
        assert facts.level == "B-B", kind
        assert facts.signing_certificate_v2 and facts.signed_at is not None, kind
        assert facts.timestamp is None, kind


def test_signing_keeps_what_poppler_says_about_tagging(app, awarded):
    """Signing is an incremental update: a document is tagged after signing exactly when it
    was before (the unsigned bytes are the signed file's first revision)."""
    with app.app_context():
        application = db.session.get(Application, awarded.application_id)
        decision = decision_of(application.id)
        content = feedback.feedback_of(application, catalogue_of(application), decision)
        unsigned = {
            "Urkunde": certificate_pdf(issuing.text_of(issuing.certificate_of(application.id))),
            "Rückmeldung": feedback.feedback_pdf(content),
        }
    documents = documents_of_record(app, awarded.application_id)
    for kind, data in unsigned.items():
        assert tagged(documents[kind]) == tagged(data), kind


def test_a_tagged_pdf_a_stays_tagged_and_pdf_a_after_signing(app):
    html = (
        '<html lang="de"><head><title>Rückmeldung</title></head><body>'
        "<h1>Rückmeldung der Jury</h1><p>Stärken der Schule: Streitschlichtung.</p>"
        "</body></html>"
    )
    unsigned = weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/a-2u", pdf_tags=True)
    assert tagged(unsigned) == "yes"
    with app.app_context():
        signed = signing.sign_document(unsigned, "Rückmeldung der Jury").data
    assert signed.startswith(unsigned)  # incremental: the original bytes are untouched
    assert tagged(signed) == "yes"
    assert pdfsig_types(signed) == ["ETSI.CAdES.detached"]
    with pikepdf.open(io.BytesIO(signed)) as document:
        assert "/StructTreeRoot" in document.Root
        assert document.open_metadata().get("pdfaid:part") == "2"


def test_pyhanko_finds_the_signature_intact_valid_and_trusted_with_our_certificate(app, awarded):
    documents = documents_of_record(app, awarded.application_id)
    ours = load_cert_from_pemder(app.config["SIGNING_CERT_FILE"])
    for kind, data in documents.items():
        signature = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
        untrusting = validate_pdf_signature(
            signature, ValidationContext(trust_roots=[], allow_fetching=False)
        )
        assert untrusting.intact and untrusting.valid and not untrusting.trusted, kind
        trusting = validate_pdf_signature(
            signature, ValidationContext(trust_roots=[ours], allow_fetching=False)
        )
        assert trusting.intact and trusting.valid and trusting.trusted, kind
        changed = bytearray(data)
        changed[200] ^= 0x01  # one byte of the signed content
        flipped = PdfFileReader(io.BytesIO(bytes(changed)), strict=False).embedded_signatures[0]
        assert not validate_pdf_signature(flipped, ValidationContext(trust_roots=[])).intact, kind


def test_the_feedback_letter_is_stored_at_release_and_served_as_stored(app, awarded, monkeypatch):
    with app.app_context():
        letter = letters.letter_of(decision_of(awarded.application_id).id)
        stored_sha256 = letter.sha256
    assert letter is not None

    def no_rebuild(*args, **kwargs):
        raise AssertionError("the letter must not be made again")

    monkeypatch.setattr(feedback, "feedback_pdf", no_rebuild)
    client = client_of(app, awarded.staff)
    answer = client.get(f"/applications/{awarded.application_id}/feedback.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert hashlib.sha256(answer.data).hexdigest() == stored_sha256
    assert "filename=Rueckmeldung-75001-" in answer.headers["Content-Disposition"]
    assert pdfsig_types(answer.data) == ["ETSI.CAdES.detached"]


def test_a_decision_released_before_letters_were_kept_gets_its_letter_at_download(app, awarded):
    with app.app_context():
        db.session.delete(letters.letter_of(decision_of(awarded.application_id).id))
        db.session.commit()
    client = client_of(app, awarded.staff)
    first = client.get(f"/applications/{awarded.application_id}/feedback.pdf").data
    second = client.get(f"/applications/{awarded.application_id}/feedback.pdf").data
    assert first == second and pdfsig_types(first) == ["ETSI.CAdES.detached"]
    with app.app_context():
        letter = letters.letter_of(decision_of(awarded.application_id).id)
        assert letter.sha256 == hashlib.sha256(first).hexdigest()


def test_signing_changes_nothing_visible(app, awarded, tmp_path: Path):
    """The signed certificate looks exactly like the unsigned one, pixel for pixel."""
    with app.app_context():
        certificate = issuing.certificate_of(awarded.application_id)
        unsigned = certificate_pdf(issuing.text_of(certificate))
    signed = documents_of_record(app, awarded.application_id)["Urkunde"]
    pictures = []
    for name, data in (("unsigned", unsigned), ("signed", signed)):
        (tmp_path / f"{name}.pdf").write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", f"{name}.pdf", name],
            cwd=tmp_path,
            check=True,
        )
        [picture] = tmp_path.glob(f"{name}-*.png")
        pictures.append(Image.open(picture).convert("RGB"))
    assert ImageChops.difference(*pictures).getbbox() is None
