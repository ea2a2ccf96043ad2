"""What a debtor letter says, as plain frozen values (no Django models, no database).

The case pipeline builds a :class:`LetterContext` from a case and its ledger; ``letters.rendering``
turns it into HTML/PDF. Money is always :class:`~decimal.Decimal` with at most two decimals, so
the amounts printed on the letter add up exactly to the printed total.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from nordic.countries import COUNTRIES as NORDIC
from nordic.countries import country as nordic_country

KINDS = ("reminder", "notice", "demand", "demand_2", "enforcement_notice")
COUNTRIES = tuple(NORDIC)
# Each country's own language, and English for a debtor abroad.
LANGUAGES = (*(c.language for c in NORDIC.values()), "en")

# Which stages send a letter in which country (cases.models.Case.Stage slugs).
# notice = Norwegian inkassovarsel (inkassoloven § 9); demand_2 = Finnish second maksuvaatimus.
KINDS_BY_COUNTRY = {
    "SE": ("reminder", "demand", "enforcement_notice"),
    "NO": ("reminder", "notice", "demand", "enforcement_notice"),
    "FI": ("reminder", "demand", "demand_2", "enforcement_notice"),
}


class LetterError(ValueError):
    """A letter context that cannot be rendered as asked."""


class UnknownLetterKind(LetterError):
    """The stage slug is not a letter kind, or the country sends no such letter."""


def _money(what: str, amount) -> Decimal:
    """Validate an amount: Decimal (or int, e.g. an empty ``sum()``), never float, cents only."""
    if isinstance(amount, int) and not isinstance(amount, bool):
        amount = Decimal(amount)
    if not isinstance(amount, Decimal):
        raise TypeError(f"{what} must be a Decimal, got {type(amount).__name__} {amount!r}")
    if not amount.is_finite():
        raise LetterError(f"{what} must be a finite amount, got {amount}")
    if amount.as_tuple().exponent < -2:
        raise LetterError(
            f"{what} has more than two decimals ({amount}); round it in the ledger before "
            "building the letter so the printed lines add up to the printed total"
        )
    return amount


@dataclass(frozen=True)
class LetterParty:
    name: str
    address_lines: tuple[str, ...]
    org_number: str = ""
    phone: str = ""  # optional contact details, printed for the collector
    email: str = ""
    web: str = ""
    licence: str = ""  # the collector's licensing authority (settings.AUTOCOLLECT_SENDER)
    legal_name: str = ""  # when `name` is an auxiliary business name: the legal entity's

    def __post_init__(self):
        if not (self.name or "").strip():
            raise LetterError("a letter party needs a name")
        # Accept lists from callers but store an immutable tuple.
        object.__setattr__(self, "address_lines", tuple(self.address_lines))


@dataclass(frozen=True)
class LetterInvoice:
    number: str
    invoice_date: date
    due_date: date
    amount: Decimal  # original invoice amount
    outstanding: Decimal  # what is still unpaid of it (the capital claimed)
    description: str = ""  # what the debt is for: the invoice's text, else the creditor's default

    def __post_init__(self):
        object.__setattr__(self, "amount", _money(f"invoice {self.number} amount", self.amount))
        outstanding = _money(f"invoice {self.number} outstanding", self.outstanding)
        object.__setattr__(self, "outstanding", outstanding)


@dataclass(frozen=True)
class LetterLine:
    """One row of the claim: capital, a fee, interest (label says rate and from-date), or a
    payment or credit already received (negative)."""

    label: str
    amount: Decimal
    kind: str = ""  # capital, paid_before, fee, interest, payment, credit, write_off
    basis: str = ""  # the legal basis of a fee or of the interest, in the letter's language
    rate: Decimal | None = None  # interest: percent p.a.
    start: date | None = None  # interest: first day
    end: date | None = None  # interest: last day

    def __post_init__(self):
        object.__setattr__(self, "amount", _money(f"line {self.label!r}", self.amount))


@dataclass(frozen=True)
class LetterContext:
    kind: str  # stage slug: "reminder", "notice" (NO inkassovarsel), "demand", "demand_2", ...
    country: str  # "SE" | "NO" | "FI"
    language: str  # "sv" | "nb" | "fi" | "en"
    letter_date: date
    pay_by: date
    case_number: str
    payment_reference: str
    reference_label: str  # "OCR", "KID", "Viitenumero"
    pay_to_label: str  # e.g. "Bankgiro", "Kontonummer", "IBAN"
    pay_to_account: str
    collector: LetterParty  # AutoCollect itself
    creditor: LetterParty
    debtor: LetterParty
    currency: str
    invoices: tuple[LetterInvoice, ...]
    lines: tuple[LetterLine, ...]
    interest_note: str = ""
    message: str = ""
    debtor_kind: str = "consumer"
    iban: str = ""  # for payers abroad, with the BIC
    bic: str = ""
    barcode: str = ""  # FI: the virtuaaliviivakoodi (nordic.fi_barcode)

    def __post_init__(self):
        object.__setattr__(self, "invoices", tuple(self.invoices))
        object.__setattr__(self, "lines", tuple(self.lines))
        if self.kind not in KINDS:
            raise UnknownLetterKind(
                f"unknown letter kind {self.kind!r}; expected one of {', '.join(KINDS)}"
            )
        if self.country not in COUNTRIES:
            raise LetterError(f"unknown country {self.country!r}; expected one of {COUNTRIES}")
        if self.kind not in KINDS_BY_COUNTRY[self.country]:
            raise UnknownLetterKind(
                f"no {self.kind!r} letter is sent in {self.country}; "
                f"{self.country} letters are {', '.join(KINDS_BY_COUNTRY[self.country])}"
            )
        if self.language not in LANGUAGES:
            raise LetterError(f"unknown language {self.language!r}; expected one of {LANGUAGES}")
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            raise LetterError(f"currency must be an ISO 4217 code like SEK, got {self.currency!r}")
        if self.pay_by < self.letter_date:
            raise LetterError(f"pay_by {self.pay_by} is before the letter date {self.letter_date}")
        for name in ("case_number", "payment_reference", "pay_to_account"):
            if not (getattr(self, name) or "").strip():
                raise LetterError(f"{name} is required on every letter")
        if not self.invoices:
            raise LetterError("a letter must list the invoice(s) the claim concerns")
        if not self.lines:
            raise LetterError("a letter needs at least one amount line (the capital)")
        if self.total <= 0:
            raise LetterError(f"the amount to pay must be positive, got {self.total}")

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    def figures(self) -> dict:
        """What the letter shows, as JSON-ready plain values (amounts and dates as strings):
        archived on the Letter when it is rendered, so the figures it went out with stay on
        file next to its PDF."""

        def day(d):
            return d.isoformat() if d else None

        return {
            "kind": self.kind,
            "country": self.country,
            "language": self.language,
            "letter_date": day(self.letter_date),
            "pay_by": day(self.pay_by),
            "case_number": self.case_number,
            "currency": self.currency,
            "total": str(self.total),
            "reference": self.payment_reference,
            "reference_label": self.reference_label,
            "pay_to": {"label": self.pay_to_label, "account": self.pay_to_account,
                       "iban": self.iban, "bic": self.bic},
            "barcode": self.barcode,
            "sender": {"name": self.collector.name, "org_number": self.collector.org_number},
            "creditor": {"name": self.creditor.name, "org_number": self.creditor.org_number},
            "debtor": {"name": self.debtor.name, "address": list(self.debtor.address_lines)},
            "invoices": [
                {"number": i.number, "invoice_date": day(i.invoice_date),
                 "due_date": day(i.due_date), "amount": str(i.amount),
                 "outstanding": str(i.outstanding), "description": i.description}
                for i in self.invoices
            ],
            "lines": [
                {"kind": line.kind, "label": line.label, "amount": str(line.amount),
                 "basis": line.basis, "rate": None if line.rate is None else str(line.rate),
                 "start": day(line.start), "end": day(line.end)}
                for line in self.lines
            ],
        }  # fmt: skip


# --- example letters (template previews in the portal, benchmarks and tests) ------------------

_EXAMPLE_PARTIES = {
    "SE": (
        LetterParty("AutoCollect Sverige AB", ("Box 1234", "111 22 Stockholm"), "559312-4703",
                    "08-520 277 00", "kundservice@autocollect.se", "autocollect.se",
                    "Finansinspektionen"),
        LetterParty("Norrlandsbygg", ("Storgatan 3", "902 47 Umeå"), "556677-8899",
                    legal_name="Bygg & Måleri i Norrland AB"),
        LetterParty("Åsa Öberg", ("Kvarngatan 12 B lgh 1102", "118 47 Stockholm")),
        ("OCR", "1234567897", "Bankgiro", "5050-1055", "SE45 5000 0000 0583 9825 7466",
         "ESSESESS"),
    ),
    "NO": (
        LetterParty("AutoCollect Norge AS", ("Postboks 1234 Vika", "0110 Oslo"), "927 145 286",
                    "22 40 50 60", "kundeservice@autocollect.no", "autocollect.no",
                    "Finanstilsynet"),
        LetterParty("Fjord Rør & Varme AS", ("Strandkaien 4", "5013 Bergen"), "987 654 321"),
        LetterParty("Kjetil Ødegård", ("Bjørnstjerne Bjørnsons gate 7", "3044 Drammen")),
        ("KID", "123456782", "Kontonummer", "8601 11 17947", "NO93 8601 1117 947", "DNBANOKK"),
    ),
    "FI": (
        LetterParty("AutoCollect Suomi Oy", ("PL 1234", "00101 Helsinki"), "3219874-4",
                    "09 4241 5000", "asiakaspalvelu@autocollect.fi", "autocollect.fi",
                    "Etelä-Suomen aluehallintovirasto"),
        LetterParty("Kahvila Kuu Oy", ("Hämeenkatu 10", "33100 Tampere"), "2345678-9"),
        LetterParty("Päivi Äijälä", ("Säästöpankinranta 2 A 5", "00530 Helsinki")),
        ("Viite", "1234561", "IBAN", "FI21 1234 5600 0007 85", "FI21 1234 5600 0007 85",
         "NDEAFIHH"),
    ),
}  # fmt: skip
# (late-interest % 2025 H2, fee amounts per kind) - domain-rules.md sections 2, 3; the
# currency is the country's (nordic.countries)
_EXAMPLE_TERMS = {
    "SE": (Decimal("10.00"), {"reminder": ("60.00",), "demand": ("60.00", "180.00"),
                                     "enforcement_notice": ("60.00", "180.00")}),
    "NO": (Decimal("12.25"), {"reminder": ("35.00",), "notice": ("35.00", "35.00"),
                                     "demand": ("35.00", "35.00", "105.00"),
                                     "enforcement_notice": ("35.00", "35.00", "105.00")}),
    "FI": (Decimal("9.50"), {"reminder": ("5.00",), "demand": ("5.00", "50.00"),
                                    "demand_2": ("5.00", "50.00", "25.00"),
                                    "enforcement_notice": ("5.00", "50.00", "25.00")}),
}  # fmt: skip
_FEE_KEYS = ("fee:reminder", "fee:notice", "fee:demand", "fee:demand_2")


def example_context(
    country: str = "SE", kind: str = "reminder", language: str | None = None, invoices: int = 1
) -> LetterContext:
    """A realistic letter with made-up parties, valid references and current fees: capital per
    invoice (the second partly paid before collection), fees with their legal basis, interest
    with rate and from-date, and a payment received during the case."""
    from datetime import timedelta

    from letters import texts
    from nordic.fi_barcode import virtual_barcode
    from nordic.formatting import format_date, interest_label

    language = language or nordic_country(country).language
    collector, creditor, debtor, payment = _EXAMPLE_PARTIES[country]
    ref_label, ref, pay_label, account, iban, bic = payment
    rate, fees = _EXAMPLE_TERMS[country]
    currency = nordic_country(country).currency
    letter_date = date(2025, 9, 15)
    rows = tuple(
        LetterInvoice(
            number=f"{10231 + i}",
            invoice_date=date(2025, 6, 20) + timedelta(days=7 * i),
            due_date=date(2025, 7, 20) + timedelta(days=7 * i),
            amount=Decimal("9870.00") + 1000 * i,
            outstanding=Decimal("9870.00") + 1000 * i - (Decimal("500.00") if i else 0),
            description="Order 2025-118" if i == 0 else "",
        )
        for i in range(invoices)
    )
    lines = []
    for inv in rows:
        lines.append(LetterLine(texts.line_label(language, "capital", inv.number), inv.amount,
                                kind="capital"))  # fmt: skip
        if inv.amount != inv.outstanding:
            label = texts.line_label(language, "paid_before", inv.number)
            lines.append(LetterLine(label, inv.outstanding - inv.amount, kind="paid_before"))
        start = inv.due_date + timedelta(days=1)
        days = (letter_date - start).days + 1
        interest = (inv.outstanding * rate / 100 * days / 365).quantize(Decimal("0.01"))
        lines.append(
            LetterLine(
                interest_label(rate, start, language, end=letter_date), interest,
                kind="interest", basis=texts.basis(country, "interest:consumer", language),
                rate=rate, start=start, end=letter_date,
            )
        )  # fmt: skip
    keys = [k for k in _FEE_KEYS if k != "fee:notice" or country == "NO"]
    for key, amount in zip(keys, fees.get(kind, ()), strict=False):
        lines.append(
            LetterLine(texts.line_label(language, key), Decimal(amount), kind="fee",
                       basis=texts.basis(country, key, language))
        )  # fmt: skip
    paid_on = format_date(letter_date - timedelta(days=20), language)
    lines.append(LetterLine(texts.line_label(language, "payment", paid_on), Decimal("-1000.00"),
                            kind="payment"))  # fmt: skip
    total = sum((line.amount for line in lines), Decimal("0.00"))
    pay_by = letter_date + timedelta(days=14)
    barcode = ""
    if country == "FI":
        barcode = virtual_barcode(iban=iban, reference=ref, amount=total, due=pay_by)
    return LetterContext(
        kind=kind,
        country=country,
        language=language,
        letter_date=letter_date,
        pay_by=pay_by,
        case_number="AC-25-004711",
        payment_reference=ref,
        reference_label=ref_label,
        pay_to_label=pay_label,
        pay_to_account=account,
        collector=collector,
        creditor=creditor,
        debtor=debtor,
        currency=currency,
        invoices=rows,
        lines=tuple(lines),
        iban=iban,
        bic=bic,
        barcode=barcode,
    )
