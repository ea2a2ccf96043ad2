"""The checks every ERP's connection makes when it is given (integrations.<erp>.connection):
settings it does not know, its URLs, its whole numbers, and the one error listing every problem
found, so that a bad connection is refused at onboarding with all that is wrong with it."""

from __future__ import annotations

import dataclasses
from urllib.parse import urlsplit

from integrations.errors import ErpConnectionInvalid


def unknown_settings(cls, data: dict) -> list[str]:
    """The problem of settings the connection class has no field for, if any."""
    unknown = sorted(set(data) - {f.name for f in dataclasses.fields(cls)})
    return [f"unknown settings {', '.join(unknown)}"] if unknown else []


def is_http_url(value) -> bool:
    parts = urlsplit(value) if isinstance(value, str) else None
    return parts is not None and parts.scheme in ("http", "https") and bool(parts.netloc)


def base_url_problems(base_url) -> list[str]:
    """A required base_url: given, and an http(s) URL."""
    if not base_url:
        return ["lacks base_url"]
    if not is_http_url(base_url):
        return [f"base_url {base_url!r} is not an http(s) URL"]
    return []


def whole_number_problems(name: str, value, low: int, high: int) -> list[str]:
    """A setting that must be an int (not a bool, not a string) from low to high."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return [f"{name} {value!r} is not a whole number from {low} to {high}"]
    return []


def refuse_problems(problems: list[str], *, label: str, erp: str) -> None:
    """Raise one ErpConnectionInvalid naming every problem, when there are any."""
    if problems:
        raise ErpConnectionInvalid(f"the {label} connection {'; '.join(problems)}", erp=erp)
