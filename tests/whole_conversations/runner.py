"""Plays whole student conversations through the real stack and judges the plan after every turn (issue 19).

Per conversation: a synthetic student of that grade is put on the roster of a fresh, migrated plan
database (one database for the run, one new student per conversation, so every conversation starts
from an empty plan), given a sign-in code, and signed in on the web app. Each `say` is typed into the
chat exactly as a student would: POST /api/messages on the web app, which relays it to Rasa's REST
channel. After each turn the runner keeps the bot's messages (text and buttons), the names of the
responses Rasa sent (the `utter_action` of each bot event in Rasa's tracker, read with the web app's
token) and the student's plan as the app reads it (`bot.plans.services.student_plan`, the service
behind My plan; the same dict as `ilp plan show --json`, without the audited staff read).

What counts as "the plan" (what `no_save` compares and what a false "saved" is measured against):
every section of that dict (interests with the quiz scores, mentions and statements; values;
strengths; careers; postsecondary and its history; goals and their steps; courses; activities;
notes; benchmarks) except the times that change without the student doing anything: `updated_at`,
and the `at` of each postsecondary choice and each note. Ids are kept: a new goal or step is a
change. Rows a write leaves only in the `answers` table (what the student typed, kept as said) are
not "the plan": My plan does not show them. They are reported apart, as hidden writes, and judged
by nothing. The format has no way to give a student an earlier plan, so the two "returning" students
(returning-student-vet-to-dental, returning-senior-update-goal-step) start from an empty one too.

The expectation kinds of blind_2026_12.yml map to the plan JSON so (`plan_items`):
  career_goal         goals[] with kind "career"; active while status is "active" (a replaced goal is history)
  goal                goals[] of any other kind; active unless its status is an inactive one (INACTIVE)
  goal_step           goals[].steps[] of any goal, active while its goal is; its text is the step's text
                      plus its due date written "Dec 12, 2026", so "dec 12" finds a step due then
  interest            interests.statements[].text (the student's words) and interests.mentions[].label
                      (activities, subjects and careers the student named); quiz answers are not items
  postsecondary_plan  postsecondary_history[]: each choice is an item, the one `postsecondary` names
                      (its latest entry) is active; its text is the id, name and button of the option
                      in data/plan/postsecondary.yml ("four_year Four-year college or university 4-year college")
  value               values[] (work value ids); text is the id, name, button, plain sentence and the
                      keywords that map a student's words to it in data/values/work_values.yml (the
                      plan keeps no words of the student's for a value, so "money" finds Working Conditions)
Other sections are items too (careers, strengths, activities, courses, benchmarks done, notes), so
that a write to them shows up in a diff and an undo must retract them, but no expectation names them.
An item with a `status` in INACTIVE, or `retracted: true`, is not in the active plan.

Judging (`judge_conversation`):
  no_save       the plan after the turn equals the plan before it
  {save: K, contains: S}
                an active item of kind K whose text contains S (case-insensitive) is in the plan after
                this turn, or after the next turn when that turn is `confirm`. It need not be new: an
                item an earlier turn wrote without being asked fails that turn's expectation, not this
                one (the report line says "already in the plan before this turn")
  confirm       the item the turn before proposed (its save's kind and text) is in the active plan now
  undo          the item saved most recently is no longer in the active plan: the items added by the
                latest turn that added any, looking back no further than the latest turn that expected
                a save; they must all be inactive after the undo, and the undo turn adds nothing that
                was not already in the plan. When no turn in that window saved anything, the undo must
                change nothing (the report counts these apart: "nothing to take back")
  {answer: T}   no message of the turn is a dead end (DEAD_ENDS, by response name, else by the
                response's text) and one of them matches the key terms of T (topics.TOPIC_TERMS)
  none          nothing (nor is a turn without `expect`: "hi", a quiz answer), except the two counts below
  end.must_have / must_not_have
                an active item of that kind containing the text is / is not in the final plan
Always, on every turn: a sentence of a bot message that says "saved" or "added" while the plan did
not change is a false "saved" (FALSE_SAVED_WORDS), except a sentence about everything said before
("Everything you told me is saved in your plan"), which claims no save in this turn. "Saved: Two-year
college" when the plan already held it is counted: nothing was saved in that turn.
Also on every turn with an `answer` expectation: a change to the plan is a write on a question (the
student asked something and the bot wrote to their plan); counted, not a failure of the answer.
"""
from __future__ import annotations

