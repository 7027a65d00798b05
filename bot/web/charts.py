"""Geometry for the pages' SVG charts, drawn server-side so they work without JavaScript.

Each chart is paired on its page with a table of the same numbers (screen readers, printing, CSV).
"""
from __future__ import annotations

from dataclasses import dataclass

from bot.interests.catalog import RIASEC_NAMES

# Colour-blind-safe palette (Okabe–Ito), in series order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
           "#999999", "#882255", "#44AA99")


@dataclass(frozen=True)
class Bar:
    label: str
    shown: str  # the value as printed beside the bar
    y: float
    width: float


LABEL_WIDTH, BAR_AREA, BAR_HEIGHT, BAR_GAP = 150, 300, 22, 8
PLOT_HEIGHT, COLUMN_WIDTH, COLUMN_GAP, AXIS_WIDTH = 160, 26, 10, 40


@dataclass(frozen=True)
class HorizontalBars:
    bars: list[Bar]
    height: float
    label_width: float = LABEL_WIDTH
    bar_area: float = BAR_AREA
    bar_height: float = BAR_HEIGHT


def horizontal_bars(rows: list[tuple[str, float, str]], *, maximum: float | None = None) -> HorizontalBars:
    """One bar per (label, value, shown) row, scaled to `maximum` (default: the largest value)."""
    top = maximum if maximum else max((value for _, value, _ in rows), default=0) or 1
    step = BAR_HEIGHT + BAR_GAP
    bars = [Bar(label, shown, index * step, BAR_AREA * max(value, 0) / top)
            for index, (label, value, shown) in enumerate(rows)]
    return HorizontalBars(bars, max(len(rows) * step, step))


def interest_chart(riasec_scores: dict[str, float]) -> HorizontalBars:
    return horizontal_bars([(RIASEC_NAMES[letter], score, f"{score:g}") for letter, score in riasec_scores.items()])


@dataclass(frozen=True)
class Segment:
    series: str
    value: int
    y: float
    height: float
    colour: str


@dataclass(frozen=True)
class Column:
    label: str
    total: int
    x: float
    segments: list[Segment]


@dataclass(frozen=True)
class StackedColumns:
    columns: list[Column]
    legend: list[tuple[str, str]]  # series, colour
    width: float
    top: int
    plot_height: float = PLOT_HEIGHT
    column_width: float = COLUMN_WIDTH


def stacked_columns(columns: list[tuple[str, dict[str, int]]], series: list[str]) -> StackedColumns:
    """One column per (label, {series: value}); series with no value anywhere are left out of the legend."""
    used = [name for name in series if any(values.get(name) for _, values in columns)]
    colours = {name: PALETTE[index % len(PALETTE)] for index, name in enumerate(used)}
    top = max((sum(values.values()) for _, values in columns), default=0) or 1
    drawn = []
    for index, (label, values) in enumerate(columns):
        base = PLOT_HEIGHT
        segments = []
        for name in used:
            value = values.get(name, 0)
            if value:
                height = PLOT_HEIGHT * value / top
                base -= height
                segments.append(Segment(name, value, base, height, colours[name]))
        drawn.append(Column(label, sum(values.values()), AXIS_WIDTH + index * (COLUMN_WIDTH + COLUMN_GAP), segments))
    width = AXIS_WIDTH + len(columns) * (COLUMN_WIDTH + COLUMN_GAP) + COLUMN_GAP
    return StackedColumns(drawn, [(name, colours[name]) for name in used], width, top)
