from decimal import Decimal

from django import template
from django.utils import translation

from nordic.formatting import format_money, format_number

register = template.Library()


@register.filter
def money(amount, currency=""):
    """In the page's language, through nordic.formatting as on the letters: "12 538,00 kr"
    (sv, nb), "12 538,00 €" (fi); English keeps the portal's "12,538.00 NOK"."""
    if amount is None or amount == "":
        return "—"
    language = translation.get_language() or "en"
    language = language if language in ("sv", "nb", "fi") else "en"
    if currency and language != "en":
        return format_money(Decimal(amount), currency, language)
    text = format_number(Decimal(amount), language)
    return f"{text} {currency}".strip()


@register.filter
def amount(value, creditor):
    """An amount in the creditor's currency, in the page's language (see money)."""
    return money(value, getattr(creditor, "currency", ""))


@register.filter
def moment(value, creditor):
    """A date and time in the creditor's time zone, in the page's language's short format."""
    if value is None or value == "":
        return "—"
    from zoneinfo import ZoneInfo

    from django.utils import formats

    local = (
        value.astimezone(ZoneInfo(creditor.time_zone)) if hasattr(value, "astimezone") else value
    )
    return formats.date_format(local, "SHORT_DATETIME_FORMAT")
