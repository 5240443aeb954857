"""UI text in one gettext catalog per language, managed with Babel (as Flask and Superset apps do).

The message ids are the Chinese UI text: Chinese is the default language and
needs no catalog, English lives in ``lib/locale/en/LC_MESSAGES/messages.po``.
``make i18n`` extracts the ids from the code (``pybabel extract``, keywords
``_`` and ``N_``) and updates the catalog; a test fails when an id has no
English text. Data names (districts, indicators, projects…) are not here:
they are translated in the curated data under ``data/``.

Everything here takes the language as an argument (``translator(lang)``,
``marked(text, lang)`` …), so the build, the chart builders and the file makers use it
without Streamlit. The pages' ``_`` and ``ngettext``, which follow ``?lang=`` in the URL,
are in lib/web/lang.py.
"""
from __future__ import annotations

import functools
import gettext
import io
from collections.abc import Callable
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from lib.domain.paths import LOCALE_DIR

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
DOMAIN = "messages"


def catalog_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def _translations(lang: str) -> gettext.NullTranslations:
    """Read the .po once per process and compile it in memory (no .mo build output to go stale)."""
    if lang == DEFAULT_LANG or not catalog_path(lang).exists():
        return gettext.NullTranslations()
    with catalog_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translator(lang: str) -> Callable[[str], str]:
    """``_ = translator(lang)`` in a builder; unknown languages fall back to Chinese."""
    return _translations(lang if lang in LANGS else DEFAULT_LANG).gettext


def plural_translator(lang: str) -> Callable[[str, str, int], str]:
    """``ngettext = plural_translator(lang)`` in a builder: text where a count meets a noun. In Chinese
    both forms are the same text (the id); the English catalog has ``1 project`` and ``{n} projects``."""
    return _translations(lang if lang in LANGS else DEFAULT_LANG).ngettext


def N_(message: str) -> str:
    """Mark text for the catalog without translating it yet (module-level constants)."""
    return message


# ---------------------------------------------------------------- data in the language of the view
# Plan text (quotes, 建设内容, reform tasks, positioning…) has no English: in English it is shown as
# printed, after one of these marks, so a reader knows it is the original and a test can tell it
# apart from untranslated UI text. Notes written by this project in Chinese only (a sector's or a
# zone's reason) carry the second mark.
ORIGINAL = N_("原文")
CHINESE_ONLY = N_("仅有中文")


def original_mark(lang: str) -> str:
    """``Original (Chinese)`` in English, empty in Chinese (where everything is the original language)."""
    return translator(lang)(ORIGINAL) if lang != DEFAULT_LANG else ""


def marked(text: object, lang: str, mark: str = ORIGINAL) -> str:
    """``text`` (Chinese data) as shown in ``lang``: unchanged in Chinese, after its mark in English."""
    text = "" if text is None or (isinstance(text, float) and text != text) else str(text)  # None, NaN: missing
    if lang == DEFAULT_LANG or not text:
        return text
    return f"{translator(lang)(mark)}: {text}"


def column(base: str, lang: str) -> str:
    """The data column that holds ``base`` in ``lang``: ``name`` → ``name_zh`` / ``name_en``."""
    return f"{base}_en" if lang == "en" else f"{base}_zh"


class Message(str):
    """Catalog text kept translatable after it is made: the string itself is the Chinese text,
    :meth:`text` gives it in any language. For messages stored before they are shown (an upload's
    rejection reasons live in the session while the visitor may switch language).

    ``Message("缺少列：{columns}。", columns=["year"])``: list arguments are joined with the
    language's separator (、 or , ).
    """

    def __new__(cls, message_id: str, **args):
        obj = super().__new__(cls, cls._format(message_id, args, DEFAULT_LANG))
        obj.message_id, obj.args = message_id, args
        return obj

    @staticmethod
    def _format(template: str, args: dict, lang: str) -> str:
        separator = "、" if lang == DEFAULT_LANG else ", "
        return template.format(**{k: separator.join(map(str, v)) if isinstance(v, (list, tuple)) else v
                                  for k, v in args.items()})

    def text(self, lang: str) -> str:
        return self._format(translator(lang)(self.message_id), self.args, lang)

    def __reduce__(self):  # pickling (session state, caches) keeps the id and the arguments
        return (_message, (self.message_id, self.args))


def _message(message_id: str, args: dict) -> Message:
    return Message(message_id, **args)


def original_column(label: str, lang: str) -> str:
    """A column header over plan text: ``label`` in Chinese, ``label (original, Chinese)`` in English."""
    return label if lang == DEFAULT_LANG else translator(lang)(N_("{label}（原文）")).format(label=label)


def colon(lang: str) -> str:
    """Between a label and its value: the full-width ``：`` in Chinese, ``: `` in English."""
    return "：" if lang == DEFAULT_LANG else ": "
