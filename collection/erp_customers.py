"""The creditor's customers and customer classes as its ERP lists them, for the pick list of the
import filter's settings per customer and per class (portal settings page, and the API).

Asked of the adapter only when its ERP has Feature.READ_CUSTOMERS; without it (Inexchange) the
settings stay free text, as before. Kept a few minutes in Django's cache per creditor, so the
settings page does not read every customer from the ERP on each render. An ERP that fails gives a
readable message and no choices: the form stays free text, never a 500.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice

from django.core.cache import cache
from django.utils.translation import gettext as _

from collection.erp import adapter_for, erp_has
from integrations.errors import ErpConnectionInvalid, ErpError
from integrations.features import Feature

log = logging.getLogger(__name__)

CACHE_SECONDS = 300  # a customer new in the ERP shows within five minutes
FAILURE_CACHE_SECONDS = 60  # an ERP that is down is not asked again on every render
MAX_CUSTOMERS = 5000  # a pick list longer than this is no help; the id is typed instead

OK = "ok"
NOT_SUPPORTED = "not_supported"  # the ERP cannot list its customers: free text
NOT_CONNECTED = "not_connected"  # no usable connection stored yet: free text
ERP_ERROR = "erp_error"  # the ERP failed: free text, and the message says why


@dataclass(frozen=True)
class ErpCustomerChoice:
    erp_id: str  # what ImportFilterOverride.customer_erp_id holds
    number: str
    name: str

    @property
    def label(self) -> str:
        return f"{self.number} {self.name}".strip()


@dataclass(frozen=True)
class ErpClassChoice:
    key: str  # what ImportFilterOverride.customer_class holds (the customers' customer_class)
    name: str


@dataclass(frozen=True)
class ErpCustomerList:
    status: str
    erp: str = ""  # the ERP's label, for the message
    reason: str = ""  # ERP_ERROR: what the ERP said (the message is made in the reader's language)
    customers: list[ErpCustomerChoice] = field(default_factory=list)
    classes: list[ErpClassChoice] = field(default_factory=list)
    truncated: bool = False  # more customers than MAX_CUSTOMERS: the first ones only

    @property
    def available(self) -> bool:
        return self.status == OK

    @property
    def message(self) -> str:
        if self.status != ERP_ERROR:
            return ""
        return _("%(erp)s did not give its customers (%(reason)s): type the id instead.") % {
            "erp": self.erp,
            "reason": self.reason,
        }

    @cached_property
    def _labels(self) -> tuple[dict[str, str], dict[str, str]]:
        return (
            {c.erp_id: c.label for c in self.customers},
            {c.key: c.name for c in self.classes if c.name != c.key},
        )

    def label_for(self, customer_erp_id: str = "", customer_class: str = "") -> str:
        """The ERP's name for an override's customer or class; "" when the ERP does not know it."""
        customers, classes = self._labels
        if customer_erp_id:
            return customers.get(customer_erp_id, "")
        return classes.get(customer_class, "")


def _cache_key(creditor) -> str:
    # The connection is part of the key: a creditor reconnected to another company gets a fresh
    # list at once, not the old company's customers for five minutes.
    stored = json.dumps(creditor.erp_connection or {}, sort_keys=True, default=str)
    digest = hashlib.sha256(f"{creditor.erp_kind}:{stored}".encode()).hexdigest()[:16]
    return f"erp-customers:{creditor.pk}:{digest}"


def erp_customer_list(creditor) -> ErpCustomerList:
    """The creditor's ERP customers and classes (cached), or why there are none."""
    if not erp_has(creditor, Feature.READ_CUSTOMERS):
        return ErpCustomerList(NOT_SUPPORTED)
    key = _cache_key(creditor)
    listed = cache.get(key)
    if listed is None:
        listed = _read(creditor)
        seconds = FAILURE_CACHE_SECONDS if listed.status == ERP_ERROR else CACHE_SECONDS
        cache.set(key, listed, seconds)
    return listed


def _read(creditor) -> ErpCustomerList:
    try:
        adapter = adapter_for(creditor)
    except ErpConnectionInvalid:
        return ErpCustomerList(NOT_CONNECTED)
    erp = adapter.label
    try:
        # The adapter pages through the ERP's listing; one more than the cap says "truncated".
        read = list(islice(adapter.list_customers(), MAX_CUSTOMERS + 1))
        classes = adapter.list_customer_classes()
    except ErpError as exc:
        log.warning("erp customers of creditor %s not read: %s", creditor.pk, exc)
        return ErpCustomerList(ERP_ERROR, erp, reason=str(exc))
    customers = sorted(
        (ErpCustomerChoice(c.erp_id, c.number, c.name) for c in read[:MAX_CUSTOMERS]),
        key=lambda c: (c.name.casefold(), c.number),
    )
    in_use = {c.customer_class for c in read if c.customer_class}
    return ErpCustomerList(
        OK,
        erp,
        customers=customers,
        classes=[ErpClassChoice(_class_key(c, in_use), c.name) for c in classes],
        truncated=len(read) > MAX_CUSTOMERS,
    )


def _class_key(customer_class, in_use: set[str]) -> str:
    """The value the import filter compares with a customer's `customer_class`: adapters fill it
    with the class's id (Visma.net's customer class) or its name (Tripletex's category), so the
    class is keyed by whichever the ERP's customers carry; by its id when none carries it."""
    if customer_class.erp_id not in in_use and customer_class.name in in_use:
        return customer_class.name
    return customer_class.erp_id
