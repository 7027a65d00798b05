"""The career catalog imported from O*NET text files and listed, on a real database (SQLite, and PostgreSQL when configured).

The files are written here in O*NET's text format (tab separated, O*NET's header row, UTF-8) with
synthetic codes 51-9999.0x and made-up titles and descriptions; 29-1141.00 and 47-2111.00 are in the
shipped catalog (data/careers/occupations.yml).
"""
import json
import re

import pytest
from sqlalchemy import func, select

from bot.careers.catalog import load_catalog
from bot.careers.onet_import import OnetFileError, import_onet, interest_code
from bot.cli import main
from bot.db.tables import ImportedOccupation

HEADERS = {
    "Occupation Data.txt": "O*NET-SOC Code\tTitle\tDescription",
    "Interests.txt": "O*NET-SOC Code\tElement ID\tElement Name\tScale ID\tData Value\tDate\tDomain Source",
    "Job Zones.txt": "O*NET-SOC Code\tJob Zone\tDate\tDomain Source",
}
NURSE, ELECTRICIAN = "29-1141.00", "47-2111.00"  # shipped
GLASS, KITE, LOOM = "51-9999.01", "51-9999.02", "51-9999.03"  # synthetic, not shipped


def write(directory, name, *rows, header=None):
    text = (HEADERS[name] if header is None else header) + "\n" + "".join(row + "\n" for row in rows)
    (directory / name).write_text(text, encoding="utf-8")


def occupation(code, title, description="Made-up work for a test."):
    return f"{code}\t{title}\t{description}"


def ratings(code, r, i, a, s, e, c):
    """Six OI rows, one per RIASEC type, as O*NET writes them."""
    names = ("Realistic", "Investigative", "Artistic", "Social", "Enterprising", "Conventional")
    return [f"{code}\t1.B.1.{suffix}\t{name}\tOI\t{value:.2f}\t08/2026\tAnalyst"
            for suffix, name, value in zip("abcdef", names, (r, i, a, s, e, c))]


def high_points(code, first, second, third):
    names = ("First Interest High-Point", "Second Interest High-Point", "Third Interest High-Point")
    return [f"{code}\t1.B.1.{suffix}\t{name}\tIH\t{value:.2f}\t08/2026\tAnalyst"
            for suffix, name, value in zip("ghi", names, (first, second, third))]


def zone(code, job_zone):
    return f"{code}\t{job_zone}\t08/2026\tAnalyst"


def write_all_three(directory):
    write(directory, "Occupation Data.txt",
          occupation(GLASS, "Glass Test Blowers", "Shape hot glass into test pieces."),
          occupation(KITE, "Kite Test Designers", "Draw and build kites that fly in tests."),
          occupation(NURSE, "Registered Nurses", "A synthetic description for the test."))
    write(directory, "Interests.txt",
          *ratings(GLASS, 6.5, 2.0, 5.0, 1.0, 1.5, 3.0),
          *ratings(KITE, 2.0, 4.0, 7.0, 1.0, 3.0, 1.0), *high_points(KITE, 3, 2, 0),
          *ratings(NURSE, 2.0, 5.0, 1.0, 7.0, 2.0, 4.0), *high_points(NURSE, 4, 2, 0))
    write(directory, "Job Zones.txt", zone(GLASS, 2), zone(KITE, 5), zone(NURSE, 4))


def count_imported(uow_factory) -> int:
    with uow_factory() as uow:
        return uow.session.scalar(select(func.count()).select_from(ImportedOccupation))


