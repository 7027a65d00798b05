"""The whole-conversation judge on hand-made plans and replies (no stack): what passes and what does not."""
from __future__ import annotations

import copy

import pytest

from tests.whole_conversations.runner import (
    Conversation, Expectation, Played, Turn, judge_conversation, plan_items, parse_expectation,
)

DEAD_END_TEXTS = {"I can't help with that one.": "utter_out_of_scope"}


def empty_plan() -> dict:
    return {"student_id": "WC-001", "grade": 10, "school": "S",
            "interests": {"riasec": {}, "code": "", "inventory": {"answered": 0, "total": 42, "complete": False},
                          "mentions": [], "statements": []},
            "values": [], "strengths": [], "careers": [], "postsecondary": None, "postsecondary_history": [],
            "goals": [], "courses": [], "activities": [], "notes": [], "benchmarks": {"done": [], "pending": []},
            "updated_at": None}


def with_(plan: dict, **changes) -> dict:
    """A copy of the plan, changed: statement=TEXT, career_goal=(id, TEXT, STATUS), goal=(id, TEXT, [steps]),
    postsecondary=CHOICE, value=ID, updated_at=TIME."""
    plan = copy.deepcopy(plan)
    if "statement" in changes:
        plan["interests"]["statements"].append({"text": changes["statement"], "riasec": []})
    if "career_goal" in changes:
        goal_id, text, status = changes["career_goal"]
        plan["goals"].append({"id": goal_id, "kind": "career", "text": text, "status": status, "steps": []})
    if "goal" in changes:
        goal_id, text, steps = changes["goal"]
        plan["goals"].append({"id": goal_id, "kind": "education", "text": text, "status": "active", "steps": steps})
    if "postsecondary" in changes:
        plan["postsecondary"] = changes["postsecondary"]
        plan["postsecondary_history"].append({"choice": changes["postsecondary"], "at": "2026-12-06T10:00:00Z"})
    if "value" in changes:
        plan["values"].append(changes["value"])
    if "updated_at" in changes:
        plan["updated_at"] = changes["updated_at"]
    return plan


def turn(say, expect, before, after, text="OK.", responses=None) -> Turn:
    return Turn(say, parse_expectation(expect), [{"text": text, "buttons": []}], responses or [None],
                before, after, [], [])


def judged(*turns: Turn, must_have=(), must_not_have=()):
    conversation = Conversation("c", 10, "", tuple((t.say, t.expectation) for t in turns),
                                tuple(Expectation("must_have", k, s) for k, s in must_have),
                                tuple(Expectation("must_not_have", k, s) for k, s in must_not_have))
    return judge_conversation(Played(conversation, "WC-001", list(turns)), DEAD_END_TEXTS)


def outcomes(judgement) -> list[tuple[str, bool]]:
    return [(result.expectation.kind, result.passed) for result in judgement.results]


E = empty_plan()
DRAW = with_(E, statement="ok fine i like drawing i guess")


def test_no_save_ignores_the_update_time_and_fails_on_a_new_statement():
    later = with_(E, updated_at="2026-12-06T10:00:00")
    assert outcomes(judged(turn("idk", "no_save", E, later))) == [("no_save", True)]
    failed = judged(turn("idk", "no_save", E, with_(E, statement="idk")))
    assert outcomes(failed) == [("no_save", False)] and "added interest" in failed.results[0].what


def test_a_save_is_in_the_plan_after_the_turn_or_after_its_confirm():
    saved = judged(turn("i like drawing", {"save": "interest", "contains": "DRAW"}, E, DRAW))
    assert outcomes(saved) == [("save", True)]
    # Already in the plan before the turn (an earlier turn wrote it unasked): it passes, and says so.
    already = judged(turn("i like drawing", {"save": "interest", "contains": "draw"}, DRAW, DRAW))
    assert outcomes(already) == [("save", True)] and "already in the plan" in already.results[0].what
    # Proposed on the turn, saved on the confirm: both pass.
    assert outcomes(judged(turn("i like drawing", {"save": "interest", "contains": "draw"}, E, E),
                           turn("yeah", "confirm", E, DRAW))) == [("save", True), ("confirm", True)]
    # Never saved: both fail.
    assert outcomes(judged(turn("i like drawing", {"save": "interest", "contains": "draw"}, E, E),
                           turn("yeah", "confirm", E, E))) == [("save", False), ("confirm", False)]