import datetime as dt
import re
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import httpx
import yaml

HERE = Path(__file__).resolve().parent
DEFAULT_SET = HERE / "blind_2026_12.yml"
EXPECTATION_KINDS = ("no_save", "save", "confirm", "undo", "answer", "must_have", "must_not_have")
ITEM_KINDS = ("career_goal", "goal", "goal_step", "interest", "postsecondary_plan", "value")
INACTIVE = frozenset({"replaced", "retracted", "removed", "deleted", "undone", "withdrawn", "cancelled", "canceled"})

# Replies that leave a student where they started: out of scope, the fallback, the buttons offered after
# two misunderstandings, the third misunderstanding's hand-off, and "I don't know that job yet".
DEAD_ENDS = ("utter_out_of_scope", "utter_default", "utter_offer_choices", "utter_counselor_will_check_in",
             "utter_answer_unknown_career")
FALSE_SAVED_WORDS = re.compile(r"\b(saved|added)\b", re.IGNORECASE)
ABOUT_EVERYTHING_BEFORE = re.compile(r"\beverything\b", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
NOTHING_TO_TAKE_BACK = "nothing to take back"


# --- the conversations -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Expectation:
    kind: str                  # one of EXPECTATION_KINDS, or "none"
    item_kind: str | None = None
    contains: str | None = None
    topic: str | None = None

    def describe(self) -> str:
        if self.kind == "save":
            return f"save {self.item_kind} ~ {self.contains!r}"
        if self.kind == "answer":
            return f"answer {self.topic}"
        if self.kind in ("must_have", "must_not_have"):
            return f"{self.kind} {self.item_kind} ~ {self.contains!r}"
        return self.kind


@dataclass(frozen=True)
class Conversation:
    name: str
    grade: int
    about: str
    turns: tuple[tuple[str, Expectation | None], ...]
    must_have: tuple[Expectation, ...]
    must_not_have: tuple[Expectation, ...]


def parse_expectation(raw: Any) -> Expectation | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        if raw not in ("no_save", "confirm", "undo", "none"):
            raise ValueError(f"unknown expectation {raw!r}")
        return Expectation(raw)
    if isinstance(raw, dict) and "save" in raw:
        if raw["save"] not in ITEM_KINDS or not raw.get("contains"):
            raise ValueError(f"bad save expectation {raw!r}")
        return Expectation("save", raw["save"], str(raw["contains"]))
    if isinstance(raw, dict) and "answer" in raw:
        from tests.whole_conversations.topics import TOPIC_TERMS
        if raw["answer"] not in TOPIC_TERMS:
            raise ValueError(f"no key terms for answer topic {raw['answer']!r} (add it to topics.py)")
        return Expectation("answer", topic=raw["answer"])
    raise ValueError(f"unknown expectation {raw!r}")


def load_conversations(path: Path = DEFAULT_SET) -> list[Conversation]:
    data = yaml.safe_load(path.read_text())
    conversations = []
    for raw in data["conversations"]:
        end = raw.get("end") or {}

        def ends(key: str) -> tuple[Expectation, ...]:
            found = []
            for item in end.get(key) or []:
                if item["kind"] not in ITEM_KINDS:
                    raise ValueError(f"{raw['name']}: unknown kind {item['kind']!r}")
                found.append(Expectation(key, item["kind"], str(item["contains"])))
            return tuple(found)

        turns = tuple((str(turn["say"]), parse_expectation(turn.get("expect"))) for turn in raw["turns"])
        for index, (_, expectation) in enumerate(turns):
            if expectation and expectation.kind == "confirm":
                before = turns[index - 1][1] if index else None
                if not (before and before.kind == "save"):
                    raise ValueError(f"{raw['name']} turn {index + 1}: a confirm must follow a save")
        conversations.append(Conversation(raw["name"], int(raw["grade"]), raw.get("about", ""), turns,
                                          ends("must_have"), ends("must_not_have")))
    return conversations


# --- the plan: what counts, and its items ---------------------------------------------------------

def comparable(plan: dict) -> dict:
    """The plan without the times that change by themselves (see the module docstring)."""
    result = {key: value for key, value in plan.items() if key != "updated_at"}
    result["postsecondary_history"] = [{k: v for k, v in entry.items() if k != "at"}
                                       for entry in plan.get("postsecondary_history", [])]
    result["notes"] = [{k: v for k, v in note.items() if k != "at"} for note in plan.get("notes", [])]
    return result


def plan_changes(before: dict, after: dict) -> list[str]:
    """The top-level sections that differ (ignoring times)."""
    old, new = comparable(before), comparable(after)
    return sorted(key for key in set(old) | set(new) if old.get(key) != new.get(key))


@dataclass(frozen=True)
class Item:
    kind: str      # an ITEM_KIND, or one of the other sections ("career", "strength", ...)
    key: tuple     # identity within the plan, stable across turns
    text: str      # what a `contains` is matched against
    shown: str     # how a report line shows it
    active: bool


def _inactive(entry: dict) -> bool:
    return str(entry.get("status", "")).lower() in INACTIVE or entry.get("retracted") is True


def _numbered(entries: list, identity) -> list[tuple[tuple, Any]]:
    """Keys for entries without ids: their identity plus its occurrence number."""
    seen: Counter = Counter()
    keyed = []
    for entry in entries:
        base = identity(entry)
        seen[base] += 1
        keyed.append(((*base, seen[base]), entry))
    return keyed


def _due(step: dict) -> str:
    if not step.get("due_date"):
        return ""
    try:
        day = dt.date.fromisoformat(step["due_date"][:10])
    except ValueError:
        return f" (due {step['due_date']})"
    return f" (due {day.strftime('%b')} {day.day}, {day.year})"


def _value_text(value_id: str) -> str:
    from bot.plans.content import work_values
    info = work_values().get(value_id)
    if info is None:
        return value_id
    return " ".join([info.id, info.name, info.button, info.plain, *info.keywords])


def _postsecondary_text(choice: str) -> str:
    from bot.plans.content import postsecondary_options
    option = postsecondary_options().get(choice)
    return " ".join([choice, option.name, option.button]) if option else choice


def plan_items(plan: dict) -> list[Item]:
    """Every item of the plan, of the six expectation kinds and the other sections (module docstring)."""
    items: list[Item] = []
    for goal in plan.get("goals", []):
        goal_active = not _inactive(goal) and (goal.get("kind") != "career" or goal.get("status") == "active")
        kind = "career_goal" if goal.get("kind") == "career" else "goal"
        items.append(Item(kind, ("goal", goal["id"]), goal["text"], f"{goal['text']} [{goal.get('status')}]",
                          goal_active))
        for step in goal.get("steps", []):
            text = step["text"] + _due(step)
            items.append(Item("goal_step", ("step", step["id"]), text, text, goal_active and not _inactive(step)))
    interests = plan.get("interests", {})
    for key, statement in _numbered(interests.get("statements", []), lambda s: ("statement", s["text"])):
        items.append(Item("interest", key, statement["text"], f"“{statement['text']}”", not _inactive(statement)))
    for key, mention in _numbered(interests.get("mentions", []), lambda m: ("mention", m["kind"], m["label"])):
        items.append(Item("interest", key, mention["label"], f"{mention['kind']} {mention['label']}",
                          not _inactive(mention)))
    history = plan.get("postsecondary_history", [])
    current = plan.get("postsecondary")
    active_index = max((i for i, entry in enumerate(history) if entry["choice"] == current), default=None)
    for index, entry in enumerate(history):
        items.append(Item("postsecondary_plan", ("postsecondary", index), _postsecondary_text(entry["choice"]),
                          entry["choice"], index == active_index))
    for value in plan.get("values", []):
        value_id = value if isinstance(value, str) else value.get("id", str(value))
        items.append(Item("value", ("value", value_id), _value_text(value_id), value_id, True))
    for career in plan.get("careers", []):
        items.append(Item("career", ("career", career["onet_soc"]), career["title"], career["title"],
                          not _inactive(career)))
    for key, strength in _numbered(plan.get("strengths", []), lambda s: ("strength", s["kind"], s["text"])):
        items.append(Item("strength", key, strength["text"], strength["text"], not _inactive(strength)))
    for key, activity in _numbered(plan.get("activities", []), lambda a: ("activity", a["kind"], a["name"])):
        items.append(Item("activity", key, activity["name"], f"{activity['name']} ({activity.get('status')})",
                          not _inactive(activity)))
    for key, course in _numbered(plan.get("courses", []), lambda c: ("course", c["grade"], c["course"])):
        items.append(Item("course", key, course["course"], f"{course['course']} (gr {course['grade']})", True))
    for benchmark in plan.get("benchmarks", {}).get("done", []):
        items.append(Item("benchmark", ("benchmark", benchmark["id"]), benchmark["text"], benchmark["id"], True))
    for key, note in _numbered(plan.get("notes", []), lambda n: ("note", n["text"])):
        items.append(Item("note", key, note["text"], note["text"], True))
    return items


def active_keys(plan: dict) -> set[tuple]:
    return {item.key for item in plan_items(plan) if item.active}


def added_items(before: dict, after: dict) -> list[Item]:
    """Items active after the turn that were not active before it."""
    was = active_keys(before)
    return [item for item in plan_items(after) if item.active and item.key not in was]


def removed_items(before: dict, after: dict) -> list[Item]:
    now = active_keys(after)
    return [item for item in plan_items(before) if item.active and item.key not in now]


def matching(plan: dict, kind: str, contains: str) -> list[Item]:
    """Active items of the kind whose text contains the words (case-insensitive)."""
    needle = contains.lower()
    return [item for item in plan_items(plan) if item.active and item.kind == kind and needle in item.text.lower()]


# --- what happened in a turn ------------------------------------------------------------------------

@dataclass
class Turn:
    say: str
    expectation: Expectation | None
    messages: list[dict]            # [{"text", "buttons"}] as the chat page got them
    responses: list[str | None]     # the response name of each bot event of the turn (None: text sent by code)
    plan_before: dict
    plan_after: dict
    answers_before: list[list[str]]  # [topic, text] rows of the answers table (hidden writes)
    answers_after: list[list[str]]
    status: int = 200               # the web app's HTTP status for the message

    @property
    def text(self) -> str:
        return " ".join(m.get("text") or "" for m in self.messages)


@dataclass
class Played:
    conversation: Conversation
    student_id: str
    turns: list[Turn]


@dataclass
class Result:
    conversation: str
    turn: int | None          # 1-based; None for the end checks
    expectation: Expectation
    passed: bool
    what: str


@dataclass
class FalseSaved:
    conversation: str
    turn: int
    say: str
    sentence: str
    response: str | None


@dataclass
class Judgement:
    results: list[Result] = field(default_factory=list)
    false_saved: list[FalseSaved] = field(default_factory=list)
    hidden_writes: list[str] = field(default_factory=list)
    writes_on_questions: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def extend(self, other: "Judgement") -> None:
        self.results += other.results
        self.false_saved += other.false_saved
        self.hidden_writes += other.hidden_writes
        self.writes_on_questions += other.writes_on_questions
        self.errors += other.errors

    def counts(self) -> dict[str, tuple[int, int]]:
        """Per expectation kind: (passed, total)."""
        counts = {kind: [0, 0] for kind in EXPECTATION_KINDS}
        for result in self.results:
            counts[result.expectation.kind][1] += 1
            counts[result.expectation.kind][0] += result.passed
        return {kind: (passed, total) for kind, (passed, total) in counts.items()}

    def failures(self) -> list[Result]:
        return [result for result in self.results if not result.passed]


def _shown(items: list[Item], limit: int = 4) -> str:
    parts = [f"{item.kind} {item.shown!r}" for item in items[:limit]]
    return ", ".join(parts) + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _what_changed(before: dict, after: dict) -> str:
    added, removed = added_items(before, after), removed_items(before, after)
    parts = []
    if added:
        parts.append("added " + _shown(added))
    if removed:
        parts.append("retracted " + _shown(removed))
    if not parts:
        changed = plan_changes(before, after)
        parts.append("changed " + ", ".join(changed) if changed else "nothing changed")
    return "; ".join(parts)


def _reply(turn: Turn, limit: int = 110) -> str:
    names = [name for name in turn.responses if name]
    text = turn.text.replace("\n", " ")
    text = text if len(text) <= limit else text[:limit - 1] + "…"
    return f"{'[' + ', '.join(names) + '] ' if names else ''}“{text}”"


def dead_end_texts() -> dict[str, str]:
    """The text of each dead-end response in domain.yml, for bot messages sent without a response name."""
    from bot.config import PROJECT_ROOT
    responses = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text()).get("responses", {})
    texts = {}
    for name in DEAD_ENDS:
        for variation in responses.get(name, []):
            if variation.get("text"):
                texts[variation["text"].strip()] = name
    return texts


