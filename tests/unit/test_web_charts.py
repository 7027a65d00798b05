"""The charts' geometry and colours: readable at any width, and colour never the only cue (WCAG 1.4.1, 1.4.11)."""
from __future__ import annotations

import pytest

from bot.web import charts
from tests.contrast import contrast

PAGE_BACKGROUND = "#f7f8fa"  # --bg in bot/web/static/site.css


@pytest.mark.parametrize("colour", charts.PALETTE)
def test_every_series_colour_has_3_to_1_against_the_page_and_white(colour):
    assert contrast(colour, PAGE_BACKGROUND) >= 3.0
    assert contrast(colour, "#ffffff") >= 3.0


def test_every_flag_category_gets_its_own_colour_and_its_own_pattern():
    names = [f"category {index}" for index in range(11)]  # as many as bot.safety's categories
    chart = charts.stacked_bars([("Nov 30", {name: 1 for name in names})], names)
    assert [series.name for series in chart.legend] == names
    assert len({series.colour for series in chart.legend}) == len(names)
    assert len({series.pattern for series in chart.legend}) == len(names)
    assert chart.legend[0].pattern == "solid"


def test_stacked_bars_lay_segments_end_to_end_in_percent_of_the_width():
    chart = charts.stacked_bars([("Nov 23", {"abuse": 1, "bullying": 3}), ("Nov 30", {"bullying": 2})],
                                ["self_harm", "abuse", "bullying"])
    assert [series.name for series in chart.legend] == ["abuse", "bullying"]  # a series with no value is left out
    first, second = chart.rows
    assert (first.label, first.shown) == ("Nov 23", "4") and (second.label, second.shown) == ("Nov 30", "2")
    assert [(segment.series.name, segment.x, segment.width) for segment in first.segments] == [
        ("abuse", 0, charts.BAR_SHARE / 4), ("bullying", charts.BAR_SHARE / 4, charts.BAR_SHARE * 3 / 4)]
    assert first.width == charts.BAR_SHARE and second.width == charts.BAR_SHARE / 2
    assert second.y - first.y == charts.ROW_HEIGHT and chart.height == 2 * charts.ROW_HEIGHT


def test_horizontal_bars_scale_to_the_maximum_given_and_keep_room_for_the_value():
    chart = charts.horizontal_bars([("Grade 6", 50, "50%"), ("Grade 7", 0, "0%")], maximum=100)
    assert [row.width for row in chart.rows] == [charts.BAR_SHARE / 2, 0]
    assert [row.shown for row in chart.rows] == ["50%", "0%"]
    assert chart.legend == [] and all(segment.series is None for row in chart.rows for segment in row.segments)
    assert charts.BAR_SHARE <= 80  # the rest of a 280 px wide chart (320 px screen) holds "100%" after the bar


def test_no_rows_still_draws_an_empty_chart_of_one_row():
    assert charts.stacked_bars([], ["abuse"]).height == charts.ROW_HEIGHT
    assert charts.horizontal_bars([]).rows == []
