"""Every PDF the app makes is tagged and accessible (PDF/UA-1), the records (letters, receipts)
archivable (PDF/A-2u): the certificate (unsigned and signed), the feedback letter (awarded and
not awarded), the receipt, the notice-board list, the revoked copy and both printed bundles,
each made from the demo district as the app makes it."""

from __future__ import annotations

import io
import warnings
from datetime import UTC, datetime
from pathlib import Path

import pikepdf
import pytest
import sqlalchemy as sa

from seal_app.applications.models import Receipt
from seal_app.applications.services import catalogue_of
from seal_app.certificates import feedback, issuing, revoked_copy, round_documents, sealed
from seal_app.certificates.document import certificate_pdf
from seal_app.certificates.models import Certificate, Decision, Outcome, PrintKind
from seal_app.extensions import db
from seal_app.local_time import local_today
from seal_app.uploads import store
from tests.documents import pdf_checks as check

RECORDS = ("letter_awarded", "letter_not_awarded", "receipt")
KINDS = (
    "certificate",
    "signed_certificate",
    *RECORDS,
    "notice",
    "revoked_copy",
    "certificates_bundle",
    "letters_bundle",
)
# The roles each kind must hold, and key phrases in reading order.
ROLES = {
    "certificate": {"H1", "P", "Figure"},
    "signed_certificate": {"H1", "P", "Figure"},
    "letter_awarded": {"H1", "H2", "H3", "P", "Figure", "Table", "TR", "TH", "TD"},
    "letter_not_awarded": {"H1", "H2", "P", "Figure", "Table", "TR", "TH", "TD"},
    "receipt": {"H1", "H2", "H3", "H4", "P", "Table", "TR", "TH", "TD"},
    "notice": {"H1", "P", "Table", "TR", "TH", "TD"},
    "revoked_copy": {"H1", "P", "Figure"},
    "certificates_bundle": {"Art", "H1", "P", "Figure"},
    "letters_bundle": {"Art", "H1", "H2", "P", "Figure", "Table", "TH", "TD"},
}
ORDER = {
    "certificate": ["Urkunde", "verliehen an", "Grundschule Bergring", "Gültig vom", "Urkunde Nr."],
    "letter_awarded": [
        "Rückmeldung der Jury",
        "Entscheidung vom",
        "Siegel verliehen",
        "Stufen je Bereich",
        "Bereich",
        "Mittlere vereinbarte Stufe",
        "Punkte nach der Vergaberegel",
        "Stufen je Kriterium",
        "Hinweise für Ihre weitere Arbeit",
    ],
    "letter_not_awarded": ["Rückmeldung der Jury", "Siegel nicht verliehen", "Stufen je Bereich"],
    "receipt": [
        "Eingangsbestätigung",
        "Schule",
        "Regionale Schule Heidberg",
        "Selbsteinschätzung",
        "A.1 Sicherheits- und Krisenkonzept",
        "Voten und Zustimmungen",
        "Nachweise",
        "SHA-256",
        "Fragen",
    ],
    "notice": ["Schulen mit dem Gütesiegel", "Ort", "Schule", "gültig bis", "/verify"],
    "revoked_copy": ["WIDERRUFEN am", "ist nicht gültig", "Stand prüfen", "Urkunde"],
}


@pytest.fixture(scope="module")
def documents(app) -> dict[str, bytes]:
    """One PDF of each kind, made once from the demo district (the database is emptied after
    each test; the PDFs are kept)."""
    assert app.test_cli_runner().invoke(args=["seal", "demo"]).exit_code == 0
    made: dict[str, bytes] = {}
    decision_ids: list[int] = []
    with app.test_request_context():
        certificate = db.session.scalars(
            sa.select(Certificate).where(Certificate.school_name == "Grundschule Bergring")
        ).one()
        made["signed_certificate"] = store.path_of(certificate.stored_name).read_bytes()
        made["certificate"] = certificate_pdf(issuing.text_of(certificate))
        for outcome, name in ((Outcome.AWARDED, "awarded"), (Outcome.NOT_AWARDED, "not_awarded")):
            decision = db.session.scalars(
                sa.select(Decision).where(
                    Decision.released_at.is_not(None), Decision.outcome == outcome
                )
            ).first()
            letter = feedback.feedback_of(
                decision.application, catalogue_of(decision.application), decision
            )
            made[f"letter_{name}"] = feedback.feedback_pdf(letter)
            decision_ids.append(decision.id)
        receipt = db.session.scalars(sa.select(Receipt)).first()
        made["receipt"] = store.path_of(receipt.stored_name).read_bytes()
        today = local_today()
        filters = sealed.Filters()
        made["notice"] = sealed.notice_pdf(sealed.rows(filters, today), filters, today)
        certificate.revoked_at = datetime.now(UTC)
        made["revoked_copy"] = revoked_copy.revoked_copy(made["signed_certificate"], certificate)
        db.session.rollback()
        made.update(_bundles(app, certificate.id, decision_ids))
    return made


