"""The student's Careers pages and `ilp careers import-pay` against real plan databases (SQLite, and PostgreSQL
when configured). Rasa is never called."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bot.careers.catalog import occupations
from bot.careers.onet_import import import_onet
from bot.cli import main
from bot.config import Settings
from bot.web.app import create_app
from tests.clock import Clock
from tests.integration.test_web_student_pages import TODAY, nothing_from_rasa, student_client, visible_text
from tests.unit.test_career_profiles import oews_row, write_oews

# The apps here are built from Settings() read from the environment, as `python -m bot.web` builds its own.
pytestmark = pytest.mark.usefixtures("database_in_environment")

NURSE = "29-1141.00"
DENTIST = "29-1021.00"


def test_careers_pages_need_a_signed_in_student(uow_factory, tmp_path):
    app = create_app(Settings(secret_key="k" * 32, tracker_database_url=f"sqlite:///{tmp_path / 't.db'}"),
                     rasa=nothing_from_rasa(), clock=Clock(TODAY))
    client = TestClient(app)
    for path in ("/careers", "/careers?q=nurse", f"/careers/{NURSE}"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code in (303, 401), path
        assert "Registered Nurse" not in response.text


def test_search_finds_careers_by_title_alias_and_plain_description(tmp_path, uow_factory):
    client = student_client(uow_factory, f"sqlite:///{tmp_path / 't.db'}")
    everything = visible_text(client.get("/careers").text)
    assert f"All {len(occupations())} careers" in everything and "Registered Nurse" in everything and "Electrician" in everything

    by_alias = visible_text(client.get("/careers", params={"q": "RN"}).text)  # an alias of Registered Nurse
    assert "Registered Nurse" in by_alias and "Electrician" not in by_alias

    by_words = visible_text(client.get("/careers", params={"q": "teeth"}).text)  # in the plain descriptions
    assert "Dental Hygienist" in by_words and "Registered Nurse" not in by_words

    # the careers the words name come first, then those whose descriptions hold them (not A to Z: "911" is first)
    police = visible_text(client.get("/careers", params={"q": "police"}).text)
    assert police.index("Police Officer") < police.index("911 Dispatcher")

    nothing = visible_text(client.get("/careers", params={"q": "zorblax"}).text)
    assert "0 careers for “zorblax”" in nothing and "No career matches that" in nothing


def test_browse_by_cluster_lists_only_that_cluster(tmp_path, uow_factory):
    client = student_client(uow_factory, f"sqlite:///{tmp_path / 't.db'}")
    page = visible_text(client.get("/careers", params={"cluster": "healthcare_human_services"}).text)
    assert "in Healthcare & Human Services" in page and "Registered Nurse" in page and "Electrician" not in page
    both = visible_text(client.get("/careers", params={"cluster": "healthcare_human_services", "q": "nurse"}).text)
    assert "Registered Nurse" in both and "Dental Hygienist" not in both
    assert client.get("/careers", params={"cluster": "no_such_cluster"}).status_code == 400


def test_a_career_page_is_plain_words_with_the_shipped_pay_figure(tmp_path, uow_factory):
    client = student_client(uow_factory, f"sqlite:///{tmp_path / 't.db'}")
    page = visible_text(client.get(f"/careers/{DENTIST}").text)
    assert "It usually takes many years of college: a doctoral or professional degree." in page
    assert "Half of U.S. workers in this job earned more than $" in page and "(May 2023)" in page
    assert "Bureau of Labor Statistics" in page
    assert "Healthcare & Human Services" in page and "Health Science" in page
    assert "Careers like this one" in page
    assert "29-1021" not in page and "job zone" not in page.lower()
    assert client.get("/careers/00-0000.00").status_code == 404


def test_import_pay_overrides_the_shipped_figure_and_a_career_without_one_says_so(tmp_path, uow_factory, capsys):
    client = student_client(uow_factory, f"sqlite:///{tmp_path / 't.db'}")
    path = write_oews(tmp_path / "national_M2031_dl.csv",
                      oews_row("29-1000", "Test Practitioners", "minor", '"50,000"'),
                      oews_row("29-1141", "Test Nurses", "detailed", '"71,234"'),
                      oews_row("291141", "Bad Code", "detailed", '"1,000"'))
    assert main(["careers", "import-pay", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("May 2031: added 1, updated 0, skipped 1") and "rejected 1" in out
    assert "line 4: OCC_CODE must look like 29-1141" in err
    page = visible_text(client.get(f"/careers/{NURSE}").text)
    assert "earned more than $71,234 a year, and half earned less (May 2031)" in page
    assert main(["careers", "import-pay", str(path)]) == 0  # the same file again: updated, not added
    assert capsys.readouterr().out.startswith("May 2031: added 0, updated 1")

    # an occupation only in an O*NET import has no figure: the page says so and shows no O*NET prose
    onet = tmp_path / "onet"
    onet.mkdir()
    (onet / "Occupation Data.txt").write_text("O*NET-SOC Code\tTitle\tDescription\n51-9999.01\tGlass Test Blowers\t"
                                              "Shape hot glass. Excludes test workers.\n", encoding="utf-8")
    import_onet(uow_factory(), onet)
    page = visible_text(client.get("/careers/51-9999.01").text)
    assert "Pay figures for this career are not loaded yet" in page and "Excludes" not in page


def test_import_pay_refuses_a_file_without_a_period_or_in_the_wrong_layout(tmp_path, uow_factory, capsys):
    path = write_oews(tmp_path / "wages.csv", oews_row("29-1141", "Test Nurses", "detailed", '"71,234"'))
    assert main(["careers", "import-pay", str(path)]) == 1
    assert "--period" in capsys.readouterr().err
    assert main(["careers", "import-pay", str(path), "--period", "May 2031"]) == 0
    capsys.readouterr()
    bad = tmp_path / "national_M2031_dl.csv"
    bad.write_text("OCC_CODE,OCC_TITLE,TOT_EMP\n29-1141,Nurses,5\n", encoding="utf-8")
    assert main(["careers", "import-pay", str(bad)]) == 1
    assert "no A_MEDIAN column" in capsys.readouterr().err
