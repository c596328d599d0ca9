"""Every form: text arrives with line breaks counted once, and no field lets the browser cut
text (no ``maxlength``); the limit is shown next to the field and checked on the server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from email_validator import EmailNotValidError
from flask_wtf import FlaskForm
from wtforms import StringField

from seal_app.forms import BaseForm, MaxLength, checked_email_address
from tests.conftest import login


def _all_form_classes(cls=FlaskForm) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        if sub.__module__.startswith("seal_app."):
            found.add(sub)
        found |= _all_form_classes(sub)
    return found


@pytest.mark.parametrize(
    ("role", "url"),
    [
        (None, "/login"),
        (None, "/register"),
        ("office", "/office/schools/new"),
        ("office", "/office/users/new"),
        ("office", "/office/rounds/new"),
        ("school", "/account/password"),
    ],
)
def test_no_form_page_has_maxlength(client, accounts, role, url):
    if role:
        login(client, accounts[role])
    page = client.get(url).get_data(as_text=True)
    assert "<form" in page and "maxlength" not in page


def test_every_form_is_a_base_form_and_renders_no_maxlength(app):
    """New forms inherit the line-break rule and never let the browser cut text."""
    classes = _all_form_classes()
    assert len(classes) > 10
    assert [cls.__name__ for cls in classes if not issubclass(cls, BaseForm)] == []
    with app.test_request_context():
        for cls in classes - {BaseForm}:
            form = cls(meta={"csrf": False})
            for field in form:
                if isinstance(field, StringField):
                    assert "maxlength" not in str(field()), f"{cls.__name__}.{field.name}"
                limits = [v for v in field.validators if isinstance(v, MaxLength)]
                assert all(type(v).__name__ != "Length" for v in field.validators)
                if limits:
                    assert field.flags.character_limit in (limits[0].limit, None)


def test_every_form_with_fields_leaves_checking_to_the_server():
    """The browser's own bubbles ("Please fill out this field.") are English and skip the error
    summary: a form with fields carries ``novalidate``."""
    templates = Path(__file__).parent.parent / "seal_app" / "templates"
    missing = []
    for template in templates.rglob("*.html"):
        for form in re.findall(r"<form\b[^>]*>.*?</form>", template.read_text(), re.S):
            opening = form.split(">", 1)[0]
            has_fields = re.search(r"input\(|<select|<textarea|type=\"(date|text|email)\"", form)
            if has_fields and "novalidate" not in opening:
                missing.append(f"{template.relative_to(templates)}: {opening[:80]}")
    assert missing == []


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Sekretariat@Schule-Teterow.DE", "Sekretariat@schule-teterow.de"),
        ("sekretariat-75001@schulen.demo.invalid", "sekretariat-75001@schulen.demo.invalid"),
        ("Buero@Demo.INVALID", "Buero@demo.invalid"),
    ],
)
def test_an_address_under_the_reserved_invalid_name_is_accepted_like_any_other(typed, stored):
    assert checked_email_address(typed) == stored


@pytest.mark.parametrize(
    "typed", ["name@schule", "name@@demo.invalid", "a b@demo.invalid", "x@localhost", "x@y.test"]
)
def test_addresses_that_are_no_addresses_are_still_refused(typed):
    with pytest.raises(EmailNotValidError):
        checked_email_address(typed)