def catalog(uow_factory):
    with uow_factory() as uow:
        return load_catalog(uow.session)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_of_all_three_files_adds_new_occupations_and_updates_shipped_ones(uow_factory, tmp_path):
    write_all_three(tmp_path)
    report = import_onet(uow_factory(), tmp_path)
    assert report.files_read == ["Occupation Data.txt", "Interests.txt", "Job Zones.txt"]
    assert report.files_missing == []
    assert (report.added, report.updated, report.rejected, report.without_title) == (2, 1, [], [])

    occupations = catalog(uow_factory)
    glass, kite, nurse = occupations[GLASS], occupations[KITE], occupations[NURSE]
    # only in the import: no cluster, no aliases, education from the job zone
    assert (glass.title, glass.riasec, glass.job_zone, glass.education) == ("Glass Test Blowers", "RAC", 2, "high_school")
    assert (glass.cluster, glass.cluster_2024, glass.aliases) == (None, None, ())
    # O*NET's description is kept for staff listings, never as the plain description a student reads
    assert (glass.description, glass.onet_description) == (None, "Shape hot glass into test pieces.")
    # the high points (Artistic, Investigative) win over the OI ranking
    assert (kite.riasec, kite.job_zone, kite.education) == ("AI", 5, "master")
    # shipped: O*NET facts replaced, the project's cluster, education and aliases kept
    assert (nurse.title, nurse.riasec, nurse.job_zone) == ("Registered Nurses", "SI", 4)
    assert (nurse.cluster, nurse.cluster_2024, nurse.education) == ("health_science", "healthcare_human_services", "associate")
    assert "rn" in nurse.aliases
    assert nurse.description.startswith("Takes care of sick or hurt people")  # the project's words, not O*NET's
    assert occupations[ELECTRICIAN].title == "Electrician"  # not in the files: untouched


def test_importing_the_same_files_again_adds_nothing(uow_factory, tmp_path):
    write_all_three(tmp_path)
    import_onet(uow_factory(), tmp_path)
    with uow_factory() as uow:
        stamped = uow.session.scalar(select(ImportedOccupation.updated_at).where(ImportedOccupation.onet_soc == GLASS))
    again = import_onet(uow_factory(), tmp_path)
    assert (again.added, again.updated, again.rejected) == (0, 3, [])
    assert count_imported(uow_factory) == 3
    with uow_factory() as uow:
        assert uow.session.scalar(select(ImportedOccupation.updated_at).where(ImportedOccupation.onet_soc == GLASS)) == stamped


def test_missing_files_are_named_and_later_imports_fill_in_without_erasing(uow_factory, tmp_path):
    jobs = tmp_path / "jobs"
    jobs.mkdir()
    write(jobs, "Job Zones.txt", zone(NURSE, 4), zone(GLASS, 2))
    report = import_onet(uow_factory(), jobs)
    assert report.files_read == ["Job Zones.txt"]
    assert report.files_missing == ["Occupation Data.txt", "Interests.txt"]
    # the shipped nurse gets its job zone; GLASS has no title anywhere, so it is not added
    assert (report.added, report.updated, report.without_title) == (0, 1, [GLASS])
    assert catalog(uow_factory)[NURSE].job_zone == 4 and GLASS not in catalog(uow_factory)

    titles = tmp_path / "titles"
    titles.mkdir()
    write(titles, "Occupation Data.txt", occupation(GLASS, "Glass Test Blowers"))
    report = import_onet(uow_factory(), titles)
    assert report.files_missing == ["Interests.txt", "Job Zones.txt"]
    assert (report.added, report.updated) == (1, 0)

    interests = tmp_path / "interests"
    interests.mkdir()
    write(interests, "Interests.txt", *ratings(GLASS, 1.0, 6.0, 2.0, 5.0, 1.0, 4.0))
    write(interests, "Job Zones.txt", zone(GLASS, 3))
    report = import_onet(uow_factory(), interests)
    assert (report.added, report.updated) == (0, 1)
    glass = catalog(uow_factory)[GLASS]
    # the title and description from the earlier import stay; the new facts are added
    assert (glass.title, glass.onet_description, glass.riasec, glass.job_zone, glass.education) == (
        "Glass Test Blowers", "Made-up work for a test.", "ISC", 3, "certificate")
    assert catalog(uow_factory)[NURSE].job_zone == 4


