"""A bar chart drawn on the server as SVG geometry (no JavaScript library, no build step): the
template (portal/_bar_chart.html) draws the bars computed here."""

from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT, BOTTOM, LEFT = 640, 220, 28, 8


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # under the bar
    value: Decimal
    text: str  # the value as the reader writes it (tooltip and screen readers)


def bar_chart(points: list[tuple[str, Decimal, str]]) -> dict:
    """points: (label, value, value as text). Bars scaled to the largest value."""
    top = max((v for _, v, _ in points), default=Decimal(0)) or Decimal(1)
    slot = (WIDTH - 2 * LEFT) / max(len(points), 1)
    usable = HEIGHT - BOTTOM - 12
    bars = []
    for i, (label, value, text) in enumerate(points):
        h = float(value / top) * usable if value > 0 else 0.0
        bars.append(
            Bar(
                x=round(LEFT + i * slot + slot * 0.15, 1),
                y=round(HEIGHT - BOTTOM - h, 1),
                width=round(slot * 0.7, 1),
                height=round(h, 1),
                label=label,
                value=value,
                text=text,
            )
        )
    return {"bars": bars, "width": WIDTH, "height": HEIGHT, "baseline": HEIGHT - BOTTOM}
