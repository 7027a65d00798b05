"""Advisor scripts (data/advisor_scripts): the shipped ones load and hang together; broken ones are refused
with a message naming the file, the step and the field."""
from __future__ import annotations

import copy

import pytest
import yaml

from bot.advisors.scripts import RECOGNISING, SAVES_TO, SCRIPTS_DIR, Script, ScriptError, load_script, load_scripts

# Typed or clicked, these words are the automatic Skip / Back / End session buttons, never an option.
AUTOMATIC_BUTTONS = {"skip", "next", "pass", "back", "previous", "end session", "end"}


def successors(script: Script, step) -> set[str]:
    """Every step the session can go to from `step`: options, nothing found, `next` or the step below."""
    after = script.following(step)
    found = {after.id} if after else set()
    found |= {option.next for option in step.options if option.next}  # an option without next: as above
    if step.if_nothing_found:
        found.add(step.if_nothing_found)
    return found


def reachable(script: Script) -> set[str]:
    seen, todo = set(), [script.first_step.id]
    while todo:
        step_id = todo.pop()
        if step_id not in seen:
            seen.add(step_id)
            todo.extend(successors(script, script.step(step_id)))
    return seen


def branches(step) -> bool:
    return bool(step.if_nothing_found) or any(option.next and option.next != step.next for option in step.options)


# ---- the shipped scripts ----

@pytest.fixture(scope="module")
def shipped() -> dict[str, Script]:
    return load_scripts.__wrapped__(SCRIPTS_DIR)


def test_both_shipped_scripts_load_with_their_grades(shipped):
    assert set(shipped) == {"grade8_session", "grade10_session"}
    assert shipped["grade8_session"].grades == [8]
    assert shipped["grade10_session"].grades == [10]
    assert {script.minutes for script in shipped.values()} == {30}
    assert 7 <= len(shipped["grade8_session"].steps) <= 9
    assert 8 <= len(shipped["grade10_session"].steps) <= 10


def test_plan_sections_are_what_each_session_is_about(shipped):
    assert shipped["grade8_session"].plan_sections == ("interests", "careers", "courses", "goals", "notes")
    assert shipped["grade10_session"].plan_sections == ("careers", "goals", "postsecondary", "activities", "notes")


@pytest.mark.parametrize("script_id", ["grade8_session", "grade10_session"])
def test_every_target_exists_and_every_step_is_reachable(shipped, script_id):
    script = shipped[script_id]
    ids = {step.id for step in script.steps}
    for step in script.steps:
        assert successors(script, step) <= ids, step.id
    assert reachable(script) == ids
    assert script.following(script.steps[-1]) is None  # the last step ends the session


@pytest.mark.parametrize("script_id", ["grade8_session", "grade10_session"])
def test_each_script_branches_at_least_once(shipped, script_id):
    assert [step.id for step in shipped[script_id].steps if branches(step)]


def test_the_branches_go_where_the_session_needs_them(shipped):
    grade8, grade10 = shipped["grade8_session"], shipped["grade10_session"]
    no_idea = {o.label: o.next for o in grade8.step("career_in_mind").options}["No idea yet"]
    assert no_idea == grade8.step("career_ideas").if_nothing_found == "work_setting"
    assert grade8.step("pick_careers").saves_to == "careers"
    assert grade8.following(grade8.step("career_ideas")).id == "high_school_classes"  # jumps over exploring
    check = {o.label: o.next for o in grade10.step("goal_check").options}
    assert check == {"Same goal": "same_goal", "Changed my mind": "new_goal", "Not sure yet": "explore_careers"}
    assert grade10.step("new_goal").if_nothing_found == "explore_careers"
    assert [s.saves_to for s in grade10.steps].index("goal") < [s.saves_to for s in grade10.steps].index("goal_step")


@pytest.mark.parametrize("script_id", ["grade8_session", "grade10_session"])
def test_steps_follow_the_content_rules(shipped, script_id):
    for step in shipped[script_id].steps:
        assert len(step.say) <= 300, step.id
        assert 1 <= len(step.tips) <= 3, step.id
        assert 2 <= len(step.title.split()) <= 5, step.id
        assert not {option.label.casefold() for option in step.options} & AUTOMATIC_BUTTONS, step.id
        if step.saves_to == "course_plan":
            assert not step.options, "the bot adds its own course buttons"


# ---- validation of broken scripts ----

BASE = {
    "id": "test_script",
    "title": "A test script",
    "grades": [9],
    "minutes": 20,
    "purpose": "Checks the loader.",
    "steps": [
        {"id": "hello", "title": "Say hello", "say": "Hi there!"},
        {"id": "careers", "title": "Careers", "say": "Which jobs interest you?", "saves_to": "careers"},
        {"id": "wrap_up", "title": "Wrap up", "say": "Thanks!", "saves_to": "note"},
    ],
}


def script_with(**changes) -> dict:
    """BASE with top-level fields replaced, or step fields changed via step_<index>={field: value or None}."""
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        if key.startswith("step_"):
            step = data["steps"][int(key[5:])]
            for field, field_value in value.items():
                if field_value is None:
                    step.pop(field, None)
                else:
                    step[field] = field_value
        else:
            data[key] = value
    return data


def write(tmp_path, name: str, content) -> object:
    path = tmp_path / name
    text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def error_for(path) -> str:
    with pytest.raises(ScriptError) as raised:
        load_script(path)
    return str(raised.value)


