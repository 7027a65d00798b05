"""Geometry for the pages' SVG charts, drawn server-side so they work without JavaScript.

Every chart is horizontal bars, one row per label with the label above its bar and the value after it. The
SVG is not scaled (no viewBox): text keeps its size in CSS pixels at any width, and bars are laid out in
percent of the chart's width, so a chart fits a 320 px screen with readable labels. Each page also shows the
numbers as a table (screen readers, printing, CSV).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from bot.interests.catalog import RIASEC_NAMES

# Series colours, each at least 3:1 against the page (#f7f8fa) and white (WCAG 1.4.11), after Okabe–Ito with the
# light ones darkened; each series also has its own pattern, so colour is never the only cue (WCAG 1.4.1).
PALETTE = ("#0072B2", "#B35900", "#007A5A", "#A8478A", "#8B6B00", "#D55E00", "#000000", "#5A5A5A", "#882255",
           "#332288", "#117733")
PATTERNS = ("solid", "rising", "falling", "horizontal", "vertical", "crosshatch", "grid", "dots", "checks", "zigzag",
            "rings")  # drawn by partials/charts.html

ROW_HEIGHT = 44     # px: label, bar and the gap below
LABEL_BASELINE = 15  # px from the row's top
BAR_TOP, BAR_HEIGHT = 21, 16
BAR_SHARE = 78.0     # percent of the width the longest bar takes; the rest holds the value printed after it


@dataclass(frozen=True)
class Series:
    name: str
    index: int
    colour: str
    pattern: str


@dataclass(frozen=True)
class Segment:
    series: Series | None  # None in a chart of one unnamed series (drawn in the page's accent colour)
    value: float
    x: float      # percent of the chart's width
    width: float  # percent of the chart's width


@dataclass(frozen=True)
class Row:
    label: str
    shown: str    # the value as printed after the bar
    y: float      # px: the row's top
    width: float  # percent: the whole bar
    segments: list[Segment]


@dataclass(frozen=True)
class BarChart:
    rows: list[Row]
    legend: list[Series]  # the named series drawn, in order
    height: float
    label_baseline: float = LABEL_BASELINE
    bar_top: float = BAR_TOP
    bar_height: float = BAR_HEIGHT


def series_styles(names: list[str]) -> list[Series]:
    return [Series(name, index, PALETTE[index % len(PALETTE)], PATTERNS[index % len(PATTERNS)])
            for index, name in enumerate(names)]


def _percent(value: float, top: float) -> float:
    return round(BAR_SHARE * max(value, 0) / top, 2)


def horizontal_bars(rows: list[tuple[str, float, str]], *, maximum: float | None = None) -> BarChart:
    """One bar per (label, value, shown) row, scaled to `maximum` (default: the largest value)."""
    top = maximum if maximum else max((value for _, value, _ in rows), default=0) or 1
    drawn = [Row(label, shown, index * ROW_HEIGHT, _percent(value, top), [Segment(None, value, 0, _percent(value, top))])
             for index, (label, value, shown) in enumerate(rows)]
    return BarChart(drawn, [], max(len(rows), 1) * ROW_HEIGHT)


def interest_chart(riasec_scores: Mapping[str, float]) -> BarChart:
    return horizontal_bars([(RIASEC_NAMES[letter], score, f"{score:g}") for letter, score in riasec_scores.items()])


def stacked_bars(rows: list[tuple[str, dict[str, int]]], series: list[str]) -> BarChart:
    """One bar per (label, {series: value}), its series end to end in the given order; series with no value
    anywhere are left out of the legend. The value printed after a bar is its total."""
    legend = series_styles([name for name in series if any(values.get(name) for _, values in rows)])
    top = max((sum(values.values()) for _, values in rows), default=0) or 1
    drawn = []
    for index, (label, values) in enumerate(rows):
        segments, start = [], 0.0
        for style in legend:
            value = values.get(style.name, 0)
            if value:
                segments.append(Segment(style, value, round(start, 2), _percent(value, top)))
                start += BAR_SHARE * value / top
        total = sum(values.values())
        drawn.append(Row(label, f"{total:g}", index * ROW_HEIGHT, _percent(total, top), segments))
    return BarChart(drawn, legend, max(len(rows), 1) * ROW_HEIGHT)
