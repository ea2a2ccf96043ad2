import zoneinfo

from django import template
from django.utils import formats, timezone

register = template.Library()


@register.filter
def local_time(value, creditor=None):
    """A time in the creditor's time zone (the console spans creditors; UTC, said so, for a
    ticket of no creditor), written as the page's language writes it."""
    if value is None:
        return "—"
    zone = creditor.time_zone if creditor is not None else "UTC"
    text = formats.date_format(
        timezone.localtime(value, zoneinfo.ZoneInfo(zone)), "SHORT_DATETIME_FORMAT"
    )
    return text if creditor is not None else f"{text} UTC"
