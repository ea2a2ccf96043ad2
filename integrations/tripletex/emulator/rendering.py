"""The Tripletex emulator's answers: `fields` selection, rendering, list envelopes, paging and
sorting, the request's parameters, and Call (one request as the handlers in views.py see it).

Rendering follows Tripletex: `fields=*` gives every field of the object, and a nested object is a
stub {"id", "url"} unless the field is expanded, as in `*,customer(*),currency(*)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict

from integrations.emulation.store import offset_page
from integrations.tripletex.emulator.model import ApiFailure, Ref, invalid
from integrations.tripletex.emulator.state import State

PATHS = {
    "company": "company",
    "customer": "customer",
    "invoice": "invoice",
    "voucher": "ledger/voucher",
    "posting": "ledger/posting",
    "account": "ledger/account",
    "voucherStatus": "voucherStatus",
    "currency": "currency",
    "country": "country",
    "address": "address",
    "customerCategory": "customer/category",
    "employee": "employee",
    "paymentType": "invoice/paymentType",
    "employeeToken": "token/employee",
    "consumerToken": "token/consumer",
    "sessionToken": "token/session",
}
VERSION_DIGEST = "Checksum not yet supported for this endpoint"
STAR = {"*": None}


def parse_fields(text: str | None) -> dict:
    """ "*,customer(*,postalAddress(*)),currency(*)" -> {"*": None, "customer": {...}, ...}."""
    if not text or not text.strip():
        return {"*": None}
    spec, rest = _parse_list(text.replace(" ", ""), 0)
    if rest != len(text.replace(" ", "")):
        raise ApiFailure(400, 11000, "Illegal field filter", f"Cannot parse fields={text!r}")
    return spec


def _parse_list(text: str, pos: int) -> tuple[dict, int]:
    spec: dict = {}
    while pos < len(text):
        end = pos
        while end < len(text) and text[end] not in ",()":
            end += 1
        name = text[pos:end]
        if not name:
            raise ApiFailure(400, 11000, "Illegal field filter", f"Empty field name at {pos}")
        if end < len(text) and text[end] == "(":
            sub, end = _parse_list(text, end + 1)
            if end >= len(text) or text[end] != ")":
                raise ApiFailure(400, 11000, "Illegal field filter", "Unbalanced parentheses")
            spec[name] = sub or {"*": None}
            end += 1
        else:
            spec.setdefault(name, None)
        if end < len(text) and text[end] == ")":
            return spec, end
        pos = end + 1 if end < len(text) and text[end] == "," else end
    return spec, pos


@dataclass
class Renderer:
    state: State
    host: str
    linked: dict = field(default_factory=dict)  # (Ref, sub-spec id) -> rendered, per answer

    def url(self, ref: Ref) -> str:
        return f"{self.host}/v2/{PATHS[ref.kind]}/{ref.id}"

    def render(self, target: Ref | dict, spec: dict | None, extra: dict | None = None) -> dict:
        obj = self.state.objects[target.kind][target.id] if isinstance(target, Ref) else target
        if extra:
            obj = {**obj, **extra}
        spec = spec or STAR
        star = "*" in spec
        if star:
            names = [k for k in obj if k[0] != "_"]
            names += [k for k in spec if k != "*" and k not in obj]
        else:
            names = spec  # the fields asked for, in the order asked
        is_ref = isinstance(target, Ref)
        out = {}
        for name in names:
            if name in obj and name[0] != "_":
                value = obj[name]
                if isinstance(value, (Ref, list)):
                    value = self._value(value, spec.get(name))
                out[name] = value
            if is_ref and (name == "url" or star and name == "version"):
                out["url"] = self.url(target)
        return out

    def _value(self, value, sub: dict | None):
        if isinstance(value, Ref):
            if not sub:
                return {"id": value.id, "url": self.url(value)}
            # Within one answer a linked object (a currency, a country, a customer on many
            # invoices) renders the same each time: render it once.
            key = (value, id(sub))
            if key not in self.linked:
                self.linked[key] = self.render(value, sub)
            return self.linked[key]
        if isinstance(value, list):
            return [self._value(v, sub) for v in value]
        return value

    def envelope(self, refs: list[Ref], args: MultiDict, extra=None) -> dict:
        start, count = int_arg(args, "from", 0), int_arg(args, "count", 1000)
        spec = parse_fields(args.get("fields"))
        page = offset_page(refs, start, count)
        return {
            # Tripletex marks it deprecated and not exact; pytripletex measured min(total, count)+1.
            "fullResultSize": min(len(refs), count) + 1,
            "from": start,
            "count": len(page),
            "versionDigest": VERSION_DIGEST,
            "values": [self.render(r, spec, extra(r) if extra else None) for r in page],
        }


@dataclass
class Call:
    """One authenticated request as the handlers see it."""

    state: State
    render: Renderer
    args: MultiDict
    company: int = 0
    token: dict = field(default_factory=dict)
    body: object = None
    params: dict = field(default_factory=dict)

    @property
    def spec(self) -> dict:
        return parse_fields(self.args.get("fields"))

    def one(self, kind: str, obj_id: int, status: int = 200, extra=None) -> tuple[int, dict]:
        self.state.get(kind, obj_id, self.company)
        return status, {"value": self.render.render(Ref(kind, obj_id), self.spec, extra)}

    def rows(self, kind: str, keep=lambda obj: True, extra=None) -> tuple[int, dict]:
        # In the store's order (creation order, unless a record was put in front), so that an
        # insert before the offset shifts later pages, unless the client asks for `sorting`.
        # The filtered, sorted list is kept while the store is unchanged: paging through
        # 100 000 invoices must not filter all of them again for every page.
        query = tuple(sorted((k, v) for k, v in self.args.items(multi=True) if k not in PAGING))
        cache_key = (kind, self.company, query)
        cached = self.state.lists.get(cache_key)
        if cached is None or cached[0] != self.state.store.generation:
            objs = [o for o in self.state.owned(kind, self.company) if keep(o)]
            if self.args.get("sorting"):
                _sort(objs, self.args["sorting"])
            if len(self.state.lists) >= 16:
                self.state.lists.clear()
            cached = self.state.lists[cache_key] = (
                self.state.store.generation,
                [Ref(kind, o["id"]) for o in objs],
            )
        return 200, self.render.envelope(cached[1], self.args, extra)


PAGING = {"from", "count", "fields"}


def _sort(objs: list[dict], sorting: str) -> None:
    """Tripletex's `sorting`: field names, comma separated, "-" for descending; a linked object
    sorts by its id."""

    def value(obj, name):
        v = obj.get(name)
        return (v is None, v.id if isinstance(v, Ref) else v)

    for name in reversed([n.strip() for n in sorting.split(",") if n.strip()]):
        descending = name.startswith("-")
        field_name = name.lstrip("-")
        objs.sort(key=lambda o, f=field_name: value(o, f), reverse=descending)


def int_arg(args: MultiDict, name: str, default: int) -> int:
    raw = args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiFailure(422, 21000, "Ugyldig parameter.", f"{name} must be an integer") from None
    if value < 0:
        raise ApiFailure(422, 21000, "Ugyldig parameter.", f"{name} must not be negative")
    return value


def id_set(args: MultiDict, name: str) -> set[int] | None:
    raw = args.get(name)
    if not raw:
        return None
    try:
        return {int(x) for x in raw.split(",") if x.strip()}
    except ValueError:
        raise ApiFailure(
            400, 11000, "Illegal filter", f"{name} must be comma separated ids"
        ) from None


def required(args: MultiDict, *names: str) -> None:
    missing = [(n, "Kan ikke være null.") for n in names if not args.get(n)]
    if missing:
        raise invalid(*missing)
