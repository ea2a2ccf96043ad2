from django import template

from creditors.import_filter import SKIP_LABELS

register = template.Library()


@register.filter
def skip_summary(counts) -> list[tuple[str, int]]:
    """{reason code: count} from an import run, as (label, count), the largest first."""
    rows = [(SKIP_LABELS.get(code, str(code).replace("_", " ")), n) for code, n in counts.items()]
    return sorted(rows, key=lambda row: (-row[1], row[0]))
