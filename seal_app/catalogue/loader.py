"""Reading and validating catalogue files; every problem is reported with file and line."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import yaml

from seal_app.catalogue import yaml_errors
from seal_app.catalogue.model import Area, AwardRule, Catalogue, Criterion, Level
from seal_app.catalogue.schema import CATALOGUE_SCHEMA

MAX_DEPTH = 20  # a catalogue nests six levels deep; more is no catalogue

TYPE_NAMES = {
    "string": "ein Text",
    "integer": "eine ganze Zahl",
    "number": "eine Zahl",
    "boolean": "true oder false",
    "array": "eine Liste",
    "object": "eine Zuordnung (Schlüssel: Wert)",
}


@dataclass(frozen=True)
class Problem:
    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


class CatalogueError(Exception):
    """A catalogue file is broken; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def load_file(path: Path) -> Catalogue:
    return parse(path.read_text(encoding="utf-8"), source=str(path))


def load_directory(directory: Path) -> dict[str, Catalogue]:
    """Load every ``*.yaml`` file; raise one error naming all problems in all files."""
    catalogues: dict[str, Catalogue] = {}
    problems: list[Problem] = []
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise CatalogueError([Problem(str(directory), 0, "Kein Kriterienkatalog gefunden.")])
    for path in files:
        try:
            catalogue = load_file(path)
        except CatalogueError as error:
            problems.extend(error.problems)
            continue
        if catalogue.version in catalogues:
            message = f"Version {catalogue.version} gibt es schon in einer anderen Datei."
            problems.append(Problem(str(path), 1, message))
        catalogues[catalogue.version] = catalogue
    if problems:
        raise CatalogueError(problems)
    return catalogues


def parse(text: str, source: str = "<text>") -> Catalogue:
    """Parse and validate one catalogue; raise CatalogueError listing every problem."""
    refused = _refused_structure(text, source)
    if refused is not None:
        raise CatalogueError([refused])
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        line, message = yaml_errors.explain(error, text)
        raise CatalogueError([Problem(source, line, message)]) from error
    if root is None:
        raise CatalogueError([Problem(source, 1, "Die Datei ist leer.")])
    problems = [Problem(source, line, message) for line, message in _duplicate_keys(root)]
    data = yaml.safe_load(text)
    problems += [
        Problem(source, _line_of(root, list(error.absolute_path)), _describe(error))
        for error in _schema_errors(data)
    ]
    if not problems:
        problems += [
            Problem(source, _line_of(root, path), message)
            for path, message in _consistency_problems(data)
        ]
    if problems:
        unique = dict.fromkeys(problems)  # jsonschema names each missing key once per key
        raise CatalogueError(sorted(unique, key=lambda problem: problem.line))
    sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return _build(data, source=source, text=text, sha256=sha256)


