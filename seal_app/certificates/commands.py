"""``flask seal check-signing``: can the app sign, and which PAdES level do its documents get?

Prints the key, the certificate's subject and validity, the time-stamping authority setting,
signs a one-page test PDF and reads the level back. Exits 1 when signing cannot work (no key,
a pair that does not fit, an expired certificate, a test signature that does not verify); an
authority that fails is a warning only, since signing then goes on with PAdES B-B and the
time-stamps are added later.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import click
from cryptography import x509
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from reportlab.pdfgen import canvas

from seal_app.certificates import signing, timestamps


@click.command("check-signing")
@with_appcontext
def check_signing_command() -> None:
    """Signaturschlüssel, Zertifikat und Zeitstempeldienst prüfen (PAdES-Niveau)."""
    config = current_app.config
    click.echo(_("Schlüssel: %(file)s", file=config["SIGNING_KEY_FILE"]))
    try:
        signer = signing.signer()
    except signing.SigningError as error:
        raise click.ClickException(str(error)) from error
    certificate = x509.load_pem_x509_certificate(Path(config["SIGNING_CERT_FILE"]).read_bytes())
    _describe(certificate)
    if certificate.not_valid_after_utc < datetime.now(UTC):
        raise click.ClickException(_("Das Signaturzertifikat ist abgelaufen."))
    chain = config.get("SIGNING_CHAIN_FILE")
    click.echo(_("Zertifikatskette: %(file)s", file=chain or _("keine (SEAL_SIGNING_CHAIN_FILE)")))
    tsa = config.get("TSA_URL")
    click.echo(_("Zeitstempeldienst: %(url)s", url=tsa or _("nicht gesetzt (SEAL_TSA_URL)")))
    timestamps.reset()
    try:
        signed = signing.sign_document(_test_pdf(), "Probesignatur", signer)
    except Exception as error:  # whatever stops signing is what the operator must see
        message = _("Die Probesignatur schlug fehl: %(error)s", error=error)
        raise click.ClickException(message) from error
    check, facts = signing.check(signed.data), signing.facts(signed.data)
    if not check.ok or facts is None or facts.level is None:
        raise click.ClickException(_("Die Probesignatur lässt sich nicht prüfen."))
    if signed.timestamp_pending:
        click.echo(
            _(
                "WARNUNG: Der Zeitstempeldienst gab keinen Zeitstempel (%(reason)s). Dokumente "
                "werden mit PAdES B-B signiert und zum Nachholen des Zeitstempels vorgemerkt.",
                reason=timestamps.last_failure,
            )
        )
    elif not tsa:
        click.echo(
            _(
                "Ohne Zeitstempeldienst tragen die Signaturen keine vertrauenswürdige Zeit und "
                "keine Prüfdaten (PAdES B-B): Nach Ablauf des Signaturzertifikats lassen sie "
                "sich nicht mehr ohne Weiteres prüfen. SEAL_TSA_URL setzt einen Dienst."
            )
        )
    click.echo(_("Erreichtes Niveau: PAdES %(level)s", level=facts.level))


def _describe(certificate: x509.Certificate) -> None:
    click.echo(_("Zertifikat: %(subject)s", subject=certificate.subject.rfc4514_string()))
    click.echo(
        _(
            "Gültig vom %(start)s bis %(end)s",
            start=certificate.not_valid_before_utc.date().isoformat(),
            end=certificate.not_valid_after_utc.date().isoformat(),
        )
    )


def _test_pdf() -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Probesignatur")
    page.save()
    return buffer.getvalue()


COMMANDS = (check_signing_command,)
