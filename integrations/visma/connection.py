"""A creditor's Visma.net connection, typed and checked at onboarding.

    {"base_url": "https://api.finance.visma.net", "token_url":
     "https://connect.visma.com/connect/token", "tenant_id": "<company tenant uuid>"}

The client id and secret are ours (settings.VISMA_CLIENT_ID / VISMA_CLIENT_SECRET): each
company grants our application access to its tenant, and one token per tenant reaches it.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from integrations import connection

PAGE_SIZE = 500
DEFAULT_BASE_URL = "https://api.finance.visma.net"
DEFAULT_TOKEN_URL = "https://connect.visma.com/connect/token"
_TENANT = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)


@dataclass(frozen=True)
class VismaConnection:
    tenant_id: str
    base_url: str = DEFAULT_BASE_URL  # without /v1
    token_url: str = DEFAULT_TOKEN_URL
    page_size: int = PAGE_SIZE
    voucher_lookback_days: int = 400  # how far back a posted settlement voucher is looked for
    consumer_classes: tuple[str, ...] = ()  # customer class ids whose customers are consumers

    @classmethod
    def from_dict(cls, data: dict) -> VismaConnection:
        problems = connection.unknown_settings(cls, data)
        tenant = data.get("tenant_id")
        if not tenant:
            problems.append("lacks tenant_id (the Company tenant id from Visma Admin)")
        elif not isinstance(tenant, str) or not _TENANT.match(tenant.strip()):
            problems.append(f"tenant_id {tenant!r} is not a tenant id (a UUID)")
        urls = {}
        for name in ("base_url", "token_url"):
            value = data.get(name) or getattr(cls, name)
            if not connection.is_http_url(value):
                problems.append(f"{name} {value!r} is not an http(s) URL")
            else:
                urls[name] = value.rstrip("/")
        numbers = {}
        for name, low, high in (("page_size", 1, 1000), ("voucher_lookback_days", 1, 3660)):
            value = data.get(name, getattr(cls, name))
            wrong = connection.whole_number_problems(name, value, low, high)
            problems += wrong
            if not wrong:
                numbers[name] = value
        classes = data.get("consumer_classes", ())
        if not isinstance(classes, (list, tuple)) or not all(isinstance(c, str) for c in classes):
            problems.append("consumer_classes is not a list of class ids")
            classes = ()
        connection.refuse_problems(problems, label="Visma.net", erp="visma")
        return cls(
            tenant_id=tenant.strip().lower(), consumer_classes=tuple(classes), **urls, **numbers
        )

    def to_dict(self) -> dict:
        data = dataclasses.asdict(self)
        data["consumer_classes"] = list(self.consumer_classes)
        return data
