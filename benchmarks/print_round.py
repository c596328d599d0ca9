"""Benchmark: printing a whole round as the worker does it (one PDF and one ZIP), for N = 60
and 600 certificates and feedback letters: time, and the memory (RSS) at the start and the
highest during the run (sampled after each document), each in a fresh process on a throwaway
SQLite instance with the demo data.

    PYTHONPATH=. .venv/bin/python benchmarks/print_round.py [--counts 60 600]

The demo's one certificate and one released decision are printed N times each (the same work
per document as N different ones: each is read, drawn, added to the PDF and to the ZIP).
Target: memory that does not grow with N (one document is held at a time; reportlab keeps
only the finished, compressed pages of the one PDF).
"""

from __future__ import annotations

import gc
import resource
import tempfile
import time
import warnings
from pathlib import Path

from benchmarks.measuring import counts_or_one_run, in_fresh_process


def run(kind: str, count: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        app = _app(Path(folder))
        with app.app_context():
            return _measure(app, kind, count, Path(folder))


def rss_mib() -> float:
    """The process's resident memory now (Linux), in MiB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def _app(folder: Path):
    from seal_app import create_app
    from seal_app.certificates.signing import make_self_signed
    from seal_app.extensions import db

    make_self_signed(folder / "key.pem", folder / "cert.pem", "Benchmark")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'seal.sqlite'}",
            "UPLOAD_DIR": str(folder / "uploads"),
            "PRINT_DIR": str(folder / "print"),
            "SIGNING_KEY_FILE": str(folder / "key.pem"),
            "SIGNING_CERT_FILE": str(folder / "cert.pem"),
            "TASK_QUEUE_IMMEDIATE": True,
        }
    )
    with app.app_context():
        db.create_all()
    result = app.test_cli_runner().invoke(args=["seal", "demo"])
    assert result.exit_code == 0, result.output
    return app


def _measure(app, kind: str, count: int, folder: Path) -> dict:
    import sqlalchemy as sa

    from seal_app.certificates import round_documents
    from seal_app.certificates.models import Certificate, Decision, PrintKind
    from seal_app.extensions import db

    if kind == "certificates":
        query = sa.select(Certificate).order_by(Certificate.id)
    else:
        query = sa.select(Decision).where(Decision.released_at.is_not(None)).order_by(Decision.id)
    item = db.session.scalars(query).first()
    round_ = item.application.round
    ids = [item.id] * count
    print_kind = PrintKind(kind)
    pdf_target, zip_target = folder / "round.pdf", folder / "round.zip"
    # warm up fonts and caches with one document
    round_documents.write_round(round_, print_kind, ids[:1], pdf_target, None, lambda done: None)
    gc.collect()
    before = rss_mib()
    samples = [before]

    def advance(done: int) -> None:
        db.session.commit()  # as the worker does after each document
        samples.append(rss_mib())

    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the same file name N times in the ZIP
        round_documents.write_round(round_, print_kind, ids, pdf_target, zip_target, advance)
    seconds = time.perf_counter() - started
    samples.append(rss_mib())  # after the PDF is written out
    return {
        "seconds": seconds,
        "before_mib": before,
        "peak_mib": max(samples),
        "pdf_mb": pdf_target.stat().st_size / 1e6,
        "zip_mb": zip_target.stat().st_size / 1e6,
    }


def main() -> None:
    counts = counts_or_one_run(__doc__.splitlines()[0], run)
    if counts is None:
        return
    print(
        f"{'what':<13} {'N':>5} {'s':>7} {'ms/doc':>7} {'RSS start':>10} {'RSS max':>8} "
        f"{'PDF MB':>7} {'ZIP MB':>7}"
    )
    for kind in ("certificates", "feedback"):
        for count in counts:
            figures = in_fresh_process(__file__, kind, str(count))
            print(
                f"{kind:<13} {count:>5} {figures['seconds']:>7.1f} "
                f"{figures['seconds'] / count * 1000:>7.1f} {figures['before_mib']:>9.1f}M "
                f"{figures['peak_mib']:>7.1f}M {figures['pdf_mb']:>7.1f} {figures['zip_mb']:>7.1f}"
            )


if __name__ == "__main__":
    main()
