"""Languages: German by default, English when the user chooses it."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, session
from flask_babel import get_locale


def select_locale() -> str:
    chosen = session.get("language") if has_request_context() else None
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def register(app: Flask) -> None:
    @app.context_processor
    def language_context() -> dict:
        locale = str(get_locale())
        return {"current_language": locale, "other_language": "en" if locale == "de" else "de"}
