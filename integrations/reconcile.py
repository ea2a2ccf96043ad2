"""Every record of a paged listing exactly once, on an ERP that cannot page stably.

Paging by offset (Tripletex `from`/`count`) over a list that changes between two page reads
shifts it: a record inserted before the offset pushes the last row of a page onto the next one
(read twice), a record removed before it pulls the first row of the next page back (never read).
Sorting by id keeps new records at the end, so inserts no longer shift anything; removals still
do. So: skip ids already yielded, and afterwards ask the ERP for the ids it has now (a cheap
listing of ids only) and fetch the ones no page brought.

Memory: the set of ids seen (a few dozen bytes per record), never the records.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def listed_once(
    rows: Iterable[T],
    *,
    key: Callable[[T], Hashable | None],
    current_keys: Callable[[], Iterable[Hashable]],
    fetch: Callable[[list], Iterable[T]],
    batch: int = 100,
) -> Iterator[T]:
    """Yield `rows`, each key once, then the rows of keys `current_keys()` names that no page
    brought (fetched `batch` keys at a time). A row whose key is None (unreadable) is yielded
    as it is, for the caller to set aside."""
    seen: set = set()
    for row in rows:
        k = key(row)
        if k is None:
            yield row
        elif k not in seen:
            seen.add(k)
            yield row
    missed = [k for k in current_keys() if k not in seen]
    for start in range(0, len(missed), batch):
        for row in fetch(missed[start : start + batch]):
            k = key(row)
            if k is None or k not in seen:
                if k is not None:
                    seen.add(k)
                yield row