@pytest.mark.parametrize("name, bad_row, expected", [
    # O*NET-SOC code without the .00 suffix
    ("Occupation Data.txt", "51-9999\tNo Suffix Testers\tx", "Occupation Data.txt line 3: O*NET-SOC code must look like"),
    # a title but no description column
    ("Occupation Data.txt", f"{LOOM}\tLoom Test Weavers", "Occupation Data.txt line 3: expected 3 tab-separated columns, got 2"),
    # empty title
    ("Occupation Data.txt", f"{LOOM}\t\tx", "Occupation Data.txt line 3: the title is empty"),
    # the same code twice
    ("Occupation Data.txt", occupation(GLASS, "Again"), f"Occupation Data.txt line 3: {GLASS} already appears on line 2"),
    # job zone outside 1-5
    ("Job Zones.txt", zone(LOOM, 6), "Job Zones.txt line 3: job zone must be a whole number from 1 to 5 (got '6')"),
    # job zone not a number
    ("Job Zones.txt", zone(LOOM, "three"), "Job Zones.txt line 3: job zone must be a whole number from 1 to 5"),
    # an extra column
    ("Job Zones.txt", zone(LOOM, 2) + "\textra", "Job Zones.txt line 3: expected 4 tab-separated columns, got 5"),
    # a rating that is not a number
    ("Interests.txt", f"{LOOM}\t1.B.1.a\tRealistic\tOI\thigh\t08/2026\tAnalyst", "Interests.txt line 3: data value must be a number"),
    # a high point outside 0-6
    ("Interests.txt", f"{LOOM}\t1.B.1.g\tFirst Interest High-Point\tIH\t9.00\t08/2026\tAnalyst",
     "Interests.txt line 3: a high point must be 0 to 6"),
    # an element that is not a RIASEC type
    ("Interests.txt", f"{LOOM}\t1.B.9.z\tPatience\tOI\t3.00\t08/2026\tAnalyst", "Interests.txt line 3: unknown element '1.B.9.z'"),
])
def test_bad_rows_are_rejected_by_file_and_line_and_good_rows_kept(uow_factory, tmp_path, name, bad_row, expected):
    good = {"Occupation Data.txt": occupation(GLASS, "Glass Test Blowers"), "Job Zones.txt": zone(GLASS, 2),
            "Interests.txt": ratings(GLASS, 6.0, 1.0, 5.0, 1.0, 1.0, 2.0)[0]}
    write(tmp_path, "Occupation Data.txt", *([good["Occupation Data.txt"], bad_row] if name == "Occupation Data.txt"
                                             else [good["Occupation Data.txt"]]))
    if name != "Occupation Data.txt":
        write(tmp_path, name, good[name], bad_row)
    report = import_onet(uow_factory(), tmp_path)
    assert len(report.rejected) == 1 and str(report.rejected[0]).startswith(expected), report.rejected
    assert report.added == 1 and GLASS in catalog(uow_factory) and LOOM not in catalog(uow_factory)


@pytest.mark.parametrize("setup, expected", [
    # NUL bytes: an Excel workbook renamed, say
    (lambda d: (d / "Job Zones.txt").write_bytes(b"PK\x03\x04\x00\x00binary"), "Job Zones.txt is not text"),
    # another encoding
    (lambda d: (d / "Job Zones.txt").write_bytes(HEADERS["Job Zones.txt"].encode() + b"\n\xff\xfe\n"),
     "Job Zones.txt is not UTF-8 text"),
    # comma separated instead of tab separated
    (lambda d: write(d, "Job Zones.txt", "51-9999.01,2,08/2026,Analyst", header="O*NET-SOC Code,Job Zone,Date,Domain Source"),
     "Job Zones.txt does not have O*NET's header"),
    # the header of another file
    (lambda d: write(d, "Job Zones.txt", zone(GLASS, 2), header=HEADERS["Occupation Data.txt"]),
     "expected the tab-separated columns O*NET-SOC Code | Job Zone | Date | Domain Source"),
    # nothing in it
    (lambda d: (d / "Job Zones.txt").write_bytes(b""), "Job Zones.txt is empty"),
])
def test_a_bad_file_is_a_clear_error_and_nothing_is_written(uow_factory, tmp_path, setup, expected):
    write(tmp_path, "Occupation Data.txt", occupation(GLASS, "Glass Test Blowers"))  # a good file beside it
    setup(tmp_path)
    with pytest.raises(OnetFileError, match=re.escape(expected)):
        import_onet(uow_factory(), tmp_path)
    assert count_imported(uow_factory) == 0


