"""Activities: clubs, sports, jobs, job shadowing, internships, dual credit, volunteering."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.db.tables import Activity, ActivityKind, ActivityStatus, Plan
from bot.db.unit_of_work import UnitOfWork
from bot.nlp.mentions import find_mentions
from bot.plans.answers import clean_statement
from bot.plans.services import ALREADY_SAVED, STUDENT, Author, authored, save_once

# Checked in order: "job shadow" is shadowing, not a job; "dual credit class" is dual credit, not a club.
KINDS: tuple[tuple[ActivityKind, str], ...] = (
    ("job_shadowing", r"shadow"),
    ("internship", r"intern"),
    ("dual_credit", r"dual credit|dual enrollment|college class|college course|ap class"),
    ("volunteering", r"volunteer|community service"),
    ("job", r"\bjob\b|work at|working at|hired|part[- ]time|babysit|paycheck|\bshifts?\b"),
    ("sport", r"team|varsity|\bjv\b|league|soccer|basketball|football|baseball|softball|volleyball|track|"
              r"cross country|wrestling|swim|tennis|golf|lacrosse|hockey|cheer|dance"),
    ("club", r"club|band|choir|orchestra|council|robotics|theater|theatre|drama|scouts|4-?h|ffa|debate|yearbook|newspaper"),
)
PLANNED = re.compile(r"\b(want to|wanna|going to|gonna|will|plan to|planning|hope to|next (week|month|year|summer|semester)|"
                     r"sign(ing|ed)? up|registered|apply|applying|applied|this summer)\b")
DONE = re.compile(r"\b(finished|completed|did|last (year|summer|semester)|used to|quit)\b")


@dataclass(frozen=True)
class SavedActivity:
    kind: ActivityKind
    name: str
    status: ActivityStatus
    already_saved: bool = False


@dataclass(frozen=True)
class ActivityReading:
    kind: ActivityKind
    name: str
    status: ActivityStatus
    named: bool  # the words name a kind of activity or a known one; if not, the bot asks before saving


def describe_activity(text: str) -> ActivityReading:
    """The kind, name and status read from the student's words."""
    words = text.lower()
    kind: ActivityKind = next((kind for kind, pattern in KINDS if re.search(pattern, words)), "other")
    activity = next((m for m in find_mentions(text) if m.kind == "activity" and not m.disliked), None)
    name = activity.label if activity else text[:200]
    status: ActivityStatus = "done" if DONE.search(words) else "planned" if PLANNED.search(words) else "doing"
    return ActivityReading(kind, name, status, named=kind != "other" or activity is not None)


def record_activity(uow: UnitOfWork, external_id: str, text: str | None, source_event: str, grade: int | None = None,
                    author: Author = STUDENT) -> SavedActivity:
    text = clean_statement(text)
    reading = describe_activity(text)
    kind, name, status = reading.kind, reading.name, reading.status

    def write(session: Session, plan: Plan) -> None:
        session.add(Activity(plan_id=plan.id, kind=kind, name=name, status=status,
                             grade=grade if grade is not None else plan.student.grade, **authored(author, source_event)))

    result = save_once(uow, external_id, "activity", text, source_event, author, write)
    return SavedActivity(kind, name, status, already_saved=result is ALREADY_SAVED)