def test_the_base_script_is_valid(tmp_path):
    script = load_script(write(tmp_path, "fine.yml", BASE))
    assert [step.id for step in script.steps] == ["hello", "careers", "wrap_up"]
    assert script.plan_sections == ("careers", "notes")


@pytest.mark.parametrize("changes, expected", [
    ({"step_1": {"saves_to": "hobbies"}},
     "step 'careers', field 'saves_to': must be one of " + ", ".join(SAVES_TO)),
    ({"step_0": {"next": "nowhere"}},
     "step 'hello', field 'next': there is no step 'nowhere'"),
    ({"step_0": {"options": [{"label": "Yes"}, {"label": "No", "next": "missing_step"}]}},
     "step 'hello', field 'options[1].next': there is no step 'missing_step'"),
    ({"step_1": {"next": "careers"}},
     "step 'careers', field 'next': a step cannot lead to itself"),
    ({"step_2": {"id": "careers"}},
     "step 'careers', field 'id': two steps have this id"),
    ({"step_0": {"if_nothing_found": "wrap_up"}},
     "step 'hello', field 'if_nothing_found': only steps that save to " + ", ".join(RECOGNISING)),
    ({"step_2": {"sayy": "Thanks!"}},
     "step 'wrap_up', field 'sayy': extra fields not permitted"),
    ({"step_2": {"say": None}},
     "step 'wrap_up', field 'say': field required"),
    ({"step_2": {"say": "   "}},
     "step 'wrap_up', field 'say': ensure this value has at least 1 characters"),
    ({"step_1": {"id": "Careers-2"}},
     "step 'Careers-2', field 'id': string does not match regex"),
    ({"step_0": {"options": [{"label": "Yes"}, {"label": "yes"}]}},
     "step 'hello', field 'options': two options have the same label"),
    ({"step_0": {"options": [{"label": "Yes", "goto": "wrap_up"}]}},
     "step 'hello', field 'options.0.goto': extra fields not permitted"),
])
def test_a_broken_step_names_file_step_and_field(tmp_path, changes, expected):
    path = write(tmp_path, "broken_step.yml", script_with(**changes))
    message = error_for(path)
    assert message.startswith(f"{path}: ")  # outside data/, the whole path is shown
    assert "broken_step.yml: " + expected in message


def test_a_step_without_an_id_is_named_by_its_number(tmp_path):
    path = write(tmp_path, "no_id.yml", script_with(step_1={"id": None}))
    assert "no_id.yml: step #2, field 'id': field required" in error_for(path)


def test_every_problem_in_a_file_is_listed(tmp_path):
    path = write(tmp_path, "two_problems.yml", script_with(step_0={"sayy": "x"}, step_2={"saves_to": "plans"}))
    lines = error_for(path).splitlines()
    assert [line.split(": ", 1)[1].split(":")[0] for line in lines] == [
        "step 'hello', field 'sayy'", "step 'wrap_up', field 'saves_to'"]


def test_an_empty_steps_list_is_refused(tmp_path):
    path = write(tmp_path, "empty.yml", script_with(steps=[]))
    assert "empty.yml: field 'steps': a script needs at least one step" in error_for(path)


@pytest.mark.parametrize("changes, expected", [
    ({"purpose": None}, "field 'purpose': none is not an allowed value"),
    ({"grades": [5]}, "field 'grades.0': ensure this value is greater than or equal to 6"),
    ({"minutes": "half an hour"}, "field 'minutes': value is not a valid integer"),
])
def test_a_broken_script_field_names_file_and_field(tmp_path, changes, expected):
    path = write(tmp_path, "broken_script.yml", script_with(**changes))
    assert "broken_script.yml: " + expected in error_for(path)


def test_a_file_that_is_not_yaml_is_refused(tmp_path):
    path = write(tmp_path, "not_yaml.yml", "id: test_script\nsteps: [\n  - id: hello\n  say: 'unclosed\n")
    assert "not_yaml.yml: cannot be read as YAML (" in error_for(path)


@pytest.mark.parametrize("text", ["just some words\n", "- id: hello\n", ""])
def test_a_file_that_is_not_a_mapping_is_refused(tmp_path, text):
    path = write(tmp_path, "not_mapping.yml", text)
    assert "not_mapping.yml: must be a mapping with id, title, grades, minutes, purpose and steps" in error_for(path)


def test_two_files_with_one_script_id_are_refused(tmp_path):
    write(tmp_path, "a_first.yml", BASE)
    write(tmp_path, "b_second.yml", script_with(title="Another title"))
    with pytest.raises(ScriptError) as raised:
        load_scripts.__wrapped__(tmp_path)
    assert "b_second.yml: field 'id': another script already uses 'test_script'" in str(raised.value)


def test_a_folder_of_good_scripts_loads_by_id(tmp_path):
    write(tmp_path, "a_first.yml", BASE)
    write(tmp_path, "b_second.yml", script_with(id="other_script"))
    assert list(load_scripts.__wrapped__(tmp_path)) == ["test_script", "other_script"]


def test_an_id_with_a_trailing_newline_is_refused(tmp_path):
    path = write(tmp_path, "newline_id.yml", script_with(step_0={"id": "hello\n"}))
    assert "newline_id.yml: step 'hello\\n', field 'id': string does not match regex" in error_for(path)
