"""Paginators: how an ERP hands out a long list, page by page.

- `OffsetPaging`: from/count (Tripletex) or skip/take (Inexchange); stops on the first short page,
  since totals are often inexact (Tripletex's fullResultSize is deprecated);
- `PageNumberPaging`: pageNumber/pageSize, 1-based (Visma.net);
- `ContinuationPaging`: the next page is named by the previous one, a token in the body or a
  header, or the last key read ("invoicesabovenetvisorkey=<last key>", Netvisor).

Each yields one page (a list of rows) at a time, so a caller can stream: `fetch(params)` reads one
page with the paging parameters added, `rows(body)` takes the rows out of the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

Fetch = Callable[[dict], Any]
Rows = Callable[[Any], list]


class Paging(Protocol):
    def pages(self, fetch: Fetch, rows: Rows) -> Iterator[list]: ...


@dataclass(frozen=True)
class OffsetPaging:
    size: int = 1000
    start_param: str = "from"
    size_param: str = "count"

    def pages(self, fetch: Fetch, rows: Rows) -> Iterator[list]:
        start = 0
        while True:
            page = rows(fetch({self.start_param: start, self.size_param: self.size}))
            yield page
            if len(page) < self.size:
                return
            start += len(page)


@dataclass(frozen=True)
class PageNumberPaging:
    size: int = 100
    number_param: str = "pageNumber"
    size_param: str = "pageSize"
    first: int = 1

    def pages(self, fetch: Fetch, rows: Rows) -> Iterator[list]:
        number = self.first
        while True:
            page = rows(fetch({self.number_param: number, self.size_param: self.size}))
            yield page
            if len(page) < self.size:
                return
            number += 1


@dataclass(frozen=True)
class ContinuationPaging:
    """`next_token(body, rows)` names the next page (None: this was the last); it is sent as
    `token_param`. The first page is asked for without it. With `size`, a short page is the
    last (an "above key" listing that answers at most `size` rows)."""

    token_param: str
    next_token: Callable[[Any, list], str | None]
    size: int | None = None
    size_param: str | None = None

    def pages(self, fetch: Fetch, rows: Rows) -> Iterator[list]:
        params: dict = {}
        if self.size and self.size_param:
            params[self.size_param] = self.size
        seen: set[str] = set()
        while True:
            body = fetch(dict(params))
            page = rows(body)
            yield page
            if self.size is not None and len(page) < self.size:
                return
            token = self.next_token(body, page)
            if not token or not page or token in seen:
                return  # a token seen before would loop for ever
            seen.add(token)
            params[self.token_param] = token


def after_last_key(key: str) -> Callable[[Any, list], str | None]:
    """Continuation by the last row's key, for ERPs that page "above key" (Netvisor)."""

    def next_token(body, rows: list) -> str | None:
        return str(rows[-1][key]) if rows else None

    return next_token