def test_a_replaced_career_goal_is_not_in_the_active_plan():
    vet = with_(E, career_goal=(1, "Veterinarians", "active"))
    replaced = copy.deepcopy(vet)
    replaced["goals"][0]["status"] = "replaced"
    dental = with_(replaced, career_goal=(2, "Dental Hygienists", "active"))
    result = judged(turn("dental hygienist", {"save": "career_goal", "contains": "dental"}, vet, dental),
                    must_have=[("career_goal", "dental")], must_not_have=[("career_goal", "veterinar")])
    assert outcomes(result) == [("save", True), ("must_have", True), ("must_not_have", True)]


def test_undo_takes_back_what_the_latest_saving_turn_added():
    lawyer = with_(E, career_goal=(1, "Lawyers", "active"))
    retracted = copy.deepcopy(lawyer)
    retracted["goals"][0]["status"] = "retracted"
    save = turn("i want to be a lawyer", {"save": "career_goal", "contains": "lawyer"}, E, lawyer)
    assert outcomes(judged(save, turn("nvm delete that", "undo", lawyer, retracted)))[1] == ("undo", True)
    assert outcomes(judged(save, turn("nvm delete that", "undo", lawyer, lawyer)))[1] == ("undo", False)
    # Deleting it but saving "nvm delete that" as something else is no undo.
    assert outcomes(judged(save, turn("nvm delete that", "undo", lawyer,
                                      with_(retracted, statement="nvm delete that"))))[1] == ("undo", False)


def test_a_write_on_a_question_is_counted_apart_from_the_answer():
    result = judged(turn("can i do a 2 year thing", {"answer": "college_types"}, E, with_(E, postsecondary="two_year"),
                         "Saved: Two-year college."))
    assert outcomes(result) == [("answer", True)] and len(result.writes_on_questions) == 1


def test_undo_with_nothing_saved_since_the_proposal_must_change_nothing():
    home = turn("i want to work from home", {"save": "value", "contains": "home"}, DRAW, DRAW)
    assert outcomes(judged(home, turn("undo that", "undo", DRAW, DRAW)))[1] == ("undo", True)
    # The drawing was saved before the proposal: an undo now must not take it.
    assert outcomes(judged(home, turn("undo that", "undo", DRAW, E)))[1] == ("undo", False)


@pytest.mark.parametrize("reply, responses, passed", [
    ("The FAFSA is a form.", None, True),
    ("I can't help with that one.", None, False),                  # a dead end, known by its text
    ("About the FAFSA: no.", ["utter_out_of_scope"], False),       # a dead end, known by its response name
    ("Tell me what you like.", None, False),                       # no key term of the topic
])
def test_an_answer_is_no_dead_end_and_names_the_topic(reply, responses, passed):
    result = judged(turn("whats the fafsa", {"answer": "fafsa"}, E, E, reply, responses))
    assert outcomes(result) == [("answer", passed)]


@pytest.mark.parametrize("text, after, counted", [
    ("Thanks, I saved that to your plan.", E, True),                     # nothing changed: false
    ("Thanks, I saved that to your plan.", DRAW, False),                 # the plan changed
    ("See you next time! Everything you told me is saved in your plan.", E, False),  # about earlier turns
    ("Got it. I added it.", E, True),
])
def test_a_false_saved_is_a_claim_of_a_save_in_a_turn_that_changed_nothing(text, after, counted):
    assert len(judged(turn("i like hanging out with my friends", None, E, after, text)).false_saved) == int(counted)


def test_a_step_is_found_by_its_due_date():
    step = {"id": 5, "text": "turn in missing chem work", "due_date": "2026-12-12", "done": False}
    plan = with_(E, goal=(1, "raise my gpa", [step]))
    [found] = [item for item in plan_items(plan) if item.kind == "goal_step"]
    assert "dec 12" in found.text.lower()


def test_values_and_postsecondary_match_their_names_and_the_words_that_lead_to_them():
    plan = with_(with_(E, value="working_conditions"), postsecondary="two_year")
    result = judged(turn("ok", None, E, plan), must_have=[("value", "money"), ("postsecondary_plan", "college")],
                    must_not_have=[("postsecondary_plan", "apprentice")])
    assert all(passed for _, passed in outcomes(result))
