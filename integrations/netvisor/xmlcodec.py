"""Netvisor's XML, in and out, with lxml.

Reading: the answer's bytes as sent (the declaration names the encoding: UTF-8 in the fixtures,
ISO-8859-15 in older environments; lxml honours it), amounts with a decimal comma or point
("123,45", "6,9000", "244.12"), dates as ANSI ("2013-11-09", `format="ansi"`) or Finnish
("7.2.2014", "1.10.2009 16:03:24"), booleans in any interface language ("Yes"/"No",
"Kyllä"/"Ei", "Ja"/"Nej", "1"/"0", "true"/"false").

Writing: a body starts with `<root>` and is sent ISO-8859-15-encoded (Netvisor's "general
instructions": Scandinavian characters in ISO-8859-15); a character that encoding lacks is sent
as a character reference, so nothing is lost.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from lxml import etree

ENCODING = "iso-8859-15"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=True)
_TRUE = {"1", "true", "yes", "kyllä", "kylla", "ja", "k", "y"}
_FALSE = {"0", "false", "no", "ei", "nej", "e", "n", ""}


class XmlError(ValueError):
    """The text is not XML, or a value in it is not what its element must hold."""


def parse(data: bytes | str) -> etree._Element:
    """The root element of a Netvisor document."""
    if isinstance(data, str):
        # A str has been decoded already: drop a declaration that names an encoding.
        data = data.lstrip("\ufeff")
        if data.startswith("<?xml"):
            data = data.split("?>", 1)[1]
        data = data.encode("utf-8")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise XmlError(f"not XML: {exc}") from None
    if root is None:
        raise XmlError("empty document")
    return root


def text(element, path: str, default: str = "") -> str:
    """The stripped text at `path` (case-insensitive tag names are not assumed: Netvisor's own
    casing), or `default` when absent."""
    if element is None:
        return default
    found = element.find(path)
    if found is None or found.text is None:
        return default
    return found.text.strip()


def decimal(value: str | None, *, what: str = "amount") -> Decimal:
    """'123,45', '123.45', '1 234,50', '-17,18' -> Decimal."""
    raw = (value or "").strip().replace("\u00a0", "").replace(" ", "")
    if not raw:
        raise XmlError(f"{what} is empty")
    if "," in raw and "." in raw:
        raw = raw.replace(".", "")  # 1.234,56: a thousands point
    try:
        number = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        raise XmlError(f"{what} {value!r} is not a number") from None
    if not number.is_finite():
        raise XmlError(f"{what} {value!r} is not a number")
    return number


def boolean(value: str | None, *, what: str = "flag") -> bool:
    raw = (value or "").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise XmlError(f"{what} {value!r} is not a yes or no")


def date(value: str | None, *, what: str = "date") -> dt.date:
    """ANSI 'YYYY-MM-DD' or Finnish 'D.M.YYYY' (a time after it is ignored)."""
    raw = (value or "").strip().split(" ")[0]
    try:
        if "-" in raw:
            return dt.date.fromisoformat(raw[:10])
        day, month, year = raw.split(".")
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise XmlError(f"{what} {value!r} is not a date") from None


def amount_text(value: Decimal) -> str:
    """An amount as Netvisor takes it in a body: a decimal comma, two places."""
    return f"{value.quantize(Decimal('0.01')):f}".replace(".", ",")


def element(tag: str, value=None, children=(), **attrs) -> etree._Element:
    el = etree.Element(tag, {k: str(v) for k, v in attrs.items()})
    if value is not None:
        el.text = str(value)
    for child in children:
        el.append(child)
    return el


def to_bytes(root: etree._Element) -> bytes:
    """A body to send: `<root>...` in ISO-8859-15, without a declaration."""
    return etree.tostring(root, encoding=ENCODING, xml_declaration=False)


def document(root: etree._Element, encoding: str = "utf-8") -> bytes:
    """An answer as Netvisor writes one (the emulator): with its declaration."""
    return etree.tostring(root, encoding=encoding, xml_declaration=True, standalone=True)
