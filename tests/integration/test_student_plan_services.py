"""The student ILP conversation's services on a real plan database (SQLite, and PostgreSQL when configured)."""
import datetime as dt

import pytest
from sqlalchemy import func, select

from bot.db.tables import Answer, Flag
from bot.errors import InvalidAnswer
from bot.interests.inventory import inventory_items
from bot.plans import activities, courses, goals, inventory, postsecondary, progress, values
from bot.plans.exploration import find_career, save_career, suggest_careers
from bot.plans.self_exploration import record_strength
from bot.plans.services import record_career_goal, show_plan, student_plan
from tests.builders import enrol


def count(uow_factory, table) -> int:
    with uow_factory() as uow:
        return uow.session.scalar(select(func.count(table.id)))


def answer_items(uow_factory, student, likes: str, n_events: int = 0):
    """Likes every item of the given types, dislikes the rest."""
    for number, item in enumerate(inventory_items()):
        choice = "like" if item.riasec in likes else "dislike"
        inventory.record_inventory_answer(uow_factory(), student, item.id, choice, f"e-{n_events + number}")


def test_quiz_resumes_at_the_first_unanswered_item_and_scores_six_types(uow_factory):
    enrol(uow_factory, "S1")
    first = inventory.inventory_progress(uow_factory(), "S1")
    assert first.answered == 0 and first.total == len(inventory_items()) >= 36
    progress_after = inventory.record_inventory_answer(uow_factory(), "S1", first.next_item.id, "sounds fun", "e-1")
    assert progress_after.answered == 1 and progress_after.next_item.id == inventory_items()[1].id
    # Stopped here; a later session resumes at item 2.
    assert inventory.inventory_progress(uow_factory(), "S1").next_item == inventory_items()[1]
    answer_items(uow_factory, "S1", likes="IA", n_events=100)
    done = inventory.inventory_progress(uow_factory(), "S1")
    assert done.complete and done.answered == done.total
    assert done.code[:2] in ("IA", "AI") and done.riasec["R"] == 0
    plan = student_plan(uow_factory(), "S1")
    assert set(plan["interests"]["riasec"]) == set("RIASEC")
    assert plan["interests"]["inventory"] == {"answered": done.total, "total": done.total, "complete": True}


def test_quiz_answers_are_saved_once_per_event_and_replaced_when_changed(uow_factory):
    enrol(uow_factory, "S1")
    item = inventory_items()[0]
    inventory.record_inventory_answer(uow_factory(), "S1", item.id, "like", "e-1")
    retry = inventory.record_inventory_answer(uow_factory(), "S1", item.id, "like", "e-1")
    assert retry.already_saved and retry.answered == 1
    inventory.record_inventory_answer(uow_factory(), "S1", item.id, "nah", "e-2")
    assert student_plan(uow_factory(), "S1")["interests"]["riasec"][item.riasec] == 0
    assert count(uow_factory, Answer) == 2  # both answers stay in the history


@pytest.mark.parametrize("item_id, answer, reason", [
    ("r01", "purple", "unclear_choice"),
    ("zz99", "like", "no_quiz_question"),
    (None, "like", "no_quiz_question"),
])
def test_quiz_rejects_what_it_cannot_read_and_saves_nothing(uow_factory, item_id, answer, reason):
    enrol(uow_factory, "S1")
    with pytest.raises(InvalidAnswer) as error:
        inventory.record_inventory_answer(uow_factory(), "S1", item_id, answer, "e-1")
    assert error.value.reason == reason
    assert count(uow_factory, Answer) == 0


def test_work_values_are_ranked_one_choice_at_a_time_and_can_be_redone(uow_factory):
    enrol(uow_factory, "S1")
    assert len(values.start_values_ranking(uow_factory(), "S1", "e-0").remaining) == 6
    values.record_value_choice(uow_factory(), "S1", "relationships", "e-1")
    values.record_value_choice(uow_factory(), "S1", "being my own boss matters most", "e-2")
    for number, value in enumerate(("achievement", "support", "recognition")):
        last = values.record_value_choice(uow_factory(), "S1", value, f"e-{3 + number}")
    assert last.complete  # the sixth value is ranked with the fifth
    assert student_plan(uow_factory(), "S1")["values"] == [
        "relationships", "independence", "achievement", "support", "recognition", "working_conditions"]
    with pytest.raises(InvalidAnswer):
        values.record_value_choice(uow_factory(), "S1", "pizza", "e-9")
    restarted = values.start_values_ranking(uow_factory(), "S1", "e-10")
    assert len(restarted.remaining) == 6 and student_plan(uow_factory(), "S1")["values"] == []


