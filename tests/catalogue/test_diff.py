"""The diff between two catalogue versions, on its own: added, removed, reworded, reweighted,
areas and the award rule."""

from __future__ import annotations

from seal_app.catalogue.diff import diff
from seal_app.catalogue.loader import parse
from seal_app.catalogue.words import reworded
from tests.catalogue.samples import SHIPPED, next_version

OLD = parse(SHIPPED)


def _new(text: str):
    return parse(text.replace('version: "2026.1"', 'version: "2027.1"'))


def _marked(segments, changed: bool = True) -> list[str]:
    return [item.text for item in segments if item.changed is changed]


def test_same_text_under_a_new_number_has_no_changes():
    changes = diff(OLD, _new(SHIPPED))
    assert changes.is_empty and changes.areas == ()
    assert (changes.old_version, changes.new_version) == ("2026.1", "2027.1")


def test_one_added_one_reworded_one_removed_and_nothing_else():
    changes = diff(OLD, parse(next_version()))
    assert [item.code for item in changes.added_criteria] == ["B.4"]
    assert [item.code for item in changes.removed_criteria] == ["A.3"]
    assert [item.code for item in changes.reworded_criteria] == ["A.1"]
    assert changes.weight_changes == [] and changes.mandatory_changes == []
    assert [area.code for area in changes.areas] == ["A", "B"]
    assert {area.status for area in changes.areas} == {"changed"}
    assert changes.scale == () and changes.award_rule is None and changes.title is None
    (a1,) = changes.reworded_criteria
    assert list(a1.texts) == ["description"]
    text = a1.texts["description"]
    assert _marked(text.old_segments) == ["schriftliches"]
    assert _marked(text.new_segments) == ["schriftliches, jährlich überprüftes"]
    assert "".join(item.text for item in text.new_segments) == text.new


def test_weight_and_mandatory_flag_changed():
    text = SHIPPED.replace(
        '"Zusammenarbeit mit Polizei und Feuerwehr"', '"Zusammenarbeit mit der Polizei"'
    )
    a3_start = text.index('      - code: "A.3"')
    a3_end = text.index('  - code: "B"')
    a3 = text[a3_start:a3_end].replace("mandatory: false", "mandatory: true")
    a3 = a3.replace("weight: 1", "weight: 3")
    changes = diff(OLD, _new(text[:a3_start] + a3 + text[a3_end:]))
    (change,) = changes.weight_changes
    assert change.code == "A.3" and (change.weight.old, change.weight.new) == (1, 3)
    assert changes.mandatory_changes == [change]
    assert (change.mandatory.old, change.mandatory.new) == (False, True)
    assert list(change.texts) == ["title"]
    assert _marked(change.texts["title"].old_segments) == ["und Feuerwehr"]
    assert _marked(change.texts["title"].new_segments) == ["der"]


def test_areas_added_removed_and_renamed():
    text = SHIPPED.replace(
        'title: "Sicherheitskonzept und Organisation"', 'title: "Sicherheit und Organisation"'
    )
    c_start, d_start = text.index('  - code: "C"'), text.index('  - code: "D"')
    area_c = text[c_start:d_start]
    area_k = area_c.replace('code: "C', 'code: "K')
    text = text[:c_start] + text[d_start:] + area_k
    changes = diff(OLD, _new(text))
    assert [area.code for area in changes.areas_with_status("renamed")] == ["A"]
    assert [area.code for area in changes.areas_with_status("added")] == ["K"]
    assert [area.code for area in changes.areas_with_status("removed")] == ["C"]
    assert [item.code for item in changes.added_criteria] == ["K.1", "K.2"]
    assert [item.code for item in changes.removed_criteria] == ["C.1", "C.2"]
    renamed = changes.areas_with_status("renamed")[0]
    assert (renamed.title.old, renamed.title.new) == (
        "Sicherheitskonzept und Organisation",
        "Sicherheit und Organisation",
    )
    assert changes.areas[-1].code == "C"  # removed areas come after the new order


def test_scale_and_award_rule_changes():
    text = SHIPPED.replace("min_share_of_maximum: 0.6", "min_share_of_maximum: 0.65")
    text = text.replace('label: "in Ansätzen"', 'label: "begonnen"')
    changes = diff(OLD, _new(text))
    assert changes.award_rule.min_share_of_maximum.new == 0.65
    assert changes.award_rule.mandatory_min_level is None
    (level,) = changes.scale
    assert level.value == 1 and (level.label.old, level.label.new) == ("in Ansätzen", "begonnen")
    assert not changes.is_empty and changes.areas == ()


def test_only_white_space_is_no_rewording():
    assert reworded("Ein  Konzept\nregelt", "Ein Konzept regelt") is None
    change = reworded("Notfallplan hängt aus.", "Notfallplan hängt in jedem Raum aus.")
    assert _marked(change.new_segments) == ["in jedem Raum"] and _marked(change.old_segments) == []