def test_a_directory_that_is_missing_empty_or_a_file_is_a_clear_error(uow_factory, tmp_path):
    with pytest.raises(OnetFileError, match="no such directory"):
        import_onet(uow_factory(), tmp_path / "nope")
    with pytest.raises(OnetFileError, match="none of Occupation Data.txt, Interests.txt, Job Zones.txt is in"):
        import_onet(uow_factory(), tmp_path)
    (tmp_path / "Occupation Data.xlsx").write_bytes(b"PK")
    with pytest.raises(OnetFileError, match=re.escape("download the O*NET database as text files")):
        import_onet(uow_factory(), tmp_path)
    with pytest.raises(OnetFileError, match="is not a directory"):
        import_onet(uow_factory(), tmp_path / "Occupation Data.xlsx")


@pytest.mark.parametrize("ratings_by_letter, points, expected", [
    # no high points: the three highest ratings
    ({"R": 1.0, "I": 6.0, "A": 2.0, "S": 5.0, "E": 1.0, "C": 4.0}, {}, "ISC"),
    # ties keep RIASEC order
    ({"R": 3.0, "I": 3.0, "A": 3.0, "S": 3.0, "E": 1.0, "C": 1.0}, {}, "RIA"),
    # high points win, in their order, and 0 means none
    ({"R": 7.0, "I": 1.0, "A": 1.0, "S": 1.0, "E": 1.0, "C": 1.0}, {0: 5, 1: 6, 2: 0}, "EC"),
    # only zeros among the high points: back to the ratings
    ({"R": 1.0, "I": 1.0, "A": 7.0, "S": 1.0, "E": 1.0, "C": 2.0}, {0: 0, 1: 0, 2: 0}, "ACR"),
    # nothing at all
    ({}, {}, ""),
])
def test_interest_code_from_high_points_or_ratings(ratings_by_letter, points, expected):
    assert interest_code(ratings_by_letter, points) == expected


@pytest.mark.usefixtures("database_in_environment")  # the command reads its settings from the environment
def test_cli_import_reports_files_and_counts_and_rejected_lines(uow_factory, tmp_path, capsys):
    write(tmp_path, "Occupation Data.txt", occupation(GLASS, "Glass Test Blowers"), occupation(KITE, "Kite Test Designers"),
          occupation(LOOM, "Loom Test Weavers"), occupation(NURSE, "Registered Nurses"), occupation(ELECTRICIAN, "Electricians"))
    write(tmp_path, "Job Zones.txt", zone(GLASS, 2), zone(KITE, 9))
    code, out, err = run(capsys, "careers", "import-onet", str(tmp_path))
    assert code == 0
    assert out.splitlines() == ["read Occupation Data.txt, Job Zones.txt; missing Interests.txt",
                                "added 3, updated 2, rejected 1"]
    assert "Job Zones.txt line 3: job zone must be a whole number from 1 to 5 (got '9')" in err
    code, out, _ = run(capsys, "careers", "import-onet", str(tmp_path))
    assert code == 0 and "added 0, updated 5, rejected 1" in out


@pytest.mark.usefixtures("database_in_environment")
def test_cli_import_of_nothing_readable_exits_1(uow_factory, tmp_path, capsys):
    code, out, err = run(capsys, "careers", "import-onet", str(tmp_path / "nope"))
    assert (code, out) == (1, "") and err.startswith("error: no such directory")
    write(tmp_path, "Job Zones.txt", zone(GLASS, 2))  # no title anywhere for GLASS
    code, out, err = run(capsys, "careers", "import-onet", str(tmp_path))
    assert code == 1 and "added 0, updated 0, rejected 0" in out and "not added" in err and GLASS in err


