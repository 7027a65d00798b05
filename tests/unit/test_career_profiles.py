"""Career profiles and the BLS OEWS reader on synthetic files in the real column layout (no database)."""
from __future__ import annotations

import dataclasses

import pytest

from bot.careers.catalog import occupations
from bot.careers.pay import PayFigure, PayFileError, period_from_file_name, read_oews_csv, shipped_pay, soc_code
from bot.careers.profiles import NO_PAY, build_profile, plain_summary, related_careers

# The header of BLS's national_M<year>_dl file, column for column.
OEWS_HEADER = ("AREA,AREA_TITLE,AREA_TYPE,PRIM_STATE,NAICS,NAICS_TITLE,I_GROUP,OWN_CODE,OCC_CODE,OCC_TITLE,O_GROUP,"
               "TOT_EMP,EMP_PRSE,JOBS_1000,LOC_QUOTIENT,PCT_TOTAL,PCT_RPT,H_MEAN,A_MEAN,MEAN_PRSE,H_PCT10,H_PCT25,"
               "H_MEDIAN,H_PCT75,H_PCT90,A_PCT10,A_PCT25,A_MEDIAN,A_PCT75,A_PCT90,ANNUAL,HOURLY")


def oews_row(code: str, title: str, group: str, median: str, area: str = "99") -> str:
    """A row as BLS writes it; the figures are made up for the test."""
    values = [area, "U.S.", "1", "US", "000000", "Cross-industry", "cross-industry", "1235", code, title, group,
              '"1,000"', "1.0", "", "", "", "", "20.00", '"41,600"', "1.0", "10.00", "15.00", "20.00", "25.00",
              "30.00", '"20,800"', '"31,200"', median, '"52,000"', '"62,400"', "", ""]
    return ",".join(values)


def write_oews(path, *rows: str):
    path.write_text("\n".join((OEWS_HEADER, *rows)) + "\n", encoding="utf-8")
    return path


def test_reads_national_detailed_rows_and_skips_groups_areas_and_missing_medians(tmp_path):
    path = write_oews(tmp_path / "national_M2031_dl.csv",
                      oews_row("00-0000", "All Occupations", "total", '"40,000"'),
                      oews_row("29-1000", "Test Practitioners", "minor", '"50,000"'),
                      oews_row("29-1141", "Test Nurses", "detailed", '"71,234"'),
                      oews_row("29-1021", "Test Dentists", "detailed", "#"),
                      oews_row("27-2031", "Test Dancers", "detailed", "*"),
                      oews_row("29-1141", "Test Nurses", "detailed", '"71,234"', area="06"))
    rows, skipped, rejected = read_oews_csv(path)
    assert [(row.soc_code, row.title, row.median_annual_wage) for row in rows] == [
        ("29-1141", "Test Nurses", 71234), ("29-1021", "Test Dentists", None)]
    assert (skipped, rejected) == (4, [])
    assert period_from_file_name(path) == "May 2031"


@pytest.mark.parametrize("row, message", [
    # a code without the dash
    (oews_row("291141", "Bad Code", "detailed", '"50,000"'), "line 2: OCC_CODE must look like 29-1141"),
    # an hourly figure where the yearly one belongs
    (oews_row("29-1141", "Test Nurses", "detailed", "41.50"), "line 2: A_MEDIAN must be a yearly wage"),
    # a row cut short
    ("99,U.S.,1", "line 2: expected 32 columns, got 3"),
])
def test_a_bad_row_is_rejected_by_line_and_the_rest_read(tmp_path, row, message):
    path = write_oews(tmp_path / "oews.csv", row, oews_row("47-2111", "Test Electricians", "detailed", '"60,000"'))
    rows, _, rejected = read_oews_csv(path)
    assert [row.soc_code for row in rows] == ["47-2111"]
    assert len(rejected) == 1 and rejected[0].startswith(message), rejected


