"""Where things are: project locations and platform texts resolved to Wenzhou's districts.

Locations are resolved only through curated names (districts.csv, zones.csv);
an unknown place stops the build instead of being guessed from its name.
"""
from __future__ import annotations

from dataclasses import dataclass

from lib.pipeline.snapshot import PlanFormatError


@dataclass(frozen=True)
class Place:
    term: str                    # the text as matched
    adcode: str | None           # None only for places outside Wenzhou
    zone_name: str | None        # functional zone, when the term names one
    outside_wenzhou: bool


class Gazetteer:
    def __init__(self, districts: list[dict], zones: list[dict]):
        self.terms: dict[str, Place] = {}
        for d in districts:
            for term in (d["name_zh"], d["short_zh"]):
                self.terms[term] = Place(term, d["adcode"], None, False)
        adcodes = {d["adcode"] for d in districts}
        for z in zones:
            outside = z["outside_wenzhou"] == "true"
            adcode = z["district_adcode"] or None
            if outside != (adcode is None) or (adcode and adcode not in adcodes):
                raise PlanFormatError(f"data/curated/zones.csv {z['zone_name']}",
                                      "a zone needs a Wenzhou district adcode unless it is outside Wenzhou")
            for term in [z["zone_name"], *filter(None, z["aliases"].split("|"))]:
                self.terms[term] = Place(term, adcode, z["zone_name"], outside)
        self.district_names = {d["name_zh"] for d in districts}

    def resolve_location(self, text: str, where: str) -> tuple[Place, bool]:
        """(place, was_normalised): a project location must be a district or a known zone."""
        place = self.terms.get(text)
        if place is None:
            raise PlanFormatError(where, f"unknown location {text!r}: add it to data/curated/zones.csv with its district and the reason")
        return place, text not in self.district_names

    def places_named_in(self, text: str) -> list[Place]:
        """Every district named in a text, longest term first so 瓯江口园区 wins over 瓯江口."""
        found: list[Place] = []
        taken = [False] * len(text)
        for term in sorted(self.terms, key=len, reverse=True):
            start = text.find(term)
            while start != -1:
                span = range(start, start + len(term))
                if not any(taken[i] for i in span):
                    for i in span:
                        taken[i] = True
                    found.append(self.terms[term])
                start = text.find(term, start + 1)
        return found
