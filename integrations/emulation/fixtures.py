"""The emulators' fixture factory: companies, customers and invoices as Sweden, Norway and
Finland write them, in plain dataclasses that no ERP's shape leaks into; each seed turns them
into its own ERP's records.

    people = customers("NO", 1000)                    # valid org numbers / personal ids
    for invoice in invoices(people, today, 100_000):  # a generator: memory stays flat
        erp.add_invoice(..., invoice.amount, invoice.reference, ...)

Deterministic: a customer is a function of its country and index, an invoice of its index,
its customers and `today`, so the same call gives the same data in every process (an emulator
seeded in a process of its own; a test rebuilding what it should have imported). References and
amounts follow nordic's rules (OCR / KID / viitenumero, money); org numbers are completed with
python-stdnum's checksums and pass nordic.orgnumbers; personal ids pass python-stdnum's checks.
Names and addresses are invented, in the country's style and postal code format.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from stdnum import luhn
from stdnum.fi import alv, hetu
from stdnum.no import fodselsnummer
from stdnum.no import orgnr as no_orgnr
from stdnum.se import personnummer

from nordic.countries import country as nordic_country
from nordic.money import money
from nordic.references import reference_for_case

FIRST_CUSTOMER = 10_001
FIRST_INVOICE = 100_001
# Every invoice is at least this many days overdue, past any days-after-due setting of the
# import filter, and at most a year more: the bulk is collectable as it is.
OVERDUE_DAYS = (20, 379)


class Segment(enum.StrEnum):
    """What kind of customer, for the ERP's category or class (each seed names it its way)."""

    CONSUMER = "consumer"
    BUSINESS = "business"
    KEY_ACCOUNT = "key account"


@dataclass(frozen=True, slots=True)
class Address:
    street: str
    postal_code: str  # as stored: NO four digits, SE and FI five
    city: str
    country: str


@dataclass(frozen=True, slots=True)
class Company:
    country: str
    name: str
    org_number: str  # compact, as ERPs report it
    address: Address
    email: str
    phone: str
    language: str
    currency: str


@dataclass(frozen=True, slots=True)
class Customer:
    country: str
    number: int
    name: str
    segment: Segment
    org_number: str  # a business's; "" for a consumer
    personal_id: str  # a consumer's identity number as the country writes it; "" for a business
    email: str
    phone: str
    address: Address
    language: str

    @property
    def is_private(self) -> bool:
        return self.segment is Segment.CONSUMER


@dataclass(frozen=True, slots=True)
class Invoice:
    number: int
    customer: Customer
    issue_date: dt.date
    due_date: dt.date
    amount: Decimal  # in `currency`, to its minor unit
    currency: str
    reference: str  # the payment reference: KID (NO), OCR (SE), viitenumero (FI)
    text: str


