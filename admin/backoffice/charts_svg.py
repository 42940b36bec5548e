"""Geometry of the home page's server-rendered SVG charts (the template draws them and writes
every label, money through the one `money` filter).

Drawn in a 360-unit-wide viewBox: at a phone's 375 px the chart is shown at about 1:1, so its
11-12 px labels stay legible; on a wide screen it grows to its max width.
"""

from __future__ import annotations

from dataclasses import dataclass

from tenants.production.charts import HomeCharts, TopProduct, Week

WIDTH = 360
WEEK_HEIGHT = 190
WEEK_TOP, WEEK_BOTTOM, SIDE = 26, 30, 6
ROW_HEIGHT = 36
NAME_LIMIT = 34
LABEL_EVERY = 3


@dataclass(frozen=True)
class WeekBar:
    week: Week
    x: float
    y: float
    width: float
    height: float
    label: bool  # show its date under the axis (every third week, and the last)


@dataclass(frozen=True)
class ProductBar:
    product: TopProduct
    name: str
    y: float  # baseline of the name line
    width: float


@dataclass(frozen=True)
class ChartLayout:
    width: int
    week_height: int
    axis_y: float
    top_y: float
    weeks: list[WeekBar]
    peak_minor: int
    products: list[ProductBar]
    product_height: int


def _short(name: str) -> str:
    return name if len(name) <= NAME_LIMIT else name[: NAME_LIMIT - 1] + "…"


def layout(charts: HomeCharts) -> ChartLayout:
    """Bars for the weekly values (scaled to the best week) and for the top products."""
    peak = max((w.value_minor for w in charts.weeks), default=0)
    plot = WEEK_HEIGHT - WEEK_TOP - WEEK_BOTTOM
    axis_y = WEEK_HEIGHT - WEEK_BOTTOM
    slot = (WIDTH - 2 * SIDE) / max(len(charts.weeks), 1)
    last = len(charts.weeks) - 1
    weeks = []
    for i, week in enumerate(charts.weeks):
        height = round(plot * week.value_minor / peak, 1) if peak else 0
        weeks.append(
            WeekBar(
                week,
                x=round(SIDE + i * slot + slot * 0.15, 1),
                y=round(axis_y - height, 1),
                width=round(slot * 0.7, 1),
                height=height,
                label=(last - i) % LABEL_EVERY == 0,
            )
        )
    best = max((p.value_minor for p in charts.top), default=0)
    products = [
        ProductBar(
            p,
            _short(p.name),
            y=16 + i * ROW_HEIGHT,
            width=round((WIDTH - 2 * SIDE) * p.value_minor / best, 1) if best else 0,
        )
        for i, p in enumerate(charts.top)
    ]
    return ChartLayout(
        width=WIDTH,
        week_height=WEEK_HEIGHT,
        axis_y=axis_y,
        top_y=WEEK_TOP,
        weeks=weeks,
        peak_minor=peak,
        products=products,
        product_height=max(len(products), 1) * ROW_HEIGHT + 4,
    )
