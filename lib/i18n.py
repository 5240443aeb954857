"""UI text in one gettext catalog per language, managed with Babel (as Flask and Superset apps do).

The message ids are the Chinese UI text: Chinese is the default language and
needs no catalog, English lives in ``lib/locale/en/LC_MESSAGES/messages.po``.
``make i18n`` extracts the ids from the code (``pybabel extract``, keywords
``_`` and ``N_``) and updates the catalog; a test fails when an id has no
English text. Data names (districts, indicators, projects…) are not here:
they are translated in the curated data under ``data/``.

Chart builders and other pure functions take ``lang`` and call
:func:`translator`; pages call :func:`_`, which follows ``?lang=`` in the URL.
"""
from __future__ import annotations

import functools
import gettext
import io
from collections.abc import Callable
from pathlib import Path

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"


def catalog_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def _translations(lang: str) -> gettext.NullTranslations:
    """Read the .po once per process and compile it in memory (no .mo build output to go stale)."""
    if lang == DEFAULT_LANG or not catalog_path(lang).exists():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with catalog_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translator(lang: str) -> Callable[[str], str]:
    """``_ = translator(lang)`` in a builder; unknown languages fall back to Chinese."""
    return _translations(lang if lang in LANGS else DEFAULT_LANG).gettext


def N_(message: str) -> str:
    """Mark text for the catalog without translating it yet (module-level constants)."""
    return message


def current_lang() -> str:
    from lib import view_state

    return view_state.lang()


def _(message: str) -> str:
    """Translate UI text into the language of the current view (``?lang=``)."""
    return translator(current_lang())(message)
