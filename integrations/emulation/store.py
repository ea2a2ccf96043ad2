"""The object store every emulator keeps its data in, and the paging helpers of their APIs.

Records are plain dicts, shaped like the ERP's own JSON (or whatever the emulator renders from),
kept per kind and per tenant (company, client) in insertion order, which is the order a list
endpoint answers in. A record can be put in front of the others: that is how a page shifts
under a client that pages by offset. Keys starting with "_" are the emulator's own (the tenant
key, secrets) and never rendered. Not thread-safe on its own: the emulator holds its lock.
"""

from __future__ import annotations

import base64
import itertools
import json
from collections import defaultdict
from collections.abc import Callable, Sequence


class NotFound(LookupError):
    """No such record, or not this tenant's."""


class ObjectStore:
    def __init__(self, id_bases: dict[str, int] | None = None, *, tenant_key: str = "_tenant"):
        self.tenant_key = tenant_key
        self.objects: dict[str, dict[int, dict]] = defaultdict(dict)  # kind -> id -> record
        self._tenants: dict[tuple[str, object], dict[int, dict]] = defaultdict(dict)
        self._bases = dict(id_bases or {})
        self._ids: dict[str, itertools.count] = {}
        self._numbers: dict[tuple, itertools.count] = {}
        # Counts every add, update, delete and move: lists cached for paging (an emulator's
        # filtered, sorted view of thousands of records) are valid while it stays the same.
        self.generation = 0

    def new_id(self, kind: str) -> int:
        if kind not in self._ids:
            self._ids[kind] = itertools.count(self._bases.get(kind, 1))
        return next(self._ids[kind])

    def next_number(self, tenant, series: str, start: int = 1) -> int:
        """A number series per tenant (invoice numbers, customer numbers, voucher numbers)."""
        key = (tenant, series)
        if key not in self._numbers:
            self._numbers[key] = itertools.count(start)
        return next(self._numbers[key])

    def add(self, kind: str, fields: dict, *, front: bool = False, obj_id: int | None = None):
        """Store a new record (its tenant is fields[tenant_key], if any) and return it."""
        obj_id = self.new_id(kind) if obj_id is None else obj_id
        self.generation += 1
        record = {"id": obj_id, **fields}
        self.objects[kind][obj_id] = record
        tenant = record.get(self.tenant_key)
        if tenant is not None:
            self._tenants[(kind, tenant)][obj_id] = record
        if front:
            self.move_to_front(kind, obj_id)
        return record

    def get(self, kind: str, obj_id: int, tenant=None) -> dict:
        """The record; with a tenant, only if it is that tenant's or shared (no tenant key)."""
        record = self.objects[kind].get(obj_id)
        if record is None or (tenant is not None and record.get(self.tenant_key, tenant) != tenant):
            raise NotFound(f"{kind} {obj_id}")
        return record

    def update(self, kind: str, obj_id: int, tenant=None, **fields) -> dict:
        record = self.get(kind, obj_id, tenant)
        record.update(fields)
        self.generation += 1
        return record

    def delete(self, kind: str, obj_id: int, tenant=None) -> None:
        record = self.get(kind, obj_id, tenant)
        self.generation += 1
        del self.objects[kind][obj_id]
        self._tenants[(kind, record.get(self.tenant_key))].pop(obj_id, None)

    def all(self, kind: str, tenant=None) -> list[dict]:
        """The records of a kind (of one tenant), in list order."""
        if tenant is None:
            return list(self.objects[kind].values())
        return list(self._tenants[(kind, tenant)].values())

    def move_to_front(self, kind: str, obj_id: int) -> None:
        """List this record first, before all older ones: every later record moves one down."""
        record = self.objects[kind][obj_id]
        self.generation += 1
        self.objects[kind] = {obj_id: record, **self.objects[kind]}
        key = (kind, record.get(self.tenant_key))
        if obj_id in self._tenants.get(key, {}):
            self._tenants[key] = {obj_id: record, **self._tenants[key]}


# --- paging as the ERPs do it -----------------------------------------------------------------


def offset_page(rows: Sequence, start: int, count: int) -> list:
    """from/count (Tripletex), skip/take (Inexchange)."""
    return list(rows[start : start + count])


def number_page(rows: Sequence, number: int, size: int) -> list:
    """pageNumber/pageSize, 1-based (Visma.net)."""
    if number < 1 or size < 1:
        raise ValueError("page number and size start at 1")
    return list(rows[(number - 1) * size : number * size])


def continuation_page(
    rows: Sequence, token: str | None, size: int, key: Callable = lambda r: r["id"]
) -> tuple[list, str | None]:
    """Rows after the key a token names, in key order, and the token for the next page (None on
    the last): stable under inserts, as "above this key" paging is (Netvisor)."""
    ordered = sorted(rows, key=key)
    if token:
        after = decode_token(token)
        ordered = [r for r in ordered if key(r) > after]
    page = ordered[:size]
    more = len(ordered) > size
    return page, encode_token(key(page[-1])) if more else None


def encode_token(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def decode_token(token: str):
    """The value in a continuation token; ValueError if it was not one of ours."""
    try:
        return json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (ValueError, TypeError) as exc:
        raise ValueError(f"not a continuation token: {token!r}") from exc
