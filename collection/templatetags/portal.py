"""The portal's dates and amounts in the creditor's time zone, written the way the page's
language writes them (the same formats as cases' money filters: autocollect/formats)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django import template
from django.utils import formats

from cases.templatetags.money import money

register = template.Library()


@register.filter
def day(value, creditor):
    """A date (or the creditor's local date of a point in time) in the page's short format."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.datetime):
        value = value.astimezone(ZoneInfo(creditor.time_zone)).date()
    return formats.date_format(value, "SHORT_DATE_FORMAT")


@register.simple_tag
def amount_in(value, currency, creditor=None):
    """{% amount_in case.outstanding case.currency %}: an amount in its own currency (a euro
    invoice of a Norwegian creditor) rather than the creditor's."""
    return money(value, currency)


@register.filter
def stage_label(value) -> str:
    """A stage's code (a letter's, a history row's) as the page's language names it."""
    from cases.models import Case

    return str(dict(Case.Stage.choices).get(value, value))
