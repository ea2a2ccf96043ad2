"""The countries we collect in: one table, the only place these facts are written down."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166 alpha-2
    name: str
    currency: str  # ISO 4217
    time_zone: str  # IANA
    language: str  # the letters' language (BCP 47: Norwegian Bokmål is "nb")


COUNTRIES: dict[str, Country] = {
    c.code: c
    for c in (
        Country("SE", "Sweden", "SEK", "Europe/Stockholm", "sv"),
        Country("NO", "Norway", "NOK", "Europe/Oslo", "nb"),
        Country("FI", "Finland", "EUR", "Europe/Helsinki", "fi"),
    )
}
CHOICES = [(c.code, c.name) for c in COUNTRIES.values()]


def country(code: str) -> Country:
    """The country by its code ("se" and " SE " too); ValueError for one we do not serve."""
    cc = str(code).strip().upper()
    if cc not in COUNTRIES:
        raise ValueError(f"unsupported country {code!r}: expected {', '.join(COUNTRIES)}")
    return COUNTRIES[cc]