def test_a_repeated_code_is_rejected(tmp_path):
    path = write_oews(tmp_path / "oews.csv", oews_row("47-2111", "A", "detailed", '"60,000"'),
                      oews_row("47-2111", "B", "detailed", '"61,000"'))
    rows, _, rejected = read_oews_csv(path)
    assert [row.title for row in rows] == ["A"] and rejected == ["line 3: 47-2111 already appears on line 2"]


@pytest.mark.parametrize("content, message", [
    (b"PK\x03\x04 a workbook", "is an Excel workbook"),
    (b"OCC_CODE,OCC_TITLE,TOT_EMP\n29-1141,Nurses,5\n", "no A_MEDIAN column"),
    (b"OCC_CODE,OCC_TITLE,A_MEDIAN\n29-1141,Nurses \xff,5\n", "is not UTF-8 text"),
])
def test_a_file_that_is_not_an_oews_csv_is_refused_whole(tmp_path, content, message):
    path = tmp_path / "pay.csv"
    path.write_bytes(content)
    with pytest.raises(PayFileError, match=message):
        read_oews_csv(path)


def test_the_shipped_pay_file_covers_most_of_the_catalog_with_its_source_and_period():
    figures = shipped_pay()
    codes = {soc_code(code) for code in occupations()}
    assert set(figures) <= codes and len(figures) >= 0.9 * len(codes)
    assert {figure.period for figure in figures.values()} == {"May 2023"}
    assert all("Bureau of Labor Statistics" in figure.source for figure in figures.values())


def test_profile_pay_words_say_the_figure_or_that_none_is_loaded():
    catalog = occupations()
    nurse = catalog["29-1141.00"]
    figure = PayFigure(71234, "May 2031", "Test Nurses", "test source")
    with_pay = build_profile(nurse, catalog, {"29-1141": figure})
    assert with_pay.pay_words == ("Half of U.S. workers in this job earned more than $71,234 a year, and half "
                                  "earned less (May 2031).")
    assert build_profile(nurse, catalog, {}).pay_words == NO_PAY
    top = build_profile(nurse, catalog, {"29-1141": dataclasses.replace(figure, median_annual_wage=None)})
    assert "highest yearly pay" in top.pay_words and "$" not in top.pay_words


def test_an_occupation_known_only_from_onet_never_shows_onet_prose():
    onet_text = "Perform nonscheduled air carrier routes. Excludes regional test carriers."
    imported = dataclasses.replace(occupations()["29-1141.00"], onet_soc="53-9999.01", title="Test Pilots",
                                   description=None, onet_description=onet_text, riasec="RI", cluster=None,
                                   cluster_2024=None, subcluster_2024=None, aliases=())
    summary = plain_summary(imported)
    assert onet_text not in summary and "Excludes" not in summary
    assert "hands-on and curious" in summary
    profile = build_profile(imported, {**occupations(), imported.onet_soc: imported}, {})
    assert profile.summary == summary and (profile.cluster, profile.cluster_2024) == (None, None)


def test_profile_names_both_clusters_the_subcluster_and_the_interest_letters():
    catalog = occupations()
    profile = build_profile(catalog["29-1141.00"], catalog, {})
    assert profile.summary == catalog["29-1141.00"].description
    assert (profile.cluster.name, profile.cluster_2024.name) == ("Health Science", "Healthcare & Human Services")
    assert profile.subcluster_2024 is not None and profile.subcluster_2024.id == "physical_health"
    assert [(line.name, line.plain) for line in profile.interests] == [
        ("Social", "helping (teaching, caring for people)"), ("Investigative", "curious (figuring out how things work)"),
        ("Conventional", "organizing (keeping things neat and accurate)")]


def test_related_careers_come_from_the_same_subcluster_first():
    catalog = occupations()
    nurse = catalog["29-1141.00"]
    related = related_careers(nurse, catalog.values())
    assert related and nurse not in related and len(related) <= 5
    assert all((other.cluster_2024, other.subcluster_2024) == (nurse.cluster_2024, nurse.subcluster_2024)
               for other in related)
