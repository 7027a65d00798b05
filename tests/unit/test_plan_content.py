"""Content files for the plan (inventory, work values, paths, benchmarks, courses, requirements) follow their rules."""
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
RIASEC = "RIASEC"
GRADES_HS = (9, 10, 11, 12)
DONE_WHEN = {
    "inventory_complete", "values_ranked", "career_saved", "three_careers_saved", "postsecondary_chosen",
    "goal_with_step", "course_plan", "activity:club", "activity:sport", "activity:job", "activity:job_shadowing",
    "activity:internship", "activity:dual_credit", "activity:volunteering", "manual",
}
SUBJECT_AREAS = {"english", "math", "science", "social_studies", "world_language", "fine_arts", "pe_health", "cte", "elective"}


def load(relative):
    return yaml.safe_load((ROOT / relative).read_text(encoding="utf-8"))


def unique(values):
    return len(values) == len(set(values))


def words(phrase):
    """A keyword as the bot matches it: lower case, anything but letters and digits read as a space."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", phrase.lower()).split())


def is_lower_phrase_list(words, low, high):
    return low <= len(words) <= high and unique(words) and all(
        isinstance(w, str) and w.strip() and w == w.lower() == w.strip() for w in words
    )


# ---- interest inventory ----

def test_inventory_has_7_items_per_type_interleaved():
    items = load("data/interests/inventory.yml")["items"]
    assert len(items) == 42
    assert [item["riasec"] for item in items] == list(RIASEC) * 7
    counters = dict.fromkeys(RIASEC, 0)
    for item in items:
        counters[item["riasec"]] += 1
        assert item["id"] == f"{item['riasec'].lower()}{counters[item['riasec']]:02d}"
        assert re.fullmatch(r"[riasec]\d\d", item["id"])
    assert unique([item["id"] for item in items])


def test_inventory_texts_finish_the_question():
    items = load("data/interests/inventory.yml")["items"]
    texts = [item["text"] for item in items]
    assert unique(texts)
    for text in texts:
        assert 0 < len(text) <= 60, text
        assert text[0].islower(), text
        assert "?" not in text and text[-1] not in ".!", text
        assert text == text.strip()


# ---- work values ----

def test_work_values():
    values = load("data/values/work_values.yml")["values"]
    assert [v["id"] for v in values] == [
        "achievement", "independence", "recognition", "relationships", "support", "working_conditions"]
    assert [v["name"] for v in values] == [
        "Achievement", "Independence", "Recognition", "Relationships", "Support", "Working Conditions"]
    for value in values:
        assert 0 < len(value["button"]) <= 32, value["button"]
        assert value["plain"].endswith(".") and value["plain"].count(". ") == 0, value["plain"]
        assert is_lower_phrase_list(value["keywords"], 5, 16), value["id"]
        assert 1 <= len(value["riasec"]) <= 2 and set(value["riasec"]) <= set(RIASEC) and unique(value["riasec"])
    keywords = [words(k) for v in values for k in v["keywords"]]
    assert unique(keywords), "a keyword is listed twice"
    assert unique([v["button"] for v in values])


# ---- postsecondary paths ----

def test_postsecondary_options():
    options = load("data/plan/postsecondary.yml")["options"]
    assert [o["id"] for o in options] == ["four_year", "two_year", "apprenticeship", "military", "work"]
    assert {o["id"]: (o["gives"], o["leads_to"]) for o in options} == {
        "four_year": ("bachelor", "doctoral"), "two_year": ("associate", "associate"),
        "apprenticeship": ("apprenticeship", "apprenticeship"), "military": ("apprenticeship", "bachelor"),
        "work": ("high_school", "high_school")}
    for option in options:
        assert option["name"].strip()
        assert 0 < len(option["button"]) <= 24, option["button"]
        assert option["plain"].endswith(".") and option["plain"].count(". ") == 0, option["plain"]
        assert is_lower_phrase_list(option["keywords"], 6, 16), option["id"]
    keywords = [words(k) for o in options for k in o["keywords"]]
    assert unique(keywords), "a keyword is listed twice"


def test_the_postsecondary_paths_are_the_ones_the_plan_database_takes(monkeypatch):
    from bot.db.tables import POSTSECONDARY_PATHS
    from bot.plans import content

    assert tuple(content.postsecondary_options()) == POSTSECONDARY_PATHS  # postsecondary_choices.choice's CHECK
    options = load("data/plan/postsecondary.yml")
    options["options"].append({**options["options"][0], "id": "gap_year"})
    monkeypatch.setattr(content, "load_yaml", lambda relative: options)
    content.postsecondary_options.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"postsecondary\.yml: option ids \['gap_year'\] .* needs a migration"):
            content.postsecondary_options()
    finally:
        content.postsecondary_options.cache_clear()


# ---- benchmarks ----

def test_benchmarks_fields():
    benchmarks = load("data/plan/benchmarks.yml")["benchmarks"]
    assert unique([b["id"] for b in benchmarks])
    for b in benchmarks:
        assert b["grade"] in range(6, 13), b["id"]
        assert re.fullmatch(rf"g{b['grade']}_[a-z0-9]+(_[a-z0-9]+)*", b["id"]), b["id"]
        assert 0 < len(b["text"]) <= 60 and b["text"][0].isupper() and not b["text"].endswith("."), b["text"]
        assert b["why"].endswith(".") and b["why"].count(". ") == 0, b["why"]
        assert b["done_when"] in DONE_WHEN, b["id"]


@pytest.mark.parametrize("grade", range(6, 13))
def test_each_grade_has_4_to_6_benchmarks_with_2_the_bot_can_see(grade):
    benchmarks = [b for b in load("data/plan/benchmarks.yml")["benchmarks"] if b["grade"] == grade]
    assert 4 <= len(benchmarks) <= 6
    assert sum(b["done_when"] != "manual" for b in benchmarks) >= 2


def test_benchmarks_are_in_grade_order_and_cover_college_and_money_planning():
    benchmarks = load("data/plan/benchmarks.yml")["benchmarks"]
    grades = [b["grade"] for b in benchmarks]
    assert grades == sorted(grades)
    late = " ".join(b["text"] + " " + b["why"] for b in benchmarks if b["grade"] >= 11).lower()
    for topic in ("fafsa", "scholarship", "apply", "visit", "aid"):
        assert topic in late, topic


# ---- graduation requirements and courses ----

def requirements():
    school = load("data/schools/default.yml")
    return school, {area["id"]: area["credits"] for area in school["subject_areas"]}


def test_default_requirements():
    school, credits = requirements()
    assert school["name"].strip()
    assert list(credits) == ["english", "math", "science", "social_studies", "world_language", "fine_arts",
                             "pe_health", "cte", "elective"]
    assert all(isinstance(c, int) and c > 0 for c in credits.values())
    assert sum(credits.values()) == school["total_credits"] == 24


def courses_file():
    data = load("data/plan/courses.yml")
    return data, {course["id"]: course for course in data["courses"]}


def test_courses_are_well_formed():
    data, courses = courses_file()
    assert len(data["courses"]) == len(courses), "duplicate course id"
    assert 60 <= len(courses) <= 85
    assert unique([c["name"] for c in data["courses"]])
    names = [name.lower() for c in data["courses"] for name in (c["name"], *c.get("aliases", []))]
    assert unique(names), "an alias names two courses, or another course's name"
    for course in data["courses"]:
        assert re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", course["id"]), course["id"]
        assert course["subject_area"] in SUBJECT_AREAS, course["id"]
        assert course["grades"] and set(course["grades"]) <= set(GRADES_HS), course["id"]
        assert course["grades"] == sorted(set(course["grades"])), course["id"]
        # What the course is, in one or two plain sentences (the bot answers "what is ap bio" with it).
        assert 20 <= len(course["about"]) <= 140 and course["about"].endswith("."), course["id"]
        if course["id"].startswith("dual_credit_"):
            assert course["name"].startswith("Dual Credit: "), course["id"]
    assert any(c["id"].startswith("dual_credit_") for c in data["courses"])
    assert any(c["id"].startswith("ap_") for c in data["courses"])


def test_core_schedule_references_real_courses_in_their_grades():
    data, courses = courses_file()
    core = data["core_by_grade"]
    assert sorted(core) == list(GRADES_HS)
    taken = [c for grade in GRADES_HS for c in core[grade]]
    assert unique(taken), "a core course is scheduled twice"
    for grade in GRADES_HS:
        for course_id in core[grade]:
            assert course_id in courses, course_id
            assert grade in courses[course_id]["grades"], (grade, course_id)


def cluster_ids():
    return [cluster["id"] for cluster in load("data/careers/clusters.yml")["legacy_clusters"]]


def test_every_legacy_cluster_has_3_to_5_real_electives_spread_over_high_school():
    data, courses = courses_file()
    electives = data["cluster_electives"]
    assert set(electives) == set(cluster_ids())
    assert len(cluster_ids()) == 16
    core = {c for grade in GRADES_HS for c in data["core_by_grade"][grade]}
    for cluster, course_ids in electives.items():
        assert 3 <= len(course_ids) <= 5 and unique(course_ids), cluster
        for course_id in course_ids:
            assert course_id in courses, (cluster, course_id)
            assert course_id not in core, (cluster, course_id)
        assert {g for c in course_ids for g in courses[c]["grades"]} == set(GRADES_HS), cluster


def pick_electives(course_ids, courses):
    """For each year, the first elective of the cluster that year allows and that is not already taken."""
    chosen = {}
    for grade in GRADES_HS:
        options = [c for c in course_ids if grade in courses[c]["grades"] and c not in chosen.values()]
        assert options, f"no elective left for grade {grade}"
        chosen[grade] = options[0]
    return chosen


def credit_shortfalls(course_ids, courses, credits, total_credits):
    earned = dict.fromkeys(credits, 0)
    for course_id in course_ids:
        earned[courses[course_id]["subject_area"]] += 1
    overflow = sum(max(0, earned[area] - credits[area]) for area in credits if area != "elective")
    earned["elective"] += overflow
    missing = {area: credits[area] - earned[area] for area in credits if earned[area] < credits[area]}
    if len(course_ids) < total_credits:
        missing["total"] = total_credits - len(course_ids)
    return missing


@pytest.mark.parametrize("cluster", cluster_ids())
def test_core_plus_one_elective_a_year_graduates(cluster):
    data, courses = courses_file()
    school, credits = requirements()
    chosen = pick_electives(data["cluster_electives"][cluster], courses)
    plan = [c for grade in GRADES_HS for c in data["core_by_grade"][grade]] + list(chosen.values())
    assert unique(plan)
    assert credit_shortfalls(plan, courses, credits, school["total_credits"]) == {}


def test_credit_check_can_fail():
    data, courses = courses_file()
    school, credits = requirements()
    core = [c for grade in GRADES_HS for c in data["core_by_grade"][grade]]
    missing = credit_shortfalls(core[1:], courses, credits, school["total_credits"])
    assert "total" in missing and courses[core[0]]["subject_area"] in missing