def dead_ends_in(turn: Turn, texts: dict[str, str]) -> list[str]:
    found = [name for name in turn.responses if name in DEAD_ENDS]
    found += [texts[m["text"].strip()] for m in turn.messages if (m.get("text") or "").strip() in texts]
    return sorted(set(found))


def false_saved_sentences(turn: Turn) -> list[tuple[str, str | None]]:
    """Sentences claiming a save in a turn that changed nothing in the plan, with their response names."""
    if plan_changes(turn.plan_before, turn.plan_after):
        return []
    found = []
    for index, message in enumerate(turn.messages):
        name = turn.responses[index] if index < len(turn.responses) else None
        for sentence in SENTENCE_END.split(message.get("text") or ""):
            if FALSE_SAVED_WORDS.search(sentence) and not ABOUT_EVERYTHING_BEFORE.search(sentence):
                found.append((sentence.strip(), name))
    return found


def judge_conversation(played: Played, texts: dict[str, str] | None = None) -> Judgement:
    from tests.whole_conversations.topics import TOPIC_TERMS

    texts = dead_end_texts() if texts is None else texts
    conversation, turns = played.conversation, played.turns
    judgement = Judgement()
    name = conversation.name
    last_save_turn: int | None = None   # 0-based index of the latest turn that expected a save

    def result(index: int | None, expectation: Expectation, passed: bool, what: str) -> None:
        judgement.results.append(Result(name, None if index is None else index + 1, expectation, passed, what))

    for index, turn in enumerate(turns):
        expectation = turn.expectation
        before, after = turn.plan_before, turn.plan_after
        changed = bool(plan_changes(before, after))
        if turn.status != 200:
            judgement.errors.append(f"{name} turn {index + 1}: the web app answered HTTP {turn.status} to {turn.say!r}")
        if index and plan_changes(turns[index - 1].plan_after, before):
            judgement.errors.append(f"{name} turn {index + 1}: the plan changed after turn {index}'s reply: "
                                    + _what_changed(turns[index - 1].plan_after, before))
        for sentence, response in false_saved_sentences(turn):
            judgement.false_saved.append(FalseSaved(name, index + 1, turn.say, sentence, response))
        if not changed and turn.answers_after != turn.answers_before:
            new_rows = turn.answers_after[len(turn.answers_before):]
            judgement.hidden_writes.append(
                f"{name} turn {index + 1} {turn.say!r}: answers table only: "
                + ", ".join(f"{topic}={text!r}" for topic, text in new_rows))
        if expectation is None or expectation.kind == "none":
            continue
        kind = expectation.kind
        if kind == "no_save":
            result(index, expectation, not changed, _what_changed(before, after) + " — " + _reply(turn))
        elif kind == "save":
            last_save_turn = index
            confirmed_next = (index + 1 < len(turns) and turns[index + 1].expectation is not None
                              and turns[index + 1].expectation.kind == "confirm")
            found = matching(after, expectation.item_kind, expectation.contains)
            when = "this turn"
            if not found and confirmed_next:
                found = matching(turns[index + 1].plan_after, expectation.item_kind, expectation.contains)
                when = "after the confirm"
            if found:
                already = matching(before, expectation.item_kind, expectation.contains)
                when += "; already in the plan before this turn" if already else ""
                result(index, expectation, True, f"saved {_shown(found)} ({when})")
            else:
                outcome = _what_changed(before, after)
                if confirmed_next:
                    outcome += "; then on the confirm: " + _what_changed(turns[index + 1].plan_before,
                                                                          turns[index + 1].plan_after)
                result(index, expectation, False, outcome + " — " + _reply(turn))
        elif kind == "confirm":
            proposal = turns[index - 1]
            wanted = proposal.expectation
            found = matching(after, wanted.item_kind, wanted.contains)
            result(index, expectation, bool(found),
                   (f"{_shown(found)} in the plan" if found
                    else f"no {wanted.item_kind} ~ {wanted.contains!r} after the confirm; this turn "
                         + _what_changed(before, after)) + " — " + _reply(turn))
        elif kind == "undo":
            start = last_save_turn if last_save_turn is not None else 0
            target: list[Item] = []
            target_turn = None
            for earlier in range(index - 1, start - 1, -1):
                target = added_items(turns[earlier].plan_before, turns[earlier].plan_after)
                if target:
                    target_turn = earlier
                    break
            if not target:
                result(index, expectation, not changed,
                       f"{NOTHING_TO_TAKE_BACK}; this turn " + _what_changed(before, after)
                       + " — " + _reply(turn))
                continue
            known = {(item.kind, item.text.lower()) for item in plan_items(turns[target_turn].plan_before)
                     if item.active}
            still = [item for item in target if item.key in active_keys(after)]
            new = [item for item in added_items(before, after) if (item.kind, item.text.lower()) not in known]
            passed = not still and not new
            if passed:
                what = f"took back {_shown(target)} (saved on turn {target_turn + 1})"
            else:
                what = (f"still in the plan: {_shown(still)}" if still else f"took back {_shown(target)}")
                what += f"; but added {_shown(new)}" if new else ""
                what += f" (saved on turn {target_turn + 1}) — " + _reply(turn)
            result(index, expectation, passed, what)
        elif kind == "answer":
            dead = dead_ends_in(turn, texts)
            pattern = TOPIC_TERMS[expectation.topic]
            on_topic = any(pattern.search(m.get("text") or "") for m in turn.messages)
            passed = not dead and on_topic
            if passed:
                what = "answered"
            elif dead:
                what = "dead end " + ", ".join(dead)
            else:
                what = "no key term of the topic"
            result(index, expectation, passed, what + " — " + _reply(turn))
            if changed:
                judgement.writes_on_questions.append(
                    f"{name} turn {index + 1} {turn.say!r}: {_what_changed(before, after)}")
    final = turns[-1].plan_after if turns else {}
    for expectation in conversation.must_have:
        found = matching(final, expectation.item_kind, expectation.contains)
        kinds = [item for item in plan_items(final) if item.active and item.kind == expectation.item_kind]
        result(None, expectation, bool(found),
               f"found {_shown(found)}" if found else f"the plan's {expectation.item_kind}: {_shown(kinds) or 'none'}")
    for expectation in conversation.must_not_have:
        found = matching(final, expectation.item_kind, expectation.contains)
        result(None, expectation, not found, f"found {_shown(found)}" if found else "absent")
    return judgement


