"""German explanations of the YAML mistakes people make by hand: a tab, an indentation that
does not fit, a quote or bracket not closed, a colon inside a value. The parser's own English
is kept only for the rare rest."""

from __future__ import annotations

import yaml

TAB = (
    "Kein gültiges YAML: In der Zeile steht ein Tabulatorzeichen. YAML rückt nur mit "
    "Leerzeichen ein; ersetzen Sie den Tabulator durch Leerzeichen."
)
QUOTE = (
    'Kein gültiges YAML: In dieser Zeile beginnt ein Text mit einem Anführungszeichen (" oder '
    "'), das nicht wieder geschlossen wird. Setzen Sie am Ende des Textes dasselbe Zeichen."
)
COLON = (
    "Kein gültiges YAML: Im Wert steht ein Doppelpunkt mit einem Leerzeichen danach. Setzen "
    'Sie den ganzen Wert in Anführungszeichen, zum Beispiel title: "Erste Hilfe: '
    'Schulsanitätsdienst".'
)
INDENTATION = (
    "Kein gültiges YAML: Die Einrückung stimmt nicht. Einträge derselben Ebene beginnen mit "
    "gleich vielen Leerzeichen; diese Zeile ist weiter oder weniger eingerückt als die Einträge, "
    "zu denen sie gehört."
)
BRACKET = (
    "Kein gültiges YAML: Eine Liste in eckigen oder eine Zuordnung in geschweiften Klammern, "
    "die in Zeile {opened} beginnt, wird nicht richtig geschlossen. Prüfen Sie die Kommas und "
    "die schließende Klammer ] oder }}."
)
INDENTATION_SIGNS = (
    "expected <block end>",
    "did not find expected key",
    "did not find expected '-' indicator",
)


def explain(error: yaml.YAMLError, text: str) -> tuple[int, str]:
    """The line (from 1) and a German explanation of ``error``, raised reading ``text``."""
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None) or ""
    line = _line(getattr(error, "problem_mark", None))
    if "'\\t'" in problem:
        return line, TAB
    if "quoted scalar" in context:
        return _line(getattr(error, "context_mark", None)), QUOTE
    if problem.startswith("mapping values are not allowed"):
        return line, COLON if _colon_in_value(text, line) else INDENTATION
    if problem.startswith(("expected ',' or ']'", "expected ',' or '}'")):
        return line, BRACKET.format(opened=_line(getattr(error, "context_mark", None)))
    if problem.startswith(INDENTATION_SIGNS):
        return line, INDENTATION
    return line, f"Kein gültiges YAML: {problem}"


def _line(mark: yaml.Mark | None) -> int:
    return mark.line + 1 if mark is not None else 1


def _colon_in_value(text: str, line: int) -> bool:
    """Whether the line holds a key with a value that has a colon and a space in it."""
    lines = text.splitlines()
    content = lines[line - 1].strip().removeprefix("- ") if 0 < line <= len(lines) else ""
    _key, separator, value = content.partition(": ")
    return bool(separator) and (": " in value or value.endswith(":"))
