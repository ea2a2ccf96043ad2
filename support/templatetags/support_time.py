import zoneinfo

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def local_time(value, creditor=None):
    """A time in the creditor's time zone (the console spans creditors); UTC, said so, without."""
    if value is None:
        return "—"
    if creditor is None:
        return timezone.localtime(value, zoneinfo.ZoneInfo("UTC")).strftime("%Y-%m-%d %H:%M UTC")
    return timezone.localtime(value, zoneinfo.ZoneInfo(creditor.time_zone)).strftime(
        "%Y-%m-%d %H:%M"
    )
