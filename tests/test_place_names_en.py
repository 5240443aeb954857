"""One English form per place (issue 13): a place the plan names is romanised the same way in every
curated English name that contains it (大罗山 is Daluoshan wherever it stands, never also "Luoshan";
浙南 is one form, not "Zhenan" in one row and "Southern Zhejiang" in another).

The places come from the data, not from this file: the districts (full and short names), the zones
and their aliases, the platforms whose English carries a romanised name, and the leading part of any
of these that stands in another curated Chinese name (浙南 of 浙南科技城 in 苍南浙南云计算数据中心).
A place's form is its romanisation (a capitalised word made of pinyin syllables: Daluoshan, Zhenan,
Rui'an). Every curated name whose Chinese contains the place must carry one romanised word that all
of them share (Oujiang and Oujiangkou share the form Oujiang). Nothing here says what the English
should be, only that it is one.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

from lib.domain.paths import CURATED_DIR

_INITIAL = "(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])"
_FINAL = ("(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|er|ia|ie|iu|in|ua|uo|ui|"
          "un|ve|vn|a|o|e|i|u|v)")
PINYIN_WORD = re.compile(rf"(?:{_INITIAL}?{_FINAL}'?)+")
WORD = re.compile(r"[A-Za-z][A-Za-z']*")


def romanised_words(english: str) -> set[str]:
    """Capitalised words of ``english`` written entirely in pinyin syllables (Wenzhou, Rui'an, BeiDou)."""
    return {w for w in WORD.findall(english) if w[0].isupper() and PINYIN_WORD.fullmatch(w.lower())}


def _read(name: str, directory: Path) -> list[dict]:
    with (directory / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def curated_pairs(directory: Path = CURATED_DIR) -> list[tuple[str, str, str]]:
    """Every (Chinese, English, where) name pair of the curated files."""
    pairs = []
    for name, zh, en in (("districts.csv", "name_zh", "name_en"), ("zones.csv", "zone_name", "name_en"),
                         ("names_en.csv", "name_zh", "name_en"), ("indicators.csv", "name_zh", "name_en"),
                         ("goals.csv", "metric_zh", "metric_en"), ("indicator_history.csv", "metric_zh", "metric_en"),
                         ("indicator_groups.csv", "group_zh", "group_en")):
        pairs += [(row[zh], row[en], f"{name} {row[zh]}") for row in _read(name, directory)]
    return pairs


def place_names(directory: Path = CURATED_DIR) -> dict[str, str]:
    """Chinese place name → the English of the curated row it comes from."""
    places: dict[str, str] = {}
    for d in _read("districts.csv", directory):
        places[d["name_zh"]] = places[d["short_zh"]] = d["name_en"]
    named = {}   # zones and platforms by their own names
    for z in _read("zones.csv", directory):
        named[z["zone_name"]] = z["name_en"]
        for alias in filter(None, z["aliases"].split("|")):
            places.setdefault(alias, z["name_en"])
    for n in _read("names_en.csv", directory):
        if n["table"] == "platforms":
            named[n["name_zh"]] = n["name_en"]
    places.update(named)
    # The leading part of a zone's or platform's name that another curated name also uses (浙南 of 浙南科技城).
    others = [zh for zh, _en, _where in curated_pairs(directory)]
    for name, english in named.items():
        for end in range(2, len(name)):
            head = name[:end]
            if any(head in text and name not in text for text in others):
                places.setdefault(head, english)
    return {name: english for name, english in places.items() if romanised_words(english)}


def _shares_a_form(words_per_row: list[set[str]]) -> bool:
    """Some romanised word is the start of a romanised word in every row (Oujiang ⊂ Oujiangkou)."""
    candidates = set().union(*words_per_row)
    return any(all(any(w.startswith(c) for w in words) for words in words_per_row) for c in candidates)


def two_forms(pairs: list[tuple[str, str, str]], places: dict[str, str]) -> list[str]:
    problems = []
    for place in sorted(places):
        rows = [(en, where) for zh, en, where in pairs if place in zh]
        if len(rows) > 1 and not _shares_a_form([romanised_words(en) for en, _where in rows]):
            problems.append(f"{place}: " + " | ".join(f"{en!r} ({where})" for en, where in rows))
    return problems


def test_the_places_come_from_the_data():
    places = place_names()
    zones = {z["zone_name"] for z in _read("zones.csv", CURATED_DIR)}
    districts = {d["short_zh"] for d in _read("districts.csv", CURATED_DIR)}
    platforms = {n["name_zh"] for n in _read("names_en.csv", CURATED_DIR) if n["table"] == "platforms"}
    assert zones | districts <= set(places)
    # Leading parts found inside other names are places too (so a project named after 浙南 is checked).
    heads = {p for p in places if any(name.startswith(p) and name != p for name in zones | platforms)}
    assert len(heads) >= 3


def test_each_place_has_one_english_form():
    assert two_forms(curated_pairs(), place_names()) == []


def test_a_second_form_is_caught():
    """Give one row of every place used twice another romanisation: each is reported."""
    pairs, places = curated_pairs(), place_names()
    shared = [p for p in places if sum(p in zh for zh, _en, _w in pairs) > 1]
    assert len(shared) >= 5
    for place in shared:
        index = next(i for i, (zh, _en, _w) in enumerate(pairs) if place in zh)
        zh, en, where = pairs[index]
        changed = en
        for word in romanised_words(en):
            changed = changed.replace(word, "Southern Zhejiang")
        tampered = [*pairs[:index], (zh, changed, where), *pairs[index + 1:]]
        assert any(p.startswith(f"{place}:") for p in two_forms(tampered, {place: places[place]})), place
