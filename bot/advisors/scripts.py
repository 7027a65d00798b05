"""Guided scripts for community advisors, read from data/advisor_scripts/*.yml and checked on load.

A script is a list of steps. Each step says what the advisor says or asks, gives tips, and names where
the answer goes in the plan (`saves_to`). The next step is the one below, unless the step's `next`, the
picked option's `next`, or `if_nothing_found` (a recognising step whose answer named nothing) says
otherwise. The format is documented in data/advisor_scripts/README.md.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import List, Optional

import yaml
from pydantic import BaseModel, Extra, ValidationError, conint, constr, validator

from bot.data_files import DATA_DIR
from bot.errors import IlpError

SCRIPTS_DIR = DATA_DIR / "advisor_scripts"

# Where an answer goes, and the plan sections (keys of the plan's JSON) the advisor sees for it.
SAVES_TO = {
    "answer": (),  # kept as the student's answer only
    "interests": ("interests",),
    "strengths": ("strengths",),
    "careers": ("careers",),
    "career_goal": ("careers", "goals"),
    "goal": ("goals",),
    "goal_step": ("goals",),
    "activity": ("activities",),
    "postsecondary": ("postsecondary",),
    "course_plan": ("courses",),
    "note": ("notes",),
}
# Steps whose answer is read for known things (activities, subjects, careers): "nothing found" can branch.
RECOGNISING = ("interests", "careers", "career_goal")
# Words that steer a session rather than answer it (Skip, Back and End session buttons send the first of
# each); no option may use one as its label.
COMMANDS = {
    "skip": {"skip", "skip this", "skip it", "skip this step", "next", "pass"},
    "back": {"back", "go back", "previous", "previous step", "back one step"},
    "end": {"end session", "end the session", "end early", "end", "finish early", "stop the session"},
}
StepId = constr(regex=r"^[a-z][a-z0-9_]{0,59}\Z")


class ScriptError(IlpError, ValueError):
    """A script that cannot be used; the message names the file, the step and the field."""


class Option(BaseModel, extra=Extra.forbid):
    label: constr(strip_whitespace=True, min_length=1, max_length=60)
    next: Optional[StepId] = None


class Step(BaseModel, extra=Extra.forbid):
    id: StepId
    title: constr(strip_whitespace=True, min_length=1, max_length=80)
    say: constr(strip_whitespace=True, min_length=1, max_length=1000)
    tips: List[constr(strip_whitespace=True, min_length=1, max_length=400)] = []
    saves_to: str = "answer"
    options: List[Option] = []
    next: Optional[StepId] = None
    if_nothing_found: Optional[StepId] = None

    @validator("saves_to")
    def known_place(cls, value: str) -> str:
        if value not in SAVES_TO:
            raise ValueError(f"must be one of {', '.join(SAVES_TO)}")
        return value

    @validator("if_nothing_found")
    def only_when_recognising(cls, value: str | None, values: dict) -> str | None:
        if value is not None and values.get("saves_to") not in RECOGNISING:
            raise ValueError(f"only steps that save to {', '.join(RECOGNISING)} can branch on nothing found")
        return value


class Script(BaseModel, extra=Extra.forbid):
    id: StepId
    title: constr(strip_whitespace=True, min_length=1, max_length=120)
    grades: List[conint(ge=6, le=12)]
    minutes: conint(ge=5, le=120)
    purpose: constr(strip_whitespace=True, min_length=1, max_length=600)
    steps: List[Step]

    @property
    def first_step(self) -> Step:
        return self.steps[0]

    def step(self, step_id: str) -> Step:
        return next(step for step in self.steps if step.id == step_id)

    def following(self, step: Step) -> Step | None:
        """The step after `step` when nothing sends elsewhere: its `next`, else the one below it, else the end."""
        if step.next:
            return self.step(step.next)
        index = self.steps.index(step)
        return self.steps[index + 1] if index + 1 < len(self.steps) else None

    @property
    def plan_sections(self) -> tuple[str, ...]:
        """The sections of the plan the script touches: all an advisor running it may see."""
        sections = [section for step in self.steps for section in SAVES_TO[step.saves_to]]
        return tuple(dict.fromkeys(sections))


def load_script(path: Path) -> Script:
    """Reads and checks one script; a ScriptError names the file, step and field of the first problems."""
    name = _display_name(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ScriptError(f"{name}: cannot be read as YAML ({error})") from None
    if not isinstance(data, dict):
        raise ScriptError(f"{name}: must be a mapping with id, title, grades, minutes, purpose and steps")
    try:
        script = Script.parse_obj(data)
    except ValidationError as error:
        problems = [_where(name, data, issue["loc"]) + f": {issue['msg']}" for issue in error.errors()]
        raise ScriptError("\n".join(problems)) from None
    _check_links(name, script)
    return script


@lru_cache(maxsize=1)
def load_scripts(directory: Path = SCRIPTS_DIR) -> dict[str, Script]:
    """Every script in the folder, by id; the first problem in any file raises ScriptError."""
    scripts: dict[str, Script] = {}
    for path in sorted(directory.glob("*.yml")):
        script = load_script(path)
        if script.id in scripts:
            raise ScriptError(f"{_display_name(path)}: field 'id': another script already uses {script.id!r}")
        scripts[script.id] = script
    return scripts


def _check_links(name: str, script: Script) -> None:
    if not script.steps:
        raise ScriptError(f"{name}: field 'steps': a script needs at least one step")
    ids = [step.id for step in script.steps]
    for step in script.steps:
        if ids.count(step.id) > 1:
            raise ScriptError(f"{name}: step '{step.id}', field 'id': two steps have this id")
        targets = [("next", step.next), ("if_nothing_found", step.if_nothing_found)]
        targets += [(f"options[{i}].next", option.next) for i, option in enumerate(step.options)]
        for field, target in targets:
            if target is not None and target not in ids:
                raise ScriptError(f"{name}: step '{step.id}', field '{field}': there is no step {target!r}")
            if target == step.id:
                raise ScriptError(f"{name}: step '{step.id}', field '{field}': a step cannot lead to itself")
        labels = [option.label.casefold() for option in step.options]
        if len(set(labels)) < len(labels):
            raise ScriptError(f"{name}: step '{step.id}', field 'options': two options have the same label")
        reserved = [label for label in labels if any(label in words for words in COMMANDS.values())]
        if reserved:
            raise ScriptError(f"{name}: step '{step.id}', field 'options': {reserved[0]!r} is a Skip, Back or End word")


def _where(name: str, data: dict, loc: tuple) -> str:
    """ "file: step 'careers', field 'saves_to'" from pydantic's error location."""
    if len(loc) >= 2 and loc[0] == "steps" and isinstance(loc[1], int):
        steps = data.get("steps") or []
        raw = steps[loc[1]] if loc[1] < len(steps) else None
        step = repr(raw["id"]) if isinstance(raw, dict) and isinstance(raw.get("id"), str) else f"#{loc[1] + 1}"
        field = ".".join(str(part) for part in loc[2:]) or "(the step itself)"
        return f"{name}: step {step}, field '{field}'"
    return f"{name}: field '{'.'.join(str(part) for part in loc)}'"


def _display_name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(DATA_DIR.parent))
    except ValueError:
        return str(path)
