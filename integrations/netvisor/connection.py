"""A creditor's Netvisor connection, typed and checked when it is given (at onboarding).

    {"base_url": "https://integration.netvisor.fi", "customer_id": "...", "customer_key": "...",
     "organisation_id": "1234567-8", "language": "EN"}

`customer_id`/`customer_key` are the Netvisor *user's* API identifiers: an accounting firm's user
reaches every client company it has rights to, and `organisation_id` (the company's Y-tunnus,
sent as X-Netvisor-Organisation-ID) picks the company on each request. The partner id and key are
ours as Visma's software partner, the same for every creditor: they come from the settings
(NETVISOR_PARTNER_ID, NETVISOR_PARTNER_KEY), never from a creditor's connection.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from integrations import connection
from integrations.netvisor.auth import LANGUAGES

PAGE_SIZE = 500  # salesinvoicelist.nv answers at most 500 rows
BUSINESS_ID = re.compile(r"^\d{7}-\d$")


@dataclass(frozen=True)
class NetvisorConnection:
    base_url: str
    customer_id: str
    customer_key: str
    organisation_id: str
    language: str = "EN"
    page_size: int = PAGE_SIZE

    @classmethod
    def from_dict(cls, data: dict) -> NetvisorConnection:
        problems = connection.unknown_settings(cls, data)
        base_url = data.get("base_url")
        problems += connection.base_url_problems(base_url)
        for name in ("customer_id", "customer_key"):
            value = data.get(name)
            if not value:
                problems.append(f"lacks {name}")
            elif not isinstance(value, str) or value != value.strip():
                problems.append(f"{name} is not a plain identifier")
        organisation = data.get("organisation_id")
        if not organisation:
            problems.append("lacks organisation_id")
        elif not isinstance(organisation, str) or not BUSINESS_ID.match(organisation):
            problems.append(f"organisation_id {organisation!r} is not a business id (1234567-8)")
        language = str(data.get("language") or "EN").upper()
        if language not in LANGUAGES:
            problems.append(f"language {language!r} is not one of {', '.join(LANGUAGES)}")
        page_size = data.get("page_size", PAGE_SIZE)
        problems += connection.whole_number_problems("page_size", page_size, 1, 500)
        connection.refuse_problems(problems, label="Netvisor", erp="netvisor")
        return cls(
            base_url=base_url,
            customer_id=data["customer_id"],
            customer_key=data["customer_key"],
            organisation_id=organisation,
            language=language,
            page_size=page_size,
        )

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)