def _refused_structure(text: str, source: str) -> Problem | None:
    """Anchors and aliases (which can multiply a small file into a huge structure), explicit
    tags and nesting deeper than a catalogue needs, found by reading the events once, before
    anything is built."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return Problem(
                    source, line, "Anker und Verweise (& und *) sind im Katalog nicht erlaubt."
                )
            if getattr(event, "tag", None) is not None:
                return Problem(source, line, f"Typangaben wie „{event.tag}“ sind nicht erlaubt.")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return Problem(source, line, "Die Angaben sind zu tief verschachtelt.")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None  # reported with its line by the parse that follows
    return None


def _schema_errors(data: object) -> Iterator[jsonschema.ValidationError]:
    validator = jsonschema.Draft202012Validator(CATALOGUE_SCHEMA)
    yield from sorted(validator.iter_errors(data), key=lambda error: list(error.absolute_path))


def _describe(error: jsonschema.ValidationError) -> str:
    where = _path_text(list(error.absolute_path))
    prefix = f"{where}: " if where else ""
    return prefix + _german_message(error)


def _german_message(error: jsonschema.ValidationError) -> str:
    kind, expected, value = error.validator, error.validator_value, error.instance
    if kind == "required":
        missing = [name for name in expected if name not in value]
        return "Pflichtangabe fehlt: " + ", ".join(f"„{name}“" for name in missing) + "."
    if kind == "additionalProperties":
        unknown = [name for name in value if name not in error.schema.get("properties", {})]
        return "Unbekannte Angabe: " + ", ".join(f"„{name}“" for name in unknown) + "."
    if kind == "type":
        return f"Hier wird {TYPE_NAMES.get(expected, expected)} erwartet, nicht „{value}“."
    if kind == "minLength":
        return "Der Text darf nicht leer sein."
    if kind == "minItems":
        return f"Die Liste braucht mindestens {expected} Einträge."
    if kind == "pattern":
        return f"„{value}“ hat nicht das erwartete Format ({expected})."
    if kind in ("minimum", "exclusiveMinimum"):
        return f"Der Wert {value} ist zu klein (Minimum {expected})."
    if kind in ("maximum", "exclusiveMaximum"):
        return f"Der Wert {value} ist zu groß (Maximum {expected})."
    return error.message


def _consistency_problems(data: dict) -> Iterator[tuple[list, str]]:
    """Rules a schema cannot express: unique codes, a gapless scale, a reachable award rule."""
    levels = [level["level"] for level in data["scale"]]
    if levels != list(range(len(levels))):
        yield ["scale"], "Die Stufen der Skala müssen bei 0 beginnen und lückenlos aufsteigen."
    if data["award_rule"]["mandatory_min_level"] > max(levels):
        yield (
            ["award_rule", "mandatory_min_level"],
            "Die Mindeststufe für Pflichtkriterien gibt es in der Skala nicht.",
        )
    if data["award_rule"].get("divergence", 1) > max(levels):
        yield (
            ["award_rule", "divergence"],
            "So weit können zwei Stufen der Skala nicht auseinanderliegen.",
        )
    seen_codes: set[str] = set()
    for area_index, area in enumerate(data["areas"]):
        if area["code"] in seen_codes:
            yield ["areas", area_index, "code"], f"Der Code „{area['code']}“ kommt doppelt vor."
        seen_codes.add(area["code"])
        for index, criterion in enumerate(area["criteria"]):
            code = criterion["code"]
            path = ["areas", area_index, "criteria", index, "code"]
            if code in seen_codes:
                yield path, f"Der Code „{code}“ kommt doppelt vor."
            elif not code.startswith(area["code"] + "."):
                yield path, f"Der Code „{code}“ muss mit „{area['code']}.“ beginnen."
            seen_codes.add(code)


def _duplicate_keys(node: yaml.Node) -> Iterator[tuple[int, str]]:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if key_node.value in seen:
                yield key_node.start_mark.line + 1, f"Die Angabe „{key_node.value}“ steht doppelt."
            seen.add(key_node.value)
            yield from _duplicate_keys(value_node)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _duplicate_keys(item)


def _line_of(root: yaml.Node, path: list) -> int:
    """The 1-based line of the YAML node at ``path`` (or of its nearest existing parent)."""
    node = root
    for step in path:
        child = _child(node, step)
        if child is None:
            break
        node = child
    return node.start_mark.line + 1


def _child(node: yaml.Node, step: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == step:
                return value_node
    if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
        return node.value[step]
    return None


def _path_text(path: list) -> str:
    text = ""
    for step in path:
        text += f"[{step + 1}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


def _build(data: dict, source: str, text: str, sha256: str) -> Catalogue:
    rule = data["award_rule"]
    return Catalogue(
        version=data["version"],
        title=data["title"],
        introduction=data["introduction"],
        source_name=Path(source).name,
        text=text,
        sha256=sha256,
        scale=tuple(
            Level(item["level"], item["label"], item["descriptor"]) for item in data["scale"]
        ),
        award_rule=AwardRule(
            rule["mandatory_min_level"],
            float(rule["min_share_of_maximum"]),
            rule["description"],
            rule.get("divergence", AwardRule.divergence),
        ),
        areas=tuple(
            Area(
                code=area["code"],
                title=area["title"],
                description=area["description"],
                criteria=tuple(
                    Criterion(
                        code=item["code"],
                        title=item["title"],
                        description=item["description"],
                        guidance=item["guidance"],
                        evidence=tuple(item["evidence"]),
                        mandatory=item["mandatory"],
                        weight=item["weight"],
                    )
                    for item in area["criteria"]
                ),
            )
            for area in data["areas"]
        ),
    )
