"""PAdES B-T/B-LT with a time-stamping authority on loopback, and what happens when it is down
or answers garbage: signing goes on (B-B), the document is marked, the worker adds the
time-stamp later."""

from __future__ import annotations

import hashlib
import io
import logging
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from asn1crypto import x509 as asn1_x509
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from seal_app.applications.models import Receipt
from seal_app.audit.models import AuditEntry
from seal_app.certificates import commands, signing, timestamp_retry, timestamps
from seal_app.certificates.models import Certificate, FeedbackLetter
from seal_app.extensions import db
from seal_app.uploads.store import path_of
from tests.certificates.certificate_setup import award
from tests.certificates.pades_setup import documents_of_record, pdfsig_types
from tests.tsa_server import LocalTSA, closed_port_url, start_tsa, write_pair

DOCUMENTS = (Certificate, FeedbackLetter, Receipt)


@pytest.fixture
def tsa(app, monkeypatch, tmp_path) -> LocalTSA:
    """The local authority, set as the app's TSA with its root trusted."""
    server = start_tsa()
    monkeypatch.setitem(app.config, "TSA_URL", server.url)
    monkeypatch.setitem(
        app.config, "TSA_ROOTS_FILE", str(server.ca.write_root(tmp_path / "tsa-root.pem"))
    )
    timestamps.reset()
    yield server
    server.stop()
    timestamps.reset()


def _facts(app, data: bytes):
    with app.app_context():
        return signing.facts(data)


def _dss_certificates(data: bytes) -> list:
    reader = PdfFileReader(io.BytesIO(data))
    return [
        asn1_x509.Certificate.load(item.get_object().data) for item in reader.root["/DSS"]["/Certs"]
    ]


def test_with_the_authority_every_document_is_b_lt(app, agreed, tsa):
    award(app, agreed)
    documents = documents_of_record(app, agreed.application_id)
    assert len(tsa.requests) >= 3  # the app asked the authority over HTTP for each
    for kind, data in documents.items():
        assert pdfsig_types(data) == ["ETSI.CAdES.detached"], kind
        facts = _facts(app, data)
        assert facts.level == "B-LT", kind
        assert facts.timestamp.authority == "Test-Zeitstempeldienst 1 (Test-Zeitstempeldienst)"
        assert abs(facts.timestamp.at - facts.signed_at) < timedelta(minutes=1)
        assert len(_dss_certificates(data)) >= 2, kind  # signer and the authority's chain
    with app.app_context():
        for model in DOCUMENTS:
            assert not db.session.scalar(sa.select(sa.func.count()).where(model.timestamp_pending))


def _validated_later(data: bytes, roots: list, later) -> bool:
    """Long-term validation at ``later``: the time-stamp is checked at ``later``, the signing
    certificate at the time-stamp's time, with only what the file carries (no fetching)."""
    signature = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
    at_time = validate_pdf_signature(
        signature,
        ValidationContext(trust_roots=roots, moment=later, allow_fetching=False),
        ts_validation_context=ValidationContext(
            trust_roots=roots, moment=later, allow_fetching=False
        ),
    )
    stamp = at_time.timestamp_validity
    if stamp is None or not (stamp.intact and stamp.valid and stamp.trusted):
        return bool(at_time.bottom_line)
    embedded = _dss_certificates(data)
    at_stamp = validate_pdf_signature(
        signature,
        ValidationContext(
            trust_roots=roots, other_certs=embedded, moment=stamp.timestamp, allow_fetching=False
        ),
    )
    return bool(at_stamp.intact and at_stamp.valid and at_stamp.trusted)


def test_a_b_lt_signature_still_validates_after_the_certificate_expired(
    app, tsa, monkeypatch, tmp_path
):
    """A signing certificate of the test CA valid for two hours; validated three days later,
    the B-LT signature holds, a B-B signature by the same certificate does not."""
    key, certificate = tsa.ca.issue("Landkreis Rostock Kurzzeit", valid_for=timedelta(hours=2))
    key_file, cert_file = write_pair(key, certificate, tmp_path / "short")
    monkeypatch.setitem(app.config, "SIGNING_KEY_FILE", str(key_file))
    monkeypatch.setitem(app.config, "SIGNING_CERT_FILE", str(cert_file))
    unsigned = commands._test_pdf()
    with app.app_context():
        long_term = signing.sign_document(unsigned, "Probe")
        monkeypatch.setitem(app.config, "TSA_URL", None)
        basic = signing.sign_document(unsigned, "Probe")
    assert not long_term.timestamp_pending and _facts(app, long_term.data).level == "B-LT"
    assert _facts(app, basic.data).level == "B-B"
    roots = [load_cert_from_pemder(str(tmp_path / "tsa-root.pem"))]
    later = certificate.not_valid_after_utc + timedelta(days=3)
    assert _validated_later(long_term.data, roots, later)
    assert not _validated_later(basic.data, roots, later)