# Per country: the company form, places (city, postal code, the place's name in a company
# name), streets, first and last names, trades, the invoice's word and the phone's prefix.
# Lists of coprime lengths, so that combinations repeat late.
_STYLE = {
    "NO": dict(
        form="AS",
        places=[("Oslo", "0150", "Oslo"), ("Bergen", "5003", "Bergen"),
                ("Trondheim", "7010", "Trondheim"), ("Stavanger", "4006", "Stavanger"),
                ("Tromsø", "9008", "Tromsø"), ("Bodø", "8006", "Bodø"),
                ("Ålesund", "6002", "Ålesund"), ("Drammen", "3015", "Drammen"),
                ("Kristiansand", "4610", "Kristiansand"), ("Hamar", "2317", "Hamar")],
        streets=["Storgata", "Kirkegata", "Strandgata", "Skolegata", "Parkveien", "Fjordgata",
                 "Bakkegata"],
        first=["Kari", "Ola", "Ingrid", "Nils", "Sara", "Marius", "Silje", "Henrik", "Ingvild",
               "Espen", "Marte", "Jonas", "Hanne", "Lars", "Tone", "Eirik", "Solveig"],
        last=["Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen",
              "Kristiansen", "Jensen", "Berg", "Haugen", "Hagen", "Johnsen", "Lie", "Dahl",
              "Moen", "Bakken", "Strand", "Lund"],
        trades=["Bygg", "Rør", "Elektro", "Transport", "Regnskap", "Eiendom", "Bakeri",
                "Maskin", "Trevare", "Data", "Tannlegesenter"],
        word="Faktura", phone="+47 4", org_prefix=("9", "8"),
    ),
    "SE": dict(
        form="AB",
        places=[("Stockholm", "11122", "Stockholms"), ("Göteborg", "41101", "Göteborgs"),
                ("Malmö", "21120", "Malmö"), ("Uppsala", "75320", "Uppsala"),
                ("Umeå", "90326", "Umeå"), ("Västerås", "72211", "Västerås"),
                ("Örebro", "70210", "Örebro"), ("Linköping", "58223", "Linköpings"),
                ("Luleå", "97231", "Luleå"), ("Jönköping", "55316", "Jönköpings")],
        streets=["Storgatan", "Kyrkogatan", "Drottninggatan", "Skolgatan", "Parkvägen",
                 "Kungsgatan", "Hamngatan"],
        first=["Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Eva", "Anders", "Sofia",
               "Per", "Emma", "Nils", "Kerstin", "Oskar", "Ingrid", "Magnus", "Linnea"],
        last=["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
              "Persson", "Svensson", "Gustafsson", "Lindqvist", "Berg", "Lindström", "Ek",
              "Holm", "Sandberg", "Forsberg", "Hagström", "Nordin"],
        trades=["Bygg", "Rör", "El", "Transport", "Redovisning", "Fastigheter", "Bageri",
                "Maskin", "Snickeri", "Data", "Tandvård"],
        word="Faktura", phone="+46 70", org_prefix=("556", "559"),
    ),
    "FI": dict(
        form="Oy",
        places=[("Helsinki", "00100", "Helsingin"), ("Tampere", "33100", "Tampereen"),
                ("Turku", "20100", "Turun"), ("Oulu", "90100", "Oulun"),
                ("Jyväskylä", "40100", "Jyväskylän"), ("Kuopio", "70100", "Kuopion"),
                ("Lahti", "15110", "Lahden"), ("Pori", "28100", "Porin"),
                ("Vaasa", "65100", "Vaasan"), ("Joensuu", "80100", "Joensuun")],
        streets=["Kauppakatu", "Kirkkokatu", "Rantakatu", "Koulukatu", "Puistotie",
                 "Satamakatu", "Asemakatu"],
        first=["Matti", "Liisa", "Juha", "Aino", "Mikko", "Sanna", "Timo", "Hanna", "Jari",
               "Elina", "Pekka", "Riikka", "Antti", "Tiina", "Ville", "Kaisa", "Heikki"],
        last=["Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine",
              "Heikkinen", "Koskinen", "Järvinen", "Lehtonen", "Lehtinen", "Saarinen",
              "Salminen", "Heinonen", "Niemi", "Kinnunen", "Salonen", "Turunen"],
        trades=["Rakennus", "Putki", "Sähkö", "Kuljetus", "Tilitoimisto", "Kiinteistöt",
                "Leipomo", "Kone", "Puu", "Data", "Hammaslääkärit"],
        word="Lasku", phone="+358 40", org_prefix=("2", "3"),
    ),
}  # fmt: skip
_ASCII = str.maketrans({"å": "a", "ä": "a", "æ": "ae", "ö": "o", "ø": "o", "é": "e", " ": "-"})
# Amounts in the currency's own size: a euro is worth about ten kronor.
_SCALE = {"NOK": Decimal(1), "SEK": Decimal(1), "EUR": Decimal("0.1")}


def _style(country: str) -> dict:
    return _STYLE[nordic_country(country).code]


def _slug(text: str) -> str:
    return text.lower().translate(_ASCII)


def org_number(country: str, body: str) -> str:
    """`body` with the check digit that makes it a valid organisation number of the country
    (NO: 8 digits, SE: 9, FI: 7), compact; ValueError if there is none (a NO or FI body whose
    MOD11 check would be 10). Computed with python-stdnum's sums, not by trying ten digits:
    nordic.orgnumbers validates (the tests check every number with it), it does not build."""
    code = nordic_country(country).code
    if code == "SE":
        return body + luhn.calc_check_digit(body)
    # MOD11 with the check digit weighted 1: the digit that brings the weighted sum to 0.
    check = -(no_orgnr if code == "NO" else alv).checksum(body + "0") % 11
    if check == 10:
        raise ValueError(f"no valid {code} organisation number starts {body}")
    return body + str(check)


def _numbered_org(country: str, series: int, n: int) -> str:
    """The n-th org number of a series (0: customers, 1: companies), unique for n < 100 000:
    the series prefix and n, then a free digit, so that one of two bodies has a check digit."""
    prefix = _style(country)["org_prefix"][series]
    width = {"NO": 7, "SE": 8, "FI": 6}[country] - len(prefix)
    body = f"{prefix}{n % 10**width:0{width}d}"
    try:
        return org_number(country, body + "0")
    except ValueError:  # the free digit weighs 2 (mod 11): with 1 the check cannot be 10 again
        return org_number(country, body + "1")


def personal_id(country: str, index: int) -> str:
    """A valid personal identity number, as the country writes it, of someone born 1950-1999:
    SE personnummer "YYMMDD-NNNC", NO fødselsnummer (11 digits), FI henkilötunnus
    "DDMMYY-NNNC". A birthday of its own for every index below 18 262, then the serial moves."""
    code = nordic_country(country).code
    # 7919 is prime to the 18 262 days of 1950-1999, so the days are a permutation of them.
    born = dt.date(1950, 1, 1) + dt.timedelta(days=index * 7919 % 18_262)
    serial = 2 + index // 18_262 % 400  # 002-401: men and women, valid in all three
    if code == "SE":
        body = f"{born:%y%m%d}{serial:03d}"
        return personnummer.format(body + luhn.calc_check_digit(body))
    if code == "FI":
        body = f"{born:%d%m%y}-{serial:03d}"
        return hetu.validate(
            body + "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(body[:6] + body[7:]) % 31]
        )
    for individual in range(serial, serial + 100):  # a MOD11 check of 10 has no digit: the next
        number = f"{born:%d%m%y}{individual % 500:03d}"
        number += fodselsnummer.calc_check_digit1(number)
        number += fodselsnummer.calc_check_digit2(number)
        if fodselsnummer.is_valid(number):
            return number
    raise AssertionError(f"no fødselsnummer born {born}")


