"""Organisation numbers by country, checked with their check digits (python-stdnum): Norway's
organisasjonsnummer (MOD11), Sweden's organisationsnummer (Luhn), Finland's Y-tunnus (MOD11);
stored compact (digits only), written as the country writes them (format_org_number)."""

from stdnum import exceptions as sx
from stdnum.fi import ytunnus
from stdnum.no import orgnr as no_orgnr
from stdnum.se import orgnr as se_orgnr

_VALIDATORS = {"NO": no_orgnr, "SE": se_orgnr, "FI": ytunnus}


class InvalidOrgNumber(ValueError):
    pass


def validate_org_number(country: str, value: str) -> str:
    """The number in its compact form (digits only, as ERPs report it), or InvalidOrgNumber."""
    module = _VALIDATORS.get(country)
    if module is None:
        raise InvalidOrgNumber(f"no organisation numbers for country {country!r}")
    try:
        return module.validate(value)
    except sx.ValidationError:
        raise InvalidOrgNumber(f"{value!r} is not a valid organisation number") from None


def format_org_number(country: str, value: str) -> str:
    """The number as its country writes it: "559123-4561" (SE), "927 145 286" (NO), "3219874-4"
    (FI). A number that does not validate for the country is returned stripped, as stored."""
    value = (value or "").strip()
    module = _VALIDATORS.get(country)
    if module is None or not module.is_valid(value):
        return value
    return module.format(value)