@pytest.mark.parametrize("failure", ["down", "garbage"])
def test_a_failing_authority_marks_the_documents_and_the_worker_stamps_them_later(
    app, agreed, tsa, monkeypatch, caplog, failure
):
    if failure == "down":
        monkeypatch.setitem(app.config, "TSA_URL", closed_port_url())
    else:
        tsa.mode = "garbage"
    with caplog.at_level(logging.WARNING, logger="seal_app.certificates.timestamps"):
        award(app, agreed)  # the release signs certificate and letter: no 500, no refusal
        before = documents_of_record(app, agreed.application_id)
    assert "gave no time-stamp" in caplog.text and "marked for a document time-stamp" in caplog.text
    for kind, data in before.items():
        assert _facts(app, data).level == "B-B", kind
    with app.app_context():
        pending = _pending(app)
        assert sorted(model.__tablename__ for model, _id, _name in pending) == [
            "certificates",
            "feedback_letters",
            "receipts",
        ]
        assert timestamp_retry.add_pending_timestamps() == 0  # still failing: nothing changes
        assert _pending(app) == pending
        assert all(path_of(name).is_file() for _model, _id, name in pending)

    monkeypatch.setitem(app.config, "TSA_URL", tsa.url)
    tsa.mode = "ok"
    with app.app_context():
        assert timestamp_retry.add_pending_timestamps() == 3
        assert _pending(app) == []
        for model, document_id, old_name in pending:
            document = db.session.get(model, document_id)
            data = path_of(document.stored_name).read_bytes()
            assert hashlib.sha256(data).hexdigest() == document.sha256
            assert document.size == len(data)
            assert not path_of(old_name).exists()  # the old file is gone after the commit
            facts = signing.facts(data)
            assert facts.level == "B-LT" and facts.timestamp is not None
            assert signing.check(data).ok  # the original signature is still intact
            assert pdfsig_types(data)[0] == "ETSI.CAdES.detached"
        entries = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "document.timestamp_added")
        ).all()
        assert len(entries) == 3


def _pending(app) -> list[tuple]:
    rows = []
    for model in DOCUMENTS:
        query = sa.select(model.id, model.stored_name).where(model.timestamp_pending)
        rows += [(model, row.id, row.stored_name) for row in db.session.execute(query)]
    return rows


def test_the_verify_page_shows_signing_time_time_stamp_and_authority(app, agreed, tsa):
    award(app, agreed)
    with app.app_context():
        certificate = db.session.scalar(sa.select(Certificate))
        number, data = certificate.number, path_of(certificate.stored_name).read_bytes()
    page = app.test_client().get(f"/verify/{number}").get_data(as_text=True)
    assert "Signiert am" in page and "PAdES B-LT" in page
    assert "Zeitstempel" in page and "von Test-Zeitstempeldienst 1" in page
    answer = app.test_client().post(
        f"/verify/{number}", data={"file": (io.BytesIO(data), "urkunde.pdf")}
    )
    assert "Gefundenes Signaturniveau: PAdES B-LT." in answer.get_data(as_text=True)


def test_check_signing_names_the_level_reached(app, tsa, monkeypatch, tmp_path):
    runner = app.test_cli_runner()
    with_tsa = runner.invoke(args=["seal", "check-signing"])
    assert with_tsa.exit_code == 0, with_tsa.output
    assert "Zeitstempeldienst: http://127.0.0.1:" in with_tsa.output
    assert "Erreichtes Niveau: PAdES B-LT" in with_tsa.output

    monkeypatch.setitem(app.config, "TSA_URL", None)
    without = runner.invoke(args=["seal", "check-signing"])
    assert without.exit_code == 0 and "Erreichtes Niveau: PAdES B-B" in without.output
    assert "nicht gesetzt (SEAL_TSA_URL)" in without.output

    monkeypatch.setitem(app.config, "TSA_URL", closed_port_url())
    down = runner.invoke(args=["seal", "check-signing"])
    assert down.exit_code == 0 and "WARNUNG: Der Zeitstempeldienst" in down.output
    assert "Erreichtes Niveau: PAdES B-B" in down.output

    monkeypatch.setitem(app.config, "SIGNING_KEY_FILE", str(tmp_path / "missing.pem"))
    broken = runner.invoke(args=["seal", "check-signing"])
    assert broken.exit_code == 1 and "SEAL_SIGNING_KEY_FILE" in broken.output


def test_flask_seal_verify_reports_the_level(app, agreed, tsa, tmp_path: Path):
    award(app, agreed)
    with app.app_context():
        certificate = db.session.scalar(sa.select(Certificate))
        target = tmp_path / "urkunde.pdf"
        target.write_bytes(path_of(certificate.stored_name).read_bytes())
    result = app.test_cli_runner().invoke(args=["seal", "verify", str(target)])
    assert result.exit_code == 0, result.output
    assert "Gefundenes Signaturniveau: PAdES B-LT." in result.output