def test_strengths_are_sorted_into_kinds(uow_factory):
    enrol(uow_factory, "S1")
    assert record_strength(uow_factory(), "S1", "I won 2nd place in the spelling bee", "e-1") == ("accomplishment", False)
    assert record_strength(uow_factory(), "S1", "i can speak two languages", "e-2")[0] == "skill"
    assert record_strength(uow_factory(), "S1", "im patient with little kids", "e-3")[0] == "strength"
    assert record_strength(uow_factory(), "S1", "im patient with little kids", "e-3") == ("strength", True)
    assert [s["kind"] for s in student_plan(uow_factory(), "S1")["strengths"]] == ["accomplishment", "skill", "strength"]


def test_career_matches_follow_the_interest_scores_and_say_why(uow_factory):
    enrol(uow_factory, "S1")
    answer_items(uow_factory, "S1", likes="RI")
    matches = suggest_careers(uow_factory(), "S1").matches
    assert len(matches) == 5
    for match in matches:
        assert match.occupation.riasec[0] in "RI", match.occupation
        assert "hands-on" in match.reasons[0] or "curious" in match.reasons[0]
    postsecondary.record_postsecondary(uow_factory(), "S1", "work", "e-p")
    with_plan = suggest_careers(uow_factory(), "S1").matches
    # starting work reaches careers that take a high school diploma (what their profiles say), not the job zone
    assert all(match.occupation.education == "high_school" for match in with_plan[:3])
    assert all("your plan (Get a job) can get you there" in match.reasons for match in with_plan[:3])
    assert any("your plan" in reason for reason in with_plan[0].reasons)


def test_no_suggestions_before_anything_is_known(uow_factory):
    enrol(uow_factory, "S1")
    suggestions = suggest_careers(uow_factory(), "S1")
    assert suggestions.matches == [] and not suggestions.has_interests


def test_career_info_is_found_by_words_or_by_code(uow_factory):
    assert find_career(uow_factory(), None, "what does a dental hygienist do").onet_soc == "29-1292.00"
    assert find_career(uow_factory(), "29-1141.00", "").title == "Registered Nurse"
    with pytest.raises(InvalidAnswer):
        find_career(uow_factory(), "00-0000.00", "what does a zorblax do")


def test_a_new_career_goal_replaces_the_old_one_and_keeps_the_history(uow_factory):
    enrol(uow_factory, "S1")
    record_career_goal(uow_factory(), "S1", "i want to be a nurse", "e-1")
    record_career_goal(uow_factory(), "S1", "actually i want to be a chef now", "e-2")
    save_career(uow_factory(), "S1", "47-2111.00", "e-3")  # a suggestion's Save button: list only
    plan = student_plan(uow_factory(), "S1")
    career_goals = [(g["text"], g["status"]) for g in plan["goals"] if g["kind"] == "career"]
    assert career_goals[0] == ("Registered Nurse", "replaced") and career_goals[-1][1] == "active"
    assert "Chef" in career_goals[-1][0]
    assert {c["onet_soc"] for c in plan["careers"]} >= {"29-1141.00", "47-2111.00"}


def test_a_goal_about_work_is_no_career_goal_and_stays_when_the_aim_changes(uow_factory):
    enrol(uow_factory, "S1")
    goals.record_goal(uow_factory(), "S1", "get a summer job at the pool", "e-1")
    record_career_goal(uow_factory(), "S1", "i want to be a nurse", "e-2")
    plan = student_plan(uow_factory(), "S1")
    assert [(g["kind"], g["text"], g["status"]) for g in plan["goals"]] == [
        ("work", "get a summer job at the pool", "active"), ("career", "Registered Nurse", "active")]


def test_a_career_goal_beyond_the_postsecondary_plan_is_reported(uow_factory):
    enrol(uow_factory, "S1")
    record_career_goal(uow_factory(), "S1", "i want to be a pharmacist", "e-1")
    result = postsecondary.record_postsecondary(uow_factory(), "S1", "im gonna go straight to work after high school", "e-2")
    assert result.option.id == "work" and result.out_of_reach.title.startswith("Pharmacist")
    assert postsecondary.record_postsecondary(uow_factory(), "S1", "four_year", "e-3").out_of_reach is None
    plan = student_plan(uow_factory(), "S1")
    assert plan["postsecondary"] == "four_year" and [h["choice"] for h in plan["postsecondary_history"]] == ["work", "four_year"]


