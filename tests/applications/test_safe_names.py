"""Names in the evidence archive: safe on every system, kept readable, unique per folder."""

from __future__ import annotations

import unicodedata

import pytest

from seal_app.applications.safe_names import Folder, safe_name


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "_._etc_passwd"),
        ("..", "Datei"),
        ("a/b.pdf", "a_b.pdf"),
        ("a\\b.pdf", "a_b.pdf"),
        ("CON.pdf", "_CON.pdf"),
        ("con", "_con"),
        ("LPT1.tar.gz", "_LPT1.tar.gz"),
        ("Bericht: Übung?*.pdf", "Bericht_ Übung__.pdf"),
        ("Zeile\neins\x00\u202e.pdf", "Zeile_eins__.pdf"),
        ("  Plan.pdf. ", "Plan.pdf"),
        (".versteckt", "versteckt"),
        ("..pdf", "Datei.pdf"),
        ("  .pdf", "Datei.pdf"),
        (". . .PNG", "Datei.PNG"),
        ("pdf", "pdf"),
    ],
)
def test_hostile_names_become_plain_names(given, expected):
    assert safe_name(given) == expected


def test_umlauts_stay_and_are_composed():
    name = safe_name(unicodedata.normalize("NFD", "Räumungsübung Größe.pdf"))
    assert name == "Räumungsübung Größe.pdf"
    assert unicodedata.is_normalized("NFC", name)


def test_long_names_keep_their_extension_within_the_limits():
    assert safe_name("x" * 300 + ".pdf") == "x" * 96 + ".pdf"
    umlauts = safe_name("ä" * 300 + ".pdf")
    assert umlauts.endswith(".pdf")
    assert len(umlauts.encode()) <= 200 and len(umlauts) <= 100


def test_names_in_one_folder_are_unique_also_when_case_differs():
    folder = Folder()
    names = [folder.add(name) for name in ("Plan.pdf", "Plan.pdf", "plan.PDF", "CON.pdf", "CON")]
    assert names == ["Plan.pdf", "Plan (2).pdf", "plan (3).PDF", "_CON.pdf", "_CON"]
    nameless = [folder.add(name) for name in ("..pdf", "  .pdf", "Datei.pdf")]
    assert nameless == ["Datei.pdf", "Datei (2).pdf", "Datei (3).pdf"]
    long = [folder.add("y" * 300 + ".pdf") for _ in range(2)]
    assert long == ["y" * 96 + ".pdf", "y" * 92 + " (2).pdf"]
