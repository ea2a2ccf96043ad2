"""A creditor's Tripletex connection, typed and checked when it is given (at onboarding), not on
the first nightly call.

    {"base_url": "https://tripletex.no/v2", "employee_token": "...", "company_id": 0}

`company_id` 0 is the employee's own company; any other is an accountant client (Client.id from
GET /company/>withLoginAccess) that an accounting firm's token reaches. The consumer token is
ours as Tripletex's integration partner, the same for every creditor: it comes from the
settings (TRIPLETEX_CONSUMER_TOKEN), never from a creditor's connection.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from integrations import connection

DEFAULT_LOOKBACK_DAYS = 3 * 365 + 1
PAGE_SIZE = 1000


@dataclass(frozen=True)
class TripletexConnection:
    base_url: str
    employee_token: str
    company_id: int = 0
    lookback_days: int = DEFAULT_LOOKBACK_DAYS  # how far back the invoice list reaches
    page_size: int = PAGE_SIZE

    @property
    def accountant_client(self) -> bool:
        """Reached through an accounting firm's token as one of its clients."""
        return self.company_id != 0

    @classmethod
    def from_dict(cls, data: dict) -> TripletexConnection:
        problems = connection.unknown_settings(cls, data)
        base_url = data.get("base_url")
        problems += connection.base_url_problems(base_url)
        token = data.get("employee_token")
        if not token:
            problems.append("lacks employee_token")
        elif not isinstance(token, str) or token != token.strip():
            problems.append("employee_token is not a plain token")
        numbers = {}
        for name, low, high in (
            ("company_id", 0, 2**31 - 1),
            ("lookback_days", 1, 20 * 366),
            ("page_size", 1, 10000),
        ):
            value = data.get(name, getattr(cls, name))
            if value in (None, ""):
                value = getattr(cls, name)
            try:
                number = int(value)
            except (TypeError, ValueError):
                problems.append(f"{name} {value!r} is not a number")
                continue
            exact = not isinstance(value, bool) and str(number) == str(value).strip()
            if not exact or not low <= number <= high:
                problems.append(f"{name} {value!r} is not a whole number from {low} to {high}")
                continue
            numbers[name] = number
        connection.refuse_problems(problems, label="Tripletex", erp="tripletex")
        return cls(base_url=base_url, employee_token=token, **numbers)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)
