"""Benchmark: certificates drawn with the app's code next to a bare reportlab canvas drawing the
same text, QR code and a seal of circles and letters (both unsigned, both with the embedded
DejaVu fonts), for N = 60 and 600; the peak memory (RSS) of the app's run, each N measured in
a fresh process so that the figures do not mix; and for the largest N the signing on its own,
PAdES B-B and B-LT (a time-stamping authority on loopback, ``tests/tsa_server.py``): time per
signature and the file sizes bare, unsigned and signed.

    PYTHONPATH=. .venv/bin/python benchmarks/certificates.py [--counts 60 600]

Target: the app within 1.5x of the bare canvas before signing, and memory that does not grow
with N (each certificate is written out and dropped before the next one is drawn).
"""

from __future__ import annotations

import io
import math
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.pdfgen.canvas import Canvas

from benchmarks.measuring import counts_or_one_run, in_fresh_process
from seal_app import pdf
from seal_app.certificates.document import CertificateText, certificate_pdf, german_date

SIGNATORIES = (
    ("Maria Muster", "Landrätin des Landkreises Rostock"),
    ("Jan Beispiel", "Vorsitzender des Kommunalen Präventionsrates"),
)


def text_for(number: int) -> CertificateText:
    return CertificateText(
        number=f"2027-{number:03d}",
        school=f"Grundschule „Am Mühlenteich“ Nr. {number}",
        town="Güstrow",
        round_title="Vergaberunde 2027",
        issued_on=date(2027, 11, 26),
        valid_until=date(2032, 11, 25),
        verify_url=f"https://siegel.example.org/verify/2027-{number:03d}",
        issuers="Landkreis Rostock · Kommunaler Präventionsrat",
        signatories=SIGNATORIES,
        author="Büro für Gleichstellung und Kriminalprävention",
    )


def bare_pdf(text: CertificateText) -> bytes:
    """The same words, QR code and a plain seal, without the app's layout helpers."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, initialFontName=pdf.REGULAR)
    width, height = pdf.PAGE_SIZE
    canvas.circle(width / 2, height - 220, 95, stroke=1, fill=1)
    canvas.setFont(pdf.BOLD, 16)
    for index, char in enumerate("SICHERHEIT MACHT SCHULE"):
        angle = math.pi * (0.9 - index / 28)
        canvas.drawCentredString(
            width / 2 + 80 * math.cos(angle), height - 220 + 80 * math.sin(angle), char
        )
    lines = [
        (text.issuers, 10),
        ("Urkunde", 34),
        ("Gütesiegel „Sicherheit macht Schule“", 15),
        ("verliehen an", 11),
        (text.school, 22),
        (text.town, 13),
        (f"Die Schule hat in der {text.round_title} nachgewiesen, dass sie Sicherheit,", 11),
        ("Gewaltprävention und Gesundheit vorbildlich in ihrem Schulalltag verankert.", 11),
        (f"Gültig vom {german_date(text.issued_on)} bis {german_date(text.valid_until)}", 12),
        (f"Ausgestellt am {german_date(text.issued_on)}", 10),
        *((f"{name} – {title}", 9) for name, title in text.signatories),
        (f"Urkunde Nr. {text.number} · {text.verify_url}", 8),
    ]
    y = height - 380
    for line, size in lines:
        canvas.setFont(pdf.REGULAR, size)
        canvas.drawCentredString(width / 2, y, line)
        y -= size * 1.8
    drawing = Drawing(68, 68)
    qr = QrCodeWidget(text.verify_url)
    qr.barWidth = qr.barHeight = 68
    drawing.add(qr)
    renderPDF.draw(drawing, canvas, width - 140, 60)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def run(kind: str, count: int) -> dict:
    """Draw ``count`` certificates one after the other, each written to a file and dropped."""
    pdf.register_fonts()
    draw = certificate_pdf if kind == "app" else bare_pdf
    draw(text_for(0))  # warm up fonts and caches
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "out.pdf"
        started = time.perf_counter()
        for number in range(1, count + 1):
            target.write_bytes(draw(text_for(number)))
        seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "peak_mib": peak_kib / 1024}


def signing_figures(count: int, with_tsa: bool) -> dict:
    """Sign ``count`` different certificates as the app does (PAdES B-B; with a time-stamping
    authority on loopback B-LT): time per signature and the average sizes of the bare
    reportlab file, the app's unsigned file and the signed one."""
    from flask import Flask

    from seal_app.certificates import signing
    from tests.tsa_server import start_tsa

    pdf.register_fonts()
    with tempfile.TemporaryDirectory() as folder:
        key, cert = Path(folder) / "key.pem", Path(folder) / "cert.pem"
        signing.make_self_signed(key, cert, "Benchmark")
        app = Flask(__name__)
        app.config.update(SIGNING_CERT_FILE=str(cert), TSA_URL=None, TSA_TIMEOUT_SECONDS=10)
        tsa = start_tsa() if with_tsa else None
        if tsa is not None:
            root = tsa.ca.write_root(Path(folder) / "tsa-root.pem")
            app.config.update(TSA_URL=tsa.url, TSA_ROOTS_FILE=str(root))
        signer = signing._load(key, cert)
        documents = [certificate_pdf(text_for(number)) for number in range(1, count + 1)]
        bare = sum(len(bare_pdf(text_for(number))) for number in range(1, count + 1))
        with app.app_context():
            signing.sign_document(documents[0], "Urkunde ausgestellt", signer)  # warm up
            started = time.perf_counter()
            signed = [
                signing.sign_document(data, "Urkunde ausgestellt", signer) for data in documents
            ]
            seconds = time.perf_counter() - started
        if tsa is not None:
            tsa.stop()
    assert not any(item.timestamp_pending for item in signed)
    return {
        "ms": seconds / count * 1000,
        "bare_kb": bare / count / 1000,
        "unsigned_kb": sum(map(len, documents)) / count / 1000,
        "signed_kb": sum(len(item.data) for item in signed) / count / 1000,
    }


def main() -> None:
    counts = counts_or_one_run(__doc__.splitlines()[0], run)
    if counts is None:
        return
    print(f"{'N':>5} {'app s':>8} {'bare s':>8} {'ratio':>6} {'app peak MiB':>13}")
    for count in counts:
        app = in_fresh_process(__file__, "app", str(count))
        bare = in_fresh_process(__file__, "bare", str(count))
        print(
            f"{count:>5} {app['seconds']:>8.2f} {bare['seconds']:>8.2f} "
            f"{app['seconds'] / bare['seconds']:>6.2f} {app['peak_mib']:>13.1f}"
        )
    print(f"{'signed':>10} {'N':>5} {'ms each':>8} {'bare kB':>8} {'app kB':>7} {'signed kB':>10}")
    for level, with_tsa in (("B-B", False), ("B-LT", True)):
        figures = signing_figures(counts[-1], with_tsa)
        print(
            f"{level:>10} {counts[-1]:>5} {figures['ms']:>8.1f} {figures['bare_kb']:>8.1f} "
            f"{figures['unsigned_kb']:>7.1f} {figures['signed_kb']:>10.1f}"
        )


if __name__ == "__main__":
    main()