def _bundles(app, certificate_id: int, decision_ids: list[int]) -> dict[str, bytes]:
    folder = app.config["PRINT_DIR"]
    bundles = {}
    for kind, ids, name in (
        (PrintKind.CERTIFICATES, [certificate_id] * 3, "certificates_bundle"),
        (PrintKind.FEEDBACK, decision_ids, "letters_bundle"),
    ):
        target = Path(folder) / f"{name}.pdf"
        round_ = db.session.get(Certificate, certificate_id).application.round
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            round_documents.write_round(round_, kind, ids, target, None, lambda _count: None)
        bundles[name] = target.read_bytes()
    return bundles


@pytest.mark.parametrize("kind", KINDS)
def test_every_pdf_is_tagged_with_its_structure(documents, kind):
    data = documents[kind]
    report = check.read(data)
    assert report.roles[0] == "Document"
    assert ROLES[kind] <= set(report.roles), set(report.roles)
    assert report.unmarked == [], "content outside marked content"
    assert report.unmapped == [], "marked content without its element"
    assert check.tagged(data)
    assert check.unembedded_fonts(data) == []


@pytest.mark.parametrize("kind", KINDS)
def test_every_pdf_names_its_language_and_title_and_claims_pdf_ua(documents, kind):
    found = check.catalogue(documents[kind])
    assert found.lang == "de-DE"
    assert found.marked and found.display_title
    assert found.info_title and found.xmp["dc:title"] == found.info_title
    assert found.xmp["pdfuaid:part"] == "1"
    with pikepdf.open(io.BytesIO(documents[kind])) as pdf:
        assert "seal_app" in str(pdf.docinfo.Producer)


@pytest.mark.parametrize("kind", RECORDS)
def test_letters_and_receipts_are_pdf_a_with_an_srgb_output_intent(documents, kind):
    found = check.catalogue(documents[kind])
    assert (found.xmp["pdfaid:part"], found.xmp["pdfaid:conformance"]) == ("2", "U")
    with pikepdf.open(io.BytesIO(documents[kind])) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1" and intent.DestOutputProfile.N == 3
        assert "/Encrypt" not in pdf.trailer


@pytest.mark.parametrize("kind", ORDER)
def test_the_text_reads_in_order(documents, kind):
    text = check.struct_text(documents[kind])
    assert check.in_order(text, ORDER[kind]), text


@pytest.mark.parametrize("kind", ["certificate", "signed_certificate", "revoked_copy"])
def test_the_qr_code_is_a_figure_named_by_the_verification_address(documents, kind):
    report = check.read(documents[kind])
    (figure,) = report.of_role("Figure")
    assert figure.alt.endswith("/verify/2025-001") and figure.alt.startswith("http")
    assert "Urkunde Nr. 2025-001" in check.struct_text(documents[kind])


@pytest.mark.parametrize("kind", ["letter_awarded", "letter_not_awarded", "letters_bundle"])
def test_the_chart_is_a_figure_with_its_numbers_beside_it_in_a_table(documents, kind):
    report = check.read(documents[kind])
    for figure in report.of_role("Figure"):
        assert figure.alt.startswith("Balkendiagramm der mittleren vereinbarten Stufe")
        assert "A: " in figure.alt and "Tabelle" in figure.alt
    assert all(th.scope in ("/Column", "/Row") for th in report.of_role("TH"))
    text = check.struct_text(documents[kind])
    assert check.in_order(text, ["Bereich", "Mittlere vereinbarte Stufe", "A. "])


def test_every_figure_has_alternative_text_and_headers_their_scope(documents):
    for kind in KINDS:
        report = check.read(documents[kind])
        assert all(figure.alt for figure in report.of_role("Figure")), kind
        assert all(th.scope for th in report.of_role("TH")), kind
    receipt = check.read(documents["receipt"])
    scopes = {th.scope for th in receipt.of_role("TH")}
    assert scopes == {"/Row", "/Column"}  # the facts by row, the lists by column


def test_the_footer_and_page_numbers_are_page_furniture(documents):
    text = check.struct_text(documents["receipt"])
    assert "Seite 1 von" not in text  # an artifact, not read as content
    assert "Seite 1 von" in check.poppler("pdftotext", documents["receipt"], "-layout")


def test_the_signed_certificate_keeps_its_structure_tree(documents):
    signed, unsigned = documents["signed_certificate"], documents["certificate"]
    assert b"/ByteRange" in signed
    with pikepdf.open(io.BytesIO(signed)) as pdf:
        assert pdf.Root.AcroForm.Fields[0].FT == "/Sig"
        assert "/StructTreeRoot" in pdf.Root
    assert check.read(signed).roles == check.read(unsigned).roles


def test_the_bundles_keep_each_document_as_an_article(documents):
    certificates = check.read(documents["certificates_bundle"])
    assert certificates.roles.count("Art") == 3 and certificates.roles.count("H1") == 3
    letters = check.read(documents["letters_bundle"])
    assert letters.roles.count("Art") == 2
    ids = [element.id for element in letters.of_role("TH") if element.id]
    assert ids
    assert len(ids) == len(set(ids))  # header ids unique across the letters
    text = check.struct_text(documents["letters_bundle"])
    assert check.in_order(text, ["Siegel verliehen", "Rückmeldung der Jury", "nicht verliehen"])