def test_goal_step_and_due_date_are_saved_as_each_answer_comes(uow_factory):
    enrol(uow_factory, "S1")
    today = dt.date(2026, 11, 23)
    goal_id = goals.record_goal(uow_factory(), "S1", "get a B in algebra", "e-1")
    assert goals.record_goal(uow_factory(), "S1", "get a B in algebra", "e-1") == goal_id  # a retry
    step_id = goals.record_goal_step(uow_factory(), "S1", goal_id, "go to tutoring on tuesdays", "e-2")
    with pytest.raises(InvalidAnswer):
        goals.set_step_due_date(uow_factory(), "S1", step_id, "whenever lol", "e-3", today=today)
    assert goals.set_step_due_date(uow_factory(), "S1", step_id, "in 2 weeks", "e-4", today=today) == dt.date(2026, 12, 7)
    plan = student_plan(uow_factory(), "S1")
    assert plan["goals"][0]["kind"] == "education"
    assert plan["goals"][0]["steps"] == [{"id": step_id, "text": "go to tutoring on tuesdays",
                                          "due_date": "2026-12-07", "done": False}]
    assert [step.id for step in progress.open_items(uow_factory(), "S1")[0]] == [step_id]
    goals.complete_step(uow_factory(), "S1", step_id, "e-5")
    assert progress.open_items(uow_factory(), "S1")[0] == []
    assert student_plan(uow_factory(), "S1")["goals"][0]["steps"][0]["done"] is True


def test_a_step_of_another_students_goal_cannot_be_touched(uow_factory):
    enrol(uow_factory, "S1")
    enrol(uow_factory, "S2")
    goal_id = goals.record_goal(uow_factory(), "S1", "make the varsity team", "e-1")
    step_id = goals.record_goal_step(uow_factory(), "S1", goal_id, "run every morning", "e-2")
    with pytest.raises(InvalidAnswer):
        goals.complete_step(uow_factory(), "S2", step_id, "e-3")
    with pytest.raises(InvalidAnswer):
        goals.record_goal_step(uow_factory(), "S2", goal_id, "sneaky", "e-4")


def test_course_plan_fits_the_career_and_meets_graduation_requirements(uow_factory):
    enrol(uow_factory, "S1", grade=8)
    record_career_goal(uow_factory(), "S1", "i want to be a nurse", "e-1")
    proposal = courses.suggest_course_plan(uow_factory(), "S1")
    assert sorted(proposal.by_grade) == [9, 10, 11, 12]
    names = [course.name for year in proposal.by_grade.values() for course in year]
    assert "Principles of Health Science" in names and "Medical Terminology" in names
    # An 8th grader has earned no high school credits yet, so the four years planned cover every requirement.
    assert proposal.credits.earned_known and proposal.shortfalls == ()
    _, retried = courses.save_course_plan(uow_factory(), "S1", "e-2")
    assert not retried and courses.save_course_plan(uow_factory(), "S1", "e-2")[1]
    plan = student_plan(uow_factory(), "S1")
    assert len(plan["courses"]) == len(names) and {c["grade"] for c in plan["courses"]} == {9, 10, 11, 12}
    assert courses.suggest_course_plan(uow_factory(), "S1").by_grade == {}


def test_course_plan_for_an_eleventh_grader_covers_the_years_left(uow_factory):
    enrol(uow_factory, "S1", grade=11)
    proposal = courses.suggest_course_plan(uow_factory(), "S1")
    assert sorted(proposal.by_grade) == [11, 12]
    # No transcript: the credits of grades 9 and 10 are unknown, so nothing is said to be still needed.
    assert not proposal.credits.earned_known and proposal.shortfalls == ()


