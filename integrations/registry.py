"""The ERPs AutoCollect speaks to, by slug: an explicit table, no class loading by name.

Each slug is also a choice of `Creditor.erp_kind`. creditors/ may not import integrations/
(import-linter), so the choices stay on the model and collection/ (which sees both) keeps them
equal: a system check (collection.checks) fails when they differ, and onboarding refuses a slug
that has no adapter. Adding an ERP is one line here, one choice on the model, and its migration.
"""

from __future__ import annotations

from collections.abc import Mapping

from integrations.errors import ErpConnectionInvalid
from integrations.features import ErpAdapter, Feature
from integrations.inexchange.adapter import InexchangeAdapter
from integrations.netvisor.adapter import NetvisorAdapter
from integrations.tripletex.adapter import TripletexAdapter
from integrations.visma.adapter import VismaAdapter

_ADAPTERS: dict[str, type[ErpAdapter]] = {
    cls.slug: cls for cls in (TripletexAdapter, InexchangeAdapter, NetvisorAdapter, VismaAdapter)
}


def _check(adapters: Mapping[str, type[ErpAdapter]]) -> None:
    for slug, cls in adapters.items():
        missing = cls.missing_methods()
        if missing:
            raise TypeError(f"{slug} declares features it does not implement: {missing}")


_check(_ADAPTERS)


def adapter_class(slug: str) -> type[ErpAdapter]:
    try:
        return _ADAPTERS[slug]
    except KeyError:
        raise LookupError(f"no ERP integration called {slug!r}") from None


def slugs() -> list[str]:
    return sorted(_ADAPTERS)


def choices() -> list[tuple[str, str]]:
    """(slug, label) for every ERP, as a model's choices."""
    return [(slug, _ADAPTERS[slug].label) for slug in slugs()]


def features(slug: str) -> frozenset[Feature]:
    return adapter_class(slug).features


def parse_connection(slug: str, connection: dict):
    """The ERP's typed connection from its stored form; ErpConnectionInvalid says what is
    wrong (onboarding calls this before anything is stored or any ERP is called)."""
    cls = adapter_class(slug)
    if not isinstance(connection, dict):
        raise ErpConnectionInvalid(f"the {cls.label} connection is not a set of settings")
    return cls.connection_type.from_dict(connection)


def connect(slug: str, connection: dict) -> ErpAdapter:
    """The adapter for this ERP on a stored connection."""
    return adapter_class(slug)(parse_connection(slug, connection))