def invoice_reference(country: str, customer_number: int, invoice_number: int) -> str:
    """The payment reference of an invoice: its customer's number (5 digits) and its own (6),
    with the country's check (nordic.references: KID MOD10, OCR with its length digit, the
    Finnish 7-3-1 reference)."""
    base = f"{customer_number % 100_000:05d}{invoice_number % 1_000_000:06d}"
    return reference_for_case(country, base)


def company(country: str, index: int = 0) -> Company:
    """A company of the country that invoices (the ERP's own company): name, org number,
    address, e-mail and phone."""
    s, facts = _style(country), nordic_country(country)
    city, postal_code, place = s["places"][index % len(s["places"])]
    name = f"{place} {s['trades'][index % len(s['trades'])]} {s['form']}"
    return Company(
        country=facts.code,
        name=name,
        org_number=_numbered_org(facts.code, 1, index),
        address=Address(f"{s['streets'][index % len(s['streets'])]} 1", postal_code, city,
                        facts.code),
        email=f"ekonomi@{_slug(name)}.example",
        phone=f"{s['phone']}{index % 10**7:07d}",
        language=facts.language,
        currency=facts.currency,
    )  # fmt: skip


def customer(country: str, index: int, *, first_number: int = FIRST_CUSTOMER) -> Customer:
    """The index-th customer: every third a consumer (personal id, no org number), the others
    businesses (org number), every third of those a key account. Business names are unique
    within a country; consumers' may repeat, as people's do."""
    s, facts = _style(country), nordic_country(country)
    places, trades = s["places"], s["trades"]
    city, postal_code, place = places[index % len(places)]
    segment = (Segment.CONSUMER, Segment.BUSINESS, Segment.KEY_ACCOUNT)[index % 3]
    if segment is Segment.CONSUMER:
        first, last = s["first"][index % len(s["first"])], s["last"][index % len(s["last"])]
        name = f"{first} {last}"
        email = f"{_slug(first)}.{_slug(last)}{index}@example.{facts.code.lower()}"
        org, personal = "", personal_id(facts.code, index)
    else:
        round_ = index // (len(places) * len(trades))  # the combinations' round, for uniqueness
        name = f"{place} {trades[index % len(trades)]}{f' {round_ + 1}' if round_ else ''}"
        name = f"{name} {s['form']}"
        email = f"faktura@{_slug(name)}.example"
        org, personal = _numbered_org(facts.code, 0, index), ""
    street = f"{s['streets'][index % len(s['streets'])]} {index % 97 + 1}"
    return Customer(
        country=facts.code,
        number=first_number + index,
        name=name,
        segment=segment,
        org_number=org,
        personal_id=personal,
        email=email,
        phone=f"{s['phone']}{index % 10**7:07d}",
        address=Address(street, postal_code, city, facts.code),
        language=facts.language,
    )


def customers(country: str, count: int, *, first_number: int = FIRST_CUSTOMER) -> list[Customer]:
    return [customer(country, i, first_number=first_number) for i in range(count)]


def invoices(
    people: Sequence[Customer],
    today: dt.date,
    count: int,
    *,
    first_number: int = FIRST_INVOICE,
) -> Iterator[Invoice]:
    """`count` overdue invoices over `people`, one each in turn (invoice k to people[k % M]),
    each due 20 to 379 days before `today` and issued 14 (consumers) or 30 (businesses) days
    before its due date, in the customer's country's currency, with its payment reference.
    A generator that keeps none of them: reading 100 000 takes the memory of one."""
    if not people:
        raise ValueError("invoices need at least one customer")
    low, high = OVERDUE_DAYS
    # Per country, once: its currency, the amounts' scale and the invoice's word.
    kinds = {c: nordic_country(c).currency for c in {p.country for p in people}}
    kinds = {c: (cur, _SCALE[cur], _style(c)["word"]) for c, cur in kinds.items()}
    for k in range(count):
        who = people[k % len(people)]
        currency, scale, word = kinds[who.country]
        due = today - dt.timedelta(days=low + k % (high - low + 1))
        number = first_number + k
        raw = Decimal(500 + k * 37 % 20_000) + Decimal(k % 100) / 100
        yield Invoice(
            number=number,
            customer=who,
            issue_date=due - dt.timedelta(days=14 if who.is_private else 30),
            due_date=due,
            amount=money(raw * scale, currency),
            currency=currency,
            reference=invoice_reference(who.country, who.number, number),
            text=f"{word} {number}",
        )
