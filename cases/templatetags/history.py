"""{{ event|event_text }} and {{ entry|entry_text }}: a case's history and ledger lines in the
page's language (cases.describe)."""

from django import template

from cases import describe

register = template.Library()


@register.filter
def event_text(event) -> str:
    return describe.event_text(event)


@register.filter
def entry_text(entry) -> str:
    return describe.entry_text(entry)
