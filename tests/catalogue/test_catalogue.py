"""The catalogue files: valid as shipped, every problem named with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from seal_app import create_app
from seal_app.catalogue.loader import CatalogueError, load_directory, parse
from tests.conftest import text_of

CATALOGUE_DIR = Path(__file__).resolve().parents[2] / "criteria"
SHIPPED = (CATALOGUE_DIR / "2026.1.yaml").read_text(encoding="utf-8")


def _problems(text: str) -> list[str]:
    with pytest.raises(CatalogueError) as caught:
        parse(text, source="kaputt.yaml")
    return [str(problem) for problem in caught.value.problems]


def _line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def test_shipped_catalogue_is_valid_and_complete():
    catalogues = load_directory(CATALOGUE_DIR)
    catalogue = catalogues["2026.1"]
    assert len(catalogue.areas) == 10
    codes = [criterion.code for criterion in catalogue.criteria]
    assert len(codes) == len(set(codes)) >= 20
    peer_mediation = catalogue.criterion("C.1")
    assert peer_mediation.mandatory and peer_mediation.weight == max(
        criterion.weight for criterion in catalogue.criteria
    )
    assert [level.value for level in catalogue.scale] == [0, 1, 2, 3]


def test_award_rule():
    catalogue = parse(SHIPPED)
    everything_good = {criterion.code: 2 for criterion in catalogue.criteria}
    assert catalogue.meets_award_rule(everything_good)  # 2 of 3 everywhere: 67 %
    one_mandatory_weak = {**everything_good, "C.1": 1, "A.3": 3, "B.2": 3}
    assert not catalogue.meets_award_rule(one_mandatory_weak)
    only_mandatory = {c.code: 3 for c in catalogue.criteria if c.mandatory}
    assert not catalogue.meets_award_rule(only_mandatory)  # too few points overall


def test_missing_field_is_named_with_its_line():
    broken = SHIPPED.replace('        title: "Notfall- und Räumungspläne, Übungen"\n', "")
    line = _line_of(broken, '      - code: "A.2"')
    assert _problems(broken) == [
        f"kaputt.yaml:{line}: areas[1].criteria[2]: Pflichtangabe fehlt: „title“."
    ]


def test_wrong_type_and_unknown_key():
    broken = SHIPPED.replace("        weight: 3\n", "        weight: drei\n        colour: blau\n")
    line = _line_of(broken, "        weight: drei")
    problems = _problems(broken)
    assert (
        f"kaputt.yaml:{line}: areas[3].criteria[1].weight: Hier wird eine ganze Zahl "
        "erwartet, nicht „drei“." in problems
    )
    assert any("Unbekannte Angabe: „colour“." in problem for problem in problems)


def test_duplicate_codes_keys_and_a_gap_in_the_scale():
    duplicate_code = SHIPPED.replace('code: "B.2"', 'code: "B.1"')
    line = duplicate_code.index('code: "B.1"', duplicate_code.index('code: "B.1"') + 1)
    assert _problems(duplicate_code) == [
        f"kaputt.yaml:{duplicate_code[:line].count(chr(10)) + 1}: Der Code „B.1“ kommt doppelt vor."
    ]
    duplicate_key = SHIPPED.replace('version: "2026.1"\n', 'version: "2026.1"\nversion: x\n')
    line = _line_of(duplicate_key, "version: x")
    assert f"kaputt.yaml:{line}: Die Angabe „version“ steht doppelt." in _problems(duplicate_key)
    gap = SHIPPED.replace("  - level: 3\n", "  - level: 4\n")
    assert any("lückenlos" in problem for problem in _problems(gap))


def test_invalid_yaml_and_empty_file():
    assert _problems("areas: [unclosed\n")[0].startswith("kaputt.yaml:2: Kein gültiges YAML")
    assert _problems("") == ["kaputt.yaml:1: Die Datei ist leer."]


def test_app_refuses_to_start_with_a_broken_catalogue(tmp_path):
    shutil.copy(CATALOGUE_DIR / "2026.1.yaml", tmp_path / "2026.1.yaml")
    (tmp_path / "2027.1.yaml").write_text(
        SHIPPED.replace('"2026.1"', '"2027.1"').replace(
            "mandatory: true", "mandatory: vielleicht", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(SystemExit) as stopped:
        create_app(
            {
                "CATALOGUE_DIR": str(tmp_path),
                "SECRET_KEY": "x",
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
            }
        )
    message = str(stopped.value)
    assert "Der Kriterienkatalog ist fehlerhaft" in message
    line = _line_of(SHIPPED, "mandatory: true")
    assert f"2027.1.yaml:{line}:" in message and "true oder false" in message


def test_cli_check_names_file_and_line_and_fails(runner, tmp_path):
    broken = tmp_path / "neu.yaml"
    broken.write_text(
        SHIPPED.replace("min_share_of_maximum: 0.6", "min_share_of_maximum: 2"), encoding="utf-8"
    )
    result = runner.invoke(args=["seal", "catalogue", "check", str(broken)])
    assert result.exit_code == 1
    line = _line_of(SHIPPED, "min_share_of_maximum")
    assert f"{broken}:{line}: award_rule.min_share_of_maximum: Der Wert 2 ist zu groß" in (
        result.output
    )
    good = runner.invoke(args=["seal", "catalogue", "check", str(CATALOGUE_DIR / "2026.1.yaml")])
    assert good.exit_code == 0 and "in Ordnung (Version 2026.1, 23 Kriterien)" in good.output
    everything = runner.invoke(args=["seal", "catalogue", "check"])
    assert everything.exit_code == 0 and "2026.1.yaml: in Ordnung" in everything.output


def test_public_catalogue_page_shows_every_criterion(client):
    catalogue = parse(SHIPPED)
    response = client.get("/catalogue/")
    page = text_of(response)
    assert catalogue.title in page and "Bewertungsskala" in page
    for criterion in catalogue.criteria:
        assert f"{criterion.code} {criterion.title}" in page
    badges = response.get_data(as_text=True).count('class="kern-badge')
    assert badges == sum(1 for criterion in catalogue.criteria if criterion.mandatory)
    assert client.get("/catalogue/1999.1").status_code == 404


def _broken(old: str, new: str) -> tuple[str, int]:
    """The shipped catalogue with one hand-made mistake, and the line it is on."""
    assert old in SHIPPED
    text = SHIPPED.replace(old, new, 1)
    return text, _line_of(text, new.splitlines()[-1])


@pytest.mark.parametrize(
    ("old", "new", "explanation"),
    [
        ("    title:", "\ttitle:", "In der Zeile steht ein Tabulatorzeichen."),
        ('version: "2026.1"', "version: '2026.1", "nicht wieder geschlossen wird"),
        ('  - code: "B"', '   - code: "B"', "Die Einrückung stimmt nicht."),
        ("weight: 3", "weight: 3\n       note: x", "Die Einrückung stimmt nicht."),
        ('version: "2026.1"', "version: Fassung: 2026.1", "Im Wert steht ein Doppelpunkt"),
    ],
    ids=["tab", "quote", "indentation", "indentation-in-mapping", "colon"],
)
def test_common_yaml_mistakes_are_explained_in_german_with_their_line(old, new, explanation):
    text, line = _broken(old, new)
    [problem] = _problems(text)
    assert problem.startswith(f"kaputt.yaml:{line}: Kein gültiges YAML: "), problem
    assert explanation in problem
    for english in ("expected", "found", "scanning", "mapping values"):
        assert english not in problem
