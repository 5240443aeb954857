"""Searching the Chinese plan with Chinese or English words (pure; the search page and queries use it).

The plan exists only in Chinese. An English search word is looked up in this project's glossary
(data/curated/search_terms.csv: laboratory → 实验室) and in the curated English names of what the plan
names (Oujiang Laboratory → 瓯江实验室); a line matches a word when it contains the word itself or one
of the plan's words for it. Every word must match, as in a Chinese search. Nothing is translated at
run time: a word the glossary and the names do not know is searched as written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

MAX_EQUIVALENTS = 40          # a very common word (park, centre) names many places: the first 40 are enough
_LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class SearchWord:
    word: str                          # as typed (a phrase when the whole English query is one term)
    chinese: tuple[str, ...] = ()      # the plan's words for it (English words only)

    @property
    def alternatives(self) -> tuple[str, ...]:
        return (self.word, *self.chinese)


def _forms(word: str) -> set[str]:
    """A word and its singular: laboratories → laboratory, platforms → platform, cities → city."""
    word = word.lower()
    forms = {word}
    if word.endswith("ies") and len(word) > 4:
        forms.add(word[:-3] + "y")
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        forms.add(word[:-1])
    return forms


def _phrase_forms(phrase: str) -> set[str]:
    words = phrase.lower().split()
    return {" ".join(words[:-1] + [last]) for last in _forms(words[-1])} if words else set()


def _matches_name(phrase: str, name: str) -> bool:
    """``phrase`` (one or more words) is a run of whole words of ``name``, plurals aside."""
    wanted = [_forms(w) for w in phrase.lower().split()]
    words = [_forms(w) for w in re.findall(r"[a-z0-9&']+", name.lower())]
    return any(all(wanted[k] & words[i + k] for k in range(len(wanted))) for i in range(len(words) - len(wanted) + 1))


def _equivalents(phrase: str, terms: pd.DataFrame) -> tuple[str, ...]:
    """The plan's Chinese for an English word or phrase: glossary entries first, then names."""
    forms = _phrase_forms(phrase)
    glossary = terms.loc[(terms["kind"] == "glossary") & terms["en"].isin(forms), "zh"]
    names = terms.loc[(terms["kind"] == "name") & terms["en"].map(lambda en: _matches_name(phrase, en))]
    names = names.assign(exact=~names["en"].isin(forms), size=names["en"].str.len()).sort_values(["exact", "size"])
    found = list(dict.fromkeys([*glossary, *names["zh"]]))   # the glossary, then names: the exact one, shortest
    return tuple(found[:MAX_EQUIVALENTS])


def search_words(text: str | None, terms: pd.DataFrame) -> list[SearchWord]:
    """The query as words to find. ``terms``: ``queries.english_terms()`` (en, zh, kind). A query of
    several English words that is one glossary term or name (research and development, Oujiang
    Laboratory) is one word to find; otherwise each word is found on its own."""
    words = (text or "").split()
    if not words:
        return []
    if len(words) > 1 and all(_LATIN.search(w) for w in words):
        whole = _equivalents(" ".join(words), terms)
        if whole:
            return [SearchWord(" ".join(words), whole)]
    return [SearchWord(w, _equivalents(w, terms) if _LATIN.search(w) else ()) for w in words]


def groups(words: list[SearchWord]) -> tuple[tuple[str, ...], ...]:
    """What the query runs on (queries.search_plan): per word, the word and its Chinese."""
    return tuple(w.alternatives for w in words)


def matched(text: str, words: list[SearchWord]) -> list[tuple[SearchWord, tuple[str, ...]]]:
    """For each English word of the query, which of the plan's words for it stand in ``text`` (empty when
    the English word itself does: some lines of the plan carry English, 5G or R&D)."""
    lower = text.lower()
    out = []
    for word in words:
        if word.chinese:
            found = () if word.word.lower() in lower else tuple(z for z in word.chinese if z.lower() in lower)
            out.append((word, found))
    return out
