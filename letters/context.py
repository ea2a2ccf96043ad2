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
    """One row of the claim: capital, a fee, or interest (label says rate and from-date)."""

    label: str
    amount: Decimal

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


# --- example letters (template previews in the portal, benchmarks and tests) ------------------

_EXAMPLE_PARTIES = {
    "SE": (
        LetterParty(
            "AutoCollect AB",
            ("Box 1234", "111 22 Stockholm"),
            "559000-1234",
            "08-123 45 60",
            "kundservice@autocollect.se",
        ),
        LetterParty("Bygg & Måleri i Norrland AB", ("Storgatan 3", "902 47 Umeå"), "556677-8899"),
        LetterParty("Åsa Öberg", ("Kvarngatan 12 B lgh 1102", "118 47 Stockholm")),
        ("OCR", "1234567897", "Bankgiro", "5050-1055"),
    ),
    "NO": (
        LetterParty(
            "AutoCollect AS",
            ("Postboks 123 Sentrum", "0102 Oslo"),
            "912 345 678",
            "22 12 34 56",
            "kundeservice@autocollect.no",
        ),
        LetterParty("Fjord Rør & Varme AS", ("Strandkaien 4", "5013 Bergen"), "987 654 321"),
        LetterParty("Kjetil Ødegård", ("Bjørnstjerne Bjørnsons gate 7", "3044 Drammen")),
        ("KID", "123456782", "Kontonummer", "8601 11 17947"),
    ),
    "FI": (
        LetterParty(
            "AutoCollect Oy",
            ("PL 123", "00101 Helsinki"),
            "1234567-8",
            "09 123 4567",
            "asiakaspalvelu@autocollect.fi",
        ),
        LetterParty("Kahvila Kuu Oy", ("Hämeenkatu 10", "33100 Tampere"), "2345678-9"),
        LetterParty("Päivi Äijälä", ("Säästöpankinranta 2 A 5", "00530 Helsinki")),
        ("Viitenumero", "1234561", "IBAN", "FI21 1234 5600 0007 85"),
    ),
}
# (currency, late-interest % 2025 H2, fee lines in the letter's language per kind)
_EXAMPLE_TERMS = {
    "SE": (
        "SEK",
        Decimal("10.00"),
        {
            "reminder": (("Påminnelseavgift", "60.00"),),
            "demand": (("Påminnelseavgift", "60.00"), ("Inkassokostnad", "180.00")),
            "enforcement_notice": (("Påminnelseavgift", "60.00"), ("Inkassokostnad", "180.00")),
        },
    ),
    "NO": (
        "NOK",
        Decimal("12.25"),
        {
            "reminder": (("Purregebyr", "35.00"),),
            "notice": (("Purregebyr", "35.00"), ("Gebyr inkassovarsel", "35.00")),
            "demand": (
                ("Purregebyr", "35.00"),
                ("Gebyr inkassovarsel", "35.00"),
                ("Inkassosalær", "560.00"),
            ),
            "enforcement_notice": (
                ("Purregebyr", "35.00"),
                ("Gebyr inkassovarsel", "35.00"),
                ("Inkassosalær", "1120.00"),
            ),
        },
    ),
    "FI": (
        "EUR",
        Decimal("9.50"),
        {
            "reminder": (("Muistutusmaksu", "5.00"),),
            "demand": (("Muistutusmaksu", "5.00"), ("Perintäkulut, maksuvaatimus", "24.00")),
            "demand_2": (
                ("Muistutusmaksu", "5.00"),
                ("Perintäkulut, maksuvaatimus", "24.00"),
                ("Perintäkulut, toinen maksuvaatimus", "12.00"),
            ),
            "enforcement_notice": (
                ("Muistutusmaksu", "5.00"),
                ("Perintäkulut, maksuvaatimukset", "36.00"),
            ),
        },
    ),
}
_CAPITAL_LABEL = {"sv": "Kapitalbelopp", "nb": "Hovedstol", "fi": "Pääoma", "en": "Principal"}
_EXAMPLE_FEES_EN = {
    "Påminnelseavgift": "Reminder fee",
    "Inkassokostnad": "Collection fee",
    "Purregebyr": "Reminder fee",
    "Gebyr inkassovarsel": "Collection notice fee",
    "Inkassosalær": "Collection fee",
    "Muistutusmaksu": "Reminder fee",
    "Perintäkulut, maksuvaatimus": "Collection costs, demand",
    "Perintäkulut, toinen maksuvaatimus": "Collection costs, second demand",
    "Perintäkulut, maksuvaatimukset": "Collection costs, demands",
}


def example_context(
    country: str = "SE", kind: str = "reminder", language: str | None = None, invoices: int = 1
) -> LetterContext:
    """A realistic letter with made-up parties, valid-looking references and current fees."""
    from datetime import timedelta

    from nordic.formatting import interest_label

    native = nordic_country(country).language
    language = language or native
    collector, creditor, debtor, (ref_label, ref, pay_label, account) = _EXAMPLE_PARTIES[country]
    currency, rate, fees = _EXAMPLE_TERMS[country]
    letter_date = date(2025, 9, 15)
    invoice_rows = tuple(
        LetterInvoice(
            number=f"{10231 + i}",
            invoice_date=date(2025, 6, 20) + timedelta(days=7 * i),
            due_date=date(2025, 7, 20) + timedelta(days=7 * i),
            amount=Decimal("9870.00") + 1000 * i,
            outstanding=Decimal("9870.00") + 1000 * i - (Decimal("500.00") if i else 0),
        )
        for i in range(invoices)
    )
    capital = sum((inv.outstanding for inv in invoice_rows), Decimal("0.00"))
    first_due = min(inv.due_date for inv in invoice_rows)
    interest_from = first_due + timedelta(days=1)
    days = (letter_date - interest_from).days + 1
    interest = (capital * rate / 100 * days / 365).quantize(Decimal("0.01"))
    fee_language = language if language == native else "en"
    lines = [LetterLine(_CAPITAL_LABEL[fee_language], capital)]
    for label, amount in fees.get(kind, ()):
        label = label if fee_language == native else _EXAMPLE_FEES_EN[label]
        lines.append(LetterLine(label, Decimal(amount)))
    lines.append(
        LetterLine(interest_label(rate, interest_from, fee_language, end=letter_date), interest)
    )
    return LetterContext(
        kind=kind,
        country=country,
        language=language,
        letter_date=letter_date,
        pay_by=letter_date + timedelta(days=14),
        case_number="AC-25-004711",
        payment_reference=ref,
        reference_label=ref_label,
        pay_to_label=pay_label,
        pay_to_account=account,
        collector=collector,
        creditor=creditor,
        debtor=debtor,
        currency=currency,
        invoices=invoice_rows,
        lines=tuple(lines),
        interest_note="",
    )
