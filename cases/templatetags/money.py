from decimal import Decimal

from django import template

from nordic.formatting import format_number

register = template.Library()


@register.filter
def money(amount, currency=""):
    """12538 -> "12,538.00 NOK": always two decimals, grouped, with the currency."""
    if amount is None or amount == "":
        return "—"
    text = format_number(Decimal(amount), "en")
    return f"{text} {currency}".strip()