def judge(played: list[Played]) -> Judgement:
    texts = dead_end_texts()
    total = Judgement()
    for conversation in played:
        total.extend(judge_conversation(conversation, texts))
    return total


# --- playing the conversations through the real stack --------------------------------------------

COUNSELOR = "whole.conversations@school.example"
SCHOOL = "Whole Conversations Test School"
CODE = "WHOLE-2026"


# Conversations played at once: each is its own student, so they do not meet. Rasa, the action server and the web
# app each work on one message while the others work on another (issue 17: the sets were the long pole of make test).
PLAYERS = 3


def student_id_for(index: int, prefix: str = "") -> str:
    return f"WC{prefix}-{index + 1:03d}"


def enrol_students(plan_url: str, conversations: list[Conversation], prefix: str = "") -> list[str]:
    """One synthetic student per conversation, of its grade, each with the same sign-in code; `prefix` keeps the
    students of several sets played on one stack apart."""
    from sqlalchemy import select

    from bot.db import engine as db_engine
    from bot.db.tables import Student
    from bot.db.unit_of_work import UnitOfWork
    from bot.roster.services import import_roster
    from bot.security import hash_secret, normalize_sign_in_code
    from bot.staff import add_user

    factory = db_engine.get_session_factory(plan_url)
    add_user(UnitOfWork(factory), email=COUNSELOR, role="counselor", password="whole-conversations-2026")
    ids = [student_id_for(i, prefix) for i in range(len(conversations))]
    csv = "student_id,first_name,last_name,grade,school,counselor_email\n" + "".join(
        f"{sid},Student,{i + 1},{c.grade},{SCHOOL},{COUNSELOR}\n" for i, (sid, c) in enumerate(zip(ids, conversations)))
    report = import_roster(UnitOfWork(factory), csv.encode())
    assert not report.errors, report.errors
    code_hash = hash_secret(normalize_sign_in_code(CODE))
    with UnitOfWork(factory) as uow:
        for student in uow.session.scalars(select(Student).where(Student.external_id.in_(ids))):
            student.sign_in_code_hash = code_hash
        uow.commit()
    return ids