@pytest.mark.parametrize("text, kind, status", [
    ("i joined the robotics club", "club", "doing"),
    ("im doing a job shadow at the hospital next week", "job_shadowing", "planned"),
    ("i got a job at the grocery store", "job", "doing"),
    ("i signed up for dual credit english", "dual_credit", "planned"),
    ("i finished my internship at the bank", "internship", "done"),
])
def test_activities_are_saved_with_kind_and_status(uow_factory, text, kind, status):
    enrol(uow_factory, "S1", grade=10)
    saved = activities.record_activity(uow_factory(), "S1", text, "e-1")
    assert (saved.kind, saved.status) == (kind, status)
    assert student_plan(uow_factory(), "S1")["activities"][0]["kind"] == kind


def test_benchmarks_follow_the_plan_and_reported_completions(uow_factory):
    enrol(uow_factory, "S1", grade=8)
    before = student_plan(uow_factory(), "S1")["benchmarks"]
    assert before["done"] == [] and len(before["pending"]) >= 4
    courses.save_course_plan(uow_factory(), "S1", "e-1")
    progress.complete_benchmark(uow_factory(), "S1", "g8_counselor_chat", "e-2")
    after = student_plan(uow_factory(), "S1")["benchmarks"]
    assert {"g8_course_plan", "g8_counselor_chat"} <= {b["id"] for b in after["done"]}
    assert len(after["done"]) + len(after["pending"]) == len(before["pending"])
    with pytest.raises(InvalidAnswer):
        progress.complete_benchmark(uow_factory(), "S1", "g99_nothing", "e-3")


def test_first_visit_and_return_visit(uow_factory):
    enrol(uow_factory, "S1", grade=8)
    first = progress.welcome(uow_factory(), "S1")
    assert first.first_visit and first.next_benchmark is not None
    record_career_goal(uow_factory(), "S1", "i want to be a welder", "e-1")
    back = progress.welcome(uow_factory(), "S1")
    assert not back.first_visit
    assert len(back.careers) == 1 and "Weld" in back.careers[0]
    assert back.first_name == "Sam" and back.grade == 8


def test_plan_show_json_carries_every_documented_field(uow_factory):
    enrol(uow_factory, "S1", grade=10)
    answer_items(uow_factory, "S1", likes="S")
    values.record_value_choice(uow_factory(), "S1", "relationships", "v-1")
    record_career_goal(uow_factory(), "S1", "i want to be a nurse", "c-1")
    postsecondary.record_postsecondary(uow_factory(), "S1", "two_year", "p-1")
    goal_id = goals.record_goal(uow_factory(), "S1", "volunteer at the clinic", "g-1")
    goals.record_goal_step(uow_factory(), "S1", goal_id, "call the clinic", "g-2")
    activities.record_activity(uow_factory(), "S1", "i joined hosa club", "a-1")
    plan = show_plan(uow_factory(), "S1", reader_role="counselor", reader_id=1)
    assert {"student_id", "grade", "interests", "values", "careers", "postsecondary", "goals", "courses",
            "activities", "benchmarks", "updated_at"} <= set(plan)
    assert plan["interests"]["code"][0] == "S" and isinstance(plan["interests"]["riasec"]["S"], float)
    assert plan["values"][0] == "relationships"
    assert plan["careers"][0] == {"title": "Registered Nurse", "onet_soc": "29-1141.00"}
    assert plan["postsecondary"] == "two_year"
    assert any(goal["steps"] for goal in plan["goals"])
    assert set(plan["benchmarks"]) == {"done", "pending"}
    assert plan["updated_at"].endswith("Z")


def test_unknown_student_writes_nothing(uow_factory):
    from bot.errors import UnknownStudent

    with pytest.raises(UnknownStudent):
        goals.record_goal(uow_factory(), "GHOST", "be rich", "e-1")
    assert count(uow_factory, Answer) == 0 and count(uow_factory, Flag) == 0


def test_a_statement_that_names_one_thing_twice_is_saved_once(uow_factory):
    from bot.plans.services import plan_as_dict, record_interest_statement
    from bot.roster.services import get_student

    enrol(uow_factory, "S1")
    saved = record_interest_statement(uow_factory(), "S1", "i kinda like cooking, i make dinner for my brothers", "e-1")
    assert [mention.item_id for mention in saved.mentions] == ["cooking"]
    record_interest_statement(uow_factory(), "S1", "i like being outside, like fishing and hunting with my uncle", "e-2")
    with uow_factory() as uow:
        interests = plan_as_dict(uow.session, get_student(uow.session, "S1"))["interests"]
    assert "i kinda like cooking, i make dinner for my brothers" in str(interests)
    assert "fishing and hunting" in str(interests)
