"""Languages: German by default, English when the user chooses it."""

from __future__ import annotations

from babel.support import NullTranslations
from flask import Flask, current_app, g, has_request_context, session
from flask_babel import get_locale, get_translations


def select_locale() -> str:
    chosen = session.get("language") if has_request_context() else None
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def translations() -> NullTranslations:
    """The current locale's translations, found once per request and locale.

    Flask-Babel finds them again for every string (context, domain, locale, cache key), which
    on a page of fifty strings cost more than the translating. ``force_locale`` sets a new
    locale object, so a forced language is never served from here.
    """
    locale = get_locale()
    found = g.get("_translations")
    if found is None or found[0] is not locale:
        found = g._translations = (locale, get_translations())
    return found[1]


def register(app: Flask) -> None:
    app.jinja_env.install_gettext_callables(
        gettext=lambda text: translations().ugettext(text),
        ngettext=lambda singular, plural, n: translations().ungettext(singular, plural, n),
        pgettext=lambda context, text: translations().upgettext(context, text),
        npgettext=lambda context, singular, plural, n: translations().unpgettext(
            context, singular, plural, n
        ),
        newstyle=True,
    )

    @app.context_processor
    def language_context() -> dict:
        locale = str(get_locale())
        return {"current_language": locale, "other_language": "en" if locale == "de" else "de"}