class PlanReader:
    """Reads a student's plan through the service behind My plan, and their rows in the answers table."""

    def __init__(self, plan_url: str) -> None:
        from bot.db import engine as db_engine
        self._factory = db_engine.get_session_factory(plan_url)

    def plan(self, student_id: str) -> dict:
        from bot.db.unit_of_work import UnitOfWork
        from bot.plans.services import student_plan
        return student_plan(UnitOfWork(self._factory), student_id)

    def answers(self, student_id: str) -> list[list[str]]:
        from sqlalchemy import select

        from bot.db.tables import Answer, Plan, Student
        with self._factory() as session:
            query = (select(Answer.topic, Answer.text).join(Plan, Answer.plan_id == Plan.id)
                     .join(Student, Plan.student_id == Student.id)
                     .where(Student.external_id == student_id).order_by(Answer.id))
            return [[topic, text] for topic, text in session.execute(query)]


def bot_response_names(stack: dict, student_id: str) -> list[str | None]:
    """The response name (`utter_action`) of each bot event after the student's latest message."""
    response = httpx.get(f"{stack['rasa']}/conversations/{student_id}/tracker",
                         params={"token": stack["env"]["ILP_RASA_TOKEN"], "include_events": "ALL"}, timeout=30)
    response.raise_for_status()
    events = response.json().get("events", [])
    last_user = max((i for i, event in enumerate(events) if event.get("event") == "user"), default=-1)
    return [(event.get("metadata") or {}).get("utter_action") for event in events[last_user + 1:]
            if event.get("event") == "bot"]