@pytest.mark.usefixtures("database_in_environment")
def test_cli_list_json_shows_imported_and_shipped_occupations_and_filters(uow_factory, tmp_path, capsys):
    write_all_three(tmp_path)
    run(capsys, "careers", "import-onet", str(tmp_path))
    code, out, _ = run(capsys, "careers", "list", "--json")
    assert code == 0
    listed = {entry["onet_soc"]: entry for entry in json.loads(out)}
    assert listed[GLASS] == {"onet_soc": GLASS, "title": "Glass Test Blowers", "riasec": "RAC", "job_zone": 2,
                             "education": "high_school", "cluster": None, "cluster_2024": None,
                             "description": "Shape hot glass into test pieces.", "source": "onet"}
    assert listed[ELECTRICIAN]["source"] == "shipped" and listed[ELECTRICIAN]["cluster"] == "architecture_construction"
    assert listed[NURSE]["source"] == "shipped" and listed[NURSE]["title"] == "Registered Nurses"
    assert len(listed) > 200  # the whole shipped catalog is there too

    code, out, _ = run(capsys, "careers", "list", "--json", "--cluster", "health_science")
    in_cluster = {entry["onet_soc"] for entry in json.loads(out)}
    assert NURSE in in_cluster and GLASS not in in_cluster and ELECTRICIAN not in in_cluster
    code, out, _ = run(capsys, "careers", "list", "--json", "--cluster", "construction")  # a 2024 cluster id
    assert ELECTRICIAN in {entry["onet_soc"] for entry in json.loads(out)}

    code, out, _ = run(capsys, "careers", "list", "--json", "--riasec", "a")
    artistic = json.loads(out)
    assert KITE in {entry["onet_soc"] for entry in artistic} and all(entry["riasec"].startswith("A") for entry in artistic)

    code, out, _ = run(capsys, "careers", "list", "--cluster", "health_science")
    assert code == 0 and f"{NURSE}  " in out and "Registered Nurses" in out and "health_science" in out


@pytest.mark.usefixtures("database_in_environment")
def test_cli_list_rejects_unknown_cluster_and_bad_letters(uow_factory, capsys):
    code, out, err = run(capsys, "careers", "list", "--cluster", "space_pirates")
    assert (code, out) == (1, "") and "unknown cluster 'space_pirates'" in err
    code, _, err = run(capsys, "careers", "list", "--riasec", "X")
    assert code == 1 and "R, I, A, S, E, C" in err


@pytest.mark.parametrize("text, expected", [
    ("what does a kite test designer do?", KITE),                  # singular of the imported plural title
    ("tell me about Kite Test Designers", KITE),                   # the title as O*NET writes it
    ("glass test blowers", GLASS),
    ("i want to be a nurse", NURSE),                               # shipped: found by the spaCy pipeline first
    ("how about a kite designer", None),                           # not the title word for word
    ("test", None),
])
def test_an_imported_occupation_is_known_to_the_bot_by_its_title(uow_factory, tmp_path, text, expected):
    from bot.errors import InvalidAnswer
    from bot.plans.exploration import find_career

    write_all_three(tmp_path)
    import_onet(uow_factory(), tmp_path)
    if expected is None:
        with pytest.raises(InvalidAnswer):
            find_career(uow_factory(), None, text)
    else:
        assert find_career(uow_factory(), None, text).onet_soc == expected


def test_an_imported_occupation_named_as_a_goal_or_to_explore_or_as_an_interest_is_saved(uow_factory, tmp_path):
    from bot.plans.services import record_career_goal, record_careers_to_explore, record_interest_statement, student_plan
    from tests.builders import enrol

    write_all_three(tmp_path)
    import_onet(uow_factory(), tmp_path)
    enrol(uow_factory, "S1")
    goal = record_career_goal(uow_factory(), "S1", "i want to be a kite test designer", "S1:g1")
    explore = record_careers_to_explore(uow_factory(), "S1", "maybe glass test blowers", "S1:e1")
    interest = record_interest_statement(uow_factory(), "S1", "being a kite test designer sounds fun", "S1:i1")
    assert (goal.careers, explore.careers) == (["Kite Test Designers"], ["Glass Test Blowers"])
    assert [(m.item_id, m.riasec) for m in interest.mentions] == [(KITE, "A")]
    plan = student_plan(uow_factory(), "S1")
    assert {career["onet_soc"] for career in plan["careers"]} == {KITE, GLASS}
    assert [goal["text"] for goal in plan["goals"] if goal["kind"] == "career"] == ["Kite Test Designers"]
