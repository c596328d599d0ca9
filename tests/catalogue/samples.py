"""Catalogue texts for tests: the shipped 2026.1 and a next version made from it."""

from __future__ import annotations

from pathlib import Path

CATALOGUE_DIR = Path(__file__).resolve().parents[2] / "criteria"
SHIPPED = (CATALOGUE_DIR / "2026.1.yaml").read_text(encoding="utf-8")

OLD_A1 = "Ein schriftliches Sicherheits- und Krisenkonzept regelt Zuständigkeiten, Meldewege"
NEW_A1 = (
    "Ein schriftliches, jährlich überprüftes Sicherheits- und Krisenkonzept regelt "
    "Zuständigkeiten, Meldewege"
)
NEW_CRITERION = """      - code: "B.4"
        title: "Schutzkonzept gegen sexualisierte Gewalt"
        description: >-
          Die Schule hat ein Schutzkonzept gegen sexualisierte Gewalt mit Ansprechpersonen,
          Verhaltensregeln und einem Plan für den Verdachtsfall.
        guidance: >-
          Beschreiben Sie, wie das Schutzkonzept entstanden ist und wer es kennt.
        evidence:
          - "Schutzkonzept (aktuelle Fassung)"
        mandatory: false
        weight: 2

"""


def next_version(version: str = "2027.1") -> str:
    """2026.1 with B.4 added, A.1 reworded and A.3 removed."""
    text = SHIPPED.replace('version: "2026.1"', f'version: "{version}"')
    assert OLD_A1 in text
    text = text.replace(OLD_A1, NEW_A1)
    start = text.index('      - code: "A.3"')
    text = text[:start] + text[text.index('  - code: "B"') :]
    before_c = text.index('  - code: "C"')
    return text[:before_c] + NEW_CRITERION + text[before_c:]