def play(stack: dict, conversation: Conversation, student_id: str, reader: PlanReader) -> Played:
    from tests.web_clients import sign_in_student

    turns = []
    with httpx.Client(base_url=stack["web"], timeout=90) as web:
        signed_in = sign_in_student(web, student_id, CODE)
        assert signed_in.status_code == 303, f"{student_id} could not sign in: HTTP {signed_in.status_code}"
        for say, expectation in conversation.turns:
            plan_before, answers_before = reader.plan(student_id), reader.answers(student_id)
            reply = web.post("/api/messages", json={"text": say})
            body = reply.json() if reply.headers.get("content-type", "").startswith("application/json") else {}
            messages = body.get("messages") or ([{"text": body.get("error", ""), "buttons": []}] if body else [])
            turns.append(Turn(say, expectation, [{"text": m.get("text") or "", "buttons": m.get("buttons") or []}
                                                 for m in messages],
                              bot_response_names(stack, student_id), plan_before, reader.plan(student_id),
                              answers_before, reader.answers(student_id), reply.status_code))
    return Played(conversation, student_id, turns)


@contextmanager
def stack_for(model: Path | None = None) -> Iterator[dict]:
    """The real stack (tests.stack.running_stack) in a throwaway var directory, on `model` when given."""
    from tests import stack as stack_module

    with tempfile.TemporaryDirectory(prefix="whole-conversations-") as scratch:
        extra = {}
        default_model = stack_module.MODEL
        if model is not None:
            models_dir = Path(scratch) / "models"
            models_dir.mkdir()
            (models_dir / "ilp-advisor.tar.gz").symlink_to(Path(model).resolve())
            extra["ILP_MODELS_DIR"] = str(models_dir)
            # running_stack refuses to start without a model where it looks for one: look at this one.
            stack_module.MODEL = models_dir / "ilp-advisor.tar.gz"
        var_dir = Path(scratch) / "var"
        var_dir.mkdir()
        try:
            with stack_module.running_stack(var_dir, **extra) as stack:
                yield stack
        finally:
            stack_module.MODEL = default_model


def play_all(stack: dict, conversations: list[Conversation], progress=None, *, prefix: str = "",
             players: int = PLAYERS) -> list[Played]:
    """Enrols one student per conversation and plays them, `players` at a time, in the order given; the runner's own
    database engine is closed after."""
    from bot.db import engine as db_engine

    try:
        ids = enrol_students(stack["plan_url"], conversations, prefix)
        reader = PlanReader(stack["plan_url"])

        def play_one(conversation: Conversation, student_id: str) -> Played:
            started = time.monotonic()
            played = play(stack, conversation, student_id, reader)
            if progress:
                progress(f"{conversation.name}: {len(conversation.turns)} turns in {time.monotonic() - started:.1f} s")
            return played

        with ThreadPoolExecutor(max_workers=players) as pool:
            return list(pool.map(play_one, conversations, ids))
    finally:
        db_engine.get_engine(stack["plan_url"]).dispose()


def run(path: Path = DEFAULT_SET, model: Path | None = None, progress=None) -> tuple[list[Played], Judgement]:
    conversations = load_conversations(path)
    with stack_for(model) as stack:
        played = play_all(stack, conversations, progress)
    return played, judge(played)


# --- a run kept as JSON, to judge again without the stack ----------------------------------------

def played_to_json(played: list[Played]) -> list[dict]:
    return [{"conversation": p.conversation.name, "student_id": p.student_id,
             "turns": [{"say": t.say, "messages": t.messages, "responses": t.responses, "status": t.status,
                        "plan_before": t.plan_before, "plan_after": t.plan_after,
                        "answers_before": t.answers_before, "answers_after": t.answers_after} for t in p.turns]}
            for p in played]


def played_from_json(data: list[dict], path: Path = DEFAULT_SET) -> list[Played]:
    by_name = {c.name: c for c in load_conversations(path)}
    played = []
    for entry in data:
        conversation = by_name[entry["conversation"]]
        turns = [Turn(t["say"], expectation, t["messages"], t["responses"], t["plan_before"], t["plan_after"],
                      t["answers_before"], t["answers_after"], t["status"])
                 for t, (_, expectation) in zip(entry["turns"], conversation.turns)]
        played.append(Played(conversation, entry["student_id"], turns))
    return played
