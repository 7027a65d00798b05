"""The plan as the code reads it: frozen dataclasses, built by one query function for one student or many.

`plan_views` reads every kind of plan item with one query per kind, whatever the number of students, and
`plan_view` is the same for one. What reads a plan (benchmarks, the PDF, reports, pages) reads these types;
`plan_json` makes the plan's JSON (README, `ilp plan show --json`) from a view, at the edges only.
`plan_facts` is the lean read for counting: the few facts benchmarks are judged by, without the plan.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session, selectinload

from bot.db import tables
from bot.db.tables import (
    RIASEC_TYPES,
    ActivityKind,
    ActivityStatus,
    AuthorRole,
    GoalKind,
    GoalStatus,
    MentionKind,
    PostsecondaryPath,
    School,
    StrengthKind,
)
from bot.earned_credits.services import earned_courses
from bot.interests.inventory import inventory_items, type_scores
from bot.plans.benchmarks import PlanFacts, benchmark_status
from bot.plans.content import Benchmark, graduation_requirements
from bot.plans.credit_count import CreditCount, PlannedCourse, count_credits

# InterestMention.kind of a statement the interest reader placed, in the student's words.
STATEMENT: MentionKind = "statement"


@dataclass(frozen=True)
class StudentInfo:
    external_id: str
    first_name: str
    last_name: str
    grade: int
    school: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class QuizProgress:
    answered: int
    total: int

    @property
    def complete(self) -> bool:
        return self.answered == self.total


@dataclass(frozen=True)
class LikedMention:
    kind: str  # activity | school_subject | career
    label: str
    riasec: str


@dataclass(frozen=True)
class InterestStatement:
    text: str  # in the student's words
    riasec: tuple[str, ...]  # the types read from it, in RIASEC order; none: not placed yet


@dataclass(frozen=True)
class Interests:
    riasec: Mapping[str, float]  # every type, in RIASEC order: quiz points plus one per liked mention
    code: str  # the top three types with points
    inventory: QuizProgress
    mentions: tuple[LikedMention, ...]
    statements: tuple[InterestStatement, ...]


@dataclass(frozen=True)
class Strength:
    kind: StrengthKind
    text: str


@dataclass(frozen=True)
class Career:
    title: str
    onet_soc: str | None  # None: a career in the student's words that no occupation matches


@dataclass(frozen=True)
class PostsecondaryChoice:
    choice: PostsecondaryPath  # an id of data/plan/postsecondary.yml
    at: dt.datetime  # UTC


@dataclass(frozen=True)
class GoalStep:
    id: int
    text: str
    due_date: dt.date | None
    done: bool


@dataclass(frozen=True)
class Goal:
    id: int
    kind: GoalKind
    text: str
    status: GoalStatus
    steps: tuple[GoalStep, ...]


@dataclass(frozen=True)
class Activity:
    kind: ActivityKind
    name: str
    grade: int | None
    status: ActivityStatus


@dataclass(frozen=True)
class Note:
    text: str
    author_role: AuthorRole
    at: dt.datetime  # UTC


@dataclass(frozen=True)
class TakenBack:
    """An answer the student took back ("undo that"), in their words."""

    topic: str
    text: str
    at: dt.datetime  # UTC
    taken_back_at: dt.datetime


@dataclass(frozen=True)
class Benchmarks:
    done: tuple[Benchmark, ...]  # this grade's, in file order
    pending: tuple[Benchmark, ...]


@dataclass(frozen=True)
class PlanView:
    student: StudentInfo
    interests: Interests
    values: tuple[str, ...]  # work value ids, most important first
    strengths: tuple[Strength, ...]
    careers: tuple[Career, ...]
    postsecondary_history: tuple[PostsecondaryChoice, ...]  # oldest first
    goals: tuple[Goal, ...]
    courses: tuple[PlannedCourse, ...]  # by grade
    credits: CreditCount
    activities: tuple[Activity, ...]
    notes: tuple[Note, ...] | None  # staff and advisor notes; None: hidden (the family's view)
    taken_back: tuple[TakenBack, ...]
    updated_at: dt.datetime | None  # None: no plan yet
    benchmarks: Benchmarks

    @property
    def postsecondary(self) -> str | None:
        """The plan after high school chosen last."""
        return self.postsecondary_history[-1].choice if self.postsecondary_history else None

    def for_family(self) -> PlanView:
        """The plan as the student and their family see it: without staff and advisor notes (a counselor
        decides what to share from those)."""
        return dataclasses.replace(self, notes=None)


# Answers the student took back: the plan lists them apart.
TAKEN_BACK = "taken_back"
# Every kind of plan item the plan shows, with its order within a plan (then by id).
PLAN_SECTIONS: dict[Any, tuple] = {
    tables.Answer: (), tables.InventoryResponse: (), tables.InterestMention: (),
    tables.WorkValue: (tables.WorkValue.rank,), tables.Strength: (), tables.CareerInterest: (),
    tables.PostsecondaryChoice: (), tables.Goal: (), tables.CoursePlanEntry: (tables.CoursePlanEntry.grade,),
    tables.Activity: (), tables.BenchmarkCompletion: (), tables.PlanNote: (),
}


def plan_view(session: Session, student: tables.Student) -> PlanView:
    return plan_views(session, [student])[student.id]


def plan_views(session: Session, students: list[tables.Student]) -> dict[int, PlanView]:
    """Several students' plans (by student row id) with one query per kind of item, whatever their number."""
    student_ids = [student.id for student in students]
    # Their schools in one query: each student's `school` is then found in the session, not queried again.
    list(session.scalars(select(School).where(School.id.in_({student.school_id for student in students}))))
    plans = {plan.student_id: plan for plan in session.scalars(
        select(tables.Plan).where(tables.Plan.student_id.in_(student_ids)))}
    items: dict[int, dict[Any, list]] = defaultdict(lambda: defaultdict(list))
    plan_ids = [plan.id for plan in plans.values()]
    for table, order in PLAN_SECTIONS.items():
        query = select(table).where(table.plan_id.in_(plan_ids)).order_by(*order, table.id)
        if table is tables.Goal:
            query = query.options(selectinload(tables.Goal.steps))
        for item in session.scalars(query):
            # Items taken back stay in the database as history; the plan shows the answers among them.
            if item.retracted_at is None:
                items[item.plan_id][table].append(item)
            elif table is tables.Answer:
                items[item.plan_id][TAKEN_BACK].append(item)
    earned = earned_courses(session, student_ids)
    views = {}
    for student in students:
        plan = plans.get(student.id)
        views[student.id] = _view(student, plan, items[plan.id] if plan else defaultdict(list), earned[student.id])
    return views


def _view(student: tables.Student, plan: tables.Plan | None, items: dict[Any, list], earned: list) -> PlanView:
    mentions = items[tables.InterestMention]
    courses = tuple(PlannedCourse(c.grade, c.course, c.subject_area) for c in items[tables.CoursePlanEntry])
    view = PlanView(
        student=StudentInfo(student.external_id, student.first_name, student.last_name, student.grade,
                            student.school.name),
        interests=interests_of(quiz_answers_by_item(items[tables.InventoryResponse]), mentions,
                               items[tables.Answer]),
        values=tuple(value.value for value in items[tables.WorkValue]),
        strengths=tuple(Strength(s.kind, s.text) for s in items[tables.Strength]),
        careers=tuple(Career(c.title, c.onet_soc) for c in items[tables.CareerInterest]),
        postsecondary_history=tuple(PostsecondaryChoice(p.choice, p.created_at)
                                    for p in items[tables.PostsecondaryChoice]),
        goals=tuple(Goal(goal.id, goal.kind, goal.text, goal.status,
                         tuple(GoalStep(step.id, step.text, step.due_date, step.done_at is not None)
                               for step in goal.steps if step.retracted_at is None))
                    for goal in items[tables.Goal]),
        courses=courses,
        credits=count_credits(graduation_requirements(student.school.name), student.grade, earned, list(courses)),
        activities=tuple(Activity(a.kind, a.name, a.grade, a.status) for a in items[tables.Activity]),
        notes=tuple(Note(n.text, n.author_role, n.created_at) for n in items[tables.PlanNote]),
        taken_back=tuple(TakenBack(a.topic, a.text, a.created_at, a.retracted_at) for a in items[TAKEN_BACK]),
        updated_at=plan.updated_at if plan else None,
        benchmarks=Benchmarks((), ()),
    )
    completed = frozenset(b.benchmark_id for b in items[tables.BenchmarkCompletion])
    done, pending = benchmark_status(facts_of(view, completed), student.grade)
    return dataclasses.replace(view, benchmarks=Benchmarks(tuple(done), tuple(pending)))


def facts_of(view: PlanView, completed: frozenset[str]) -> PlanFacts:
    """What benchmarks are judged by, as the plan shows it (`plan_facts` reads the same from the database)."""
    return PlanFacts(
        quiz_complete=view.interests.inventory.complete, values=len(view.values), careers=len(view.careers),
        postsecondary_chosen=view.postsecondary is not None,
        active_goal_with_step=any(goal.steps for goal in view.goals if goal.status == "active"),
        courses=len(view.courses), activity_kinds=frozenset(activity.kind for activity in view.activities),
        completed=completed)


def plan_facts(session: Session, student_ids: list[int]) -> dict[int, PlanFacts]:
    """Each student's benchmark facts (by student row id) from a few grouped queries, without reading plans."""
    plan_of = dict(session.execute(select(tables.Plan.id, tables.Plan.student_id)
                                   .where(tables.Plan.student_id.in_(student_ids))).all())

    def by_plan(query) -> dict[int, Any]:
        return dict(session.execute(query.where(query.selected_columns[0].in_(list(plan_of)))).all())

    def counts(table, counted=None) -> dict[int, int]:
        return by_plan(select(table.plan_id, func.count(counted if counted is not None else table.id))
                       .where(table.retracted_at.is_(None)).group_by(table.plan_id))

    quiz_ids = [item.id for item in inventory_items()]
    quiz = by_plan(select(tables.InventoryResponse.plan_id, func.count(distinct(tables.InventoryResponse.item_id)))
                   .where(tables.InventoryResponse.retracted_at.is_(None),
                          tables.InventoryResponse.item_id.in_(quiz_ids))
                   .group_by(tables.InventoryResponse.plan_id))
    values, careers, courses = counts(tables.WorkValue), counts(tables.CareerInterest), counts(tables.CoursePlanEntry)
    postsecondary = counts(tables.PostsecondaryChoice)
    goals_with_steps = by_plan(
        select(tables.Goal.plan_id, func.count(tables.GoalStep.id))
        .join(tables.GoalStep, tables.GoalStep.goal_id == tables.Goal.id)
        .where(tables.Goal.retracted_at.is_(None), tables.Goal.status == "active",
               tables.GoalStep.retracted_at.is_(None))
        .group_by(tables.Goal.plan_id))
    kinds: dict[int, set[str]] = defaultdict(set)
    for plan_id, kind in session.execute(select(tables.Activity.plan_id, tables.Activity.kind).distinct().where(
            tables.Activity.plan_id.in_(list(plan_of)), tables.Activity.retracted_at.is_(None))):
        kinds[plan_id].add(kind)
    completed: dict[int, set[str]] = defaultdict(set)
    done = tables.BenchmarkCompletion
    for plan_id, benchmark_id in session.execute(select(done.plan_id, done.benchmark_id).where(
            done.plan_id.in_(list(plan_of)), done.retracted_at.is_(None))):
        completed[plan_id].add(benchmark_id)
    facts = {student_id: PlanFacts() for student_id in student_ids}
    for plan_id, student_id in plan_of.items():
        facts[student_id] = PlanFacts(
            quiz_complete=quiz.get(plan_id, 0) == len(quiz_ids), values=values.get(plan_id, 0),
            careers=careers.get(plan_id, 0), postsecondary_chosen=plan_id in postsecondary,
            active_goal_with_step=plan_id in goals_with_steps, courses=courses.get(plan_id, 0),
            activity_kinds=frozenset(kinds[plan_id]), completed=frozenset(completed[plan_id]))
    return facts


def quiz_answers_by_item(responses: Iterable[tables.InventoryResponse]) -> dict[str, tuple[str, str]]:
    """Quiz answers: item id -> (RIASEC type, response), for items still in the quiz."""
    item_ids = {item.id for item in inventory_items()}
    return {r.item_id: (r.riasec, r.response) for r in responses if r.item_id in item_ids}


def riasec_profile(scores: dict[str, float], mentions: Iterable[str]) -> dict:
    """Inventory scores plus one point per liked mention; the code is the top three types with points."""
    counts = Counter(mentions)
    riasec = {letter: round(scores.get(letter, 0.0) + counts.get(letter, 0), 2) for letter in RIASEC_TYPES}
    ranked = sorted((letter for letter in RIASEC_TYPES if riasec[letter] > 0),
                    key=lambda letter: (-riasec[letter], RIASEC_TYPES.index(letter)))
    return {"riasec": riasec, "code": "".join(ranked[:3])}


def interests_of(answers: dict[str, tuple[str, str]], mentions: list[tables.InterestMention],
                 answered: Iterable[tables.Answer] = ()) -> Interests:
    """Type scores and code from the quiz answers and liked mentions, the quiz's progress, and each free-text
    interest among `answered` in the student's words with the types read from it."""
    profile = riasec_profile(type_scores(answers.values()), [m.riasec for m in mentions])
    types_by_event = defaultdict(set)
    for mention in mentions:
        types_by_event[mention.source_event].add(mention.riasec)
    return Interests(
        riasec=profile["riasec"], code=profile["code"],
        inventory=QuizProgress(len(answers), len(inventory_items())),
        mentions=tuple(LikedMention(m.kind, m.label, m.riasec) for m in mentions if m.kind != STATEMENT),
        statements=tuple(InterestStatement(answer.text, tuple(sorted(types_by_event[answer.source_event],
                                                                     key=RIASEC_TYPES.index)))
                         for answer in answered if answer.topic == "interest_statement"))


def plan_json(view: PlanView) -> dict:
    """The plan in the stable JSON shape documented in README (`ilp plan show --json`); without "notes" when
    the view hides them."""
    interests = view.interests
    result: dict[str, Any] = {
        "student_id": view.student.external_id, "grade": view.student.grade, "school": view.student.school,
        "interests": {
            "riasec": dict(interests.riasec), "code": interests.code,
            "inventory": {"answered": interests.inventory.answered, "total": interests.inventory.total,
                          "complete": interests.inventory.complete},
            "mentions": [{"kind": m.kind, "label": m.label, "riasec": m.riasec} for m in interests.mentions],
            "statements": [{"text": s.text, "riasec": list(s.riasec)} for s in interests.statements],
        },
        "values": list(view.values),
        "strengths": [{"kind": s.kind, "text": s.text} for s in view.strengths],
        "careers": [{"title": c.title, "onet_soc": c.onet_soc} for c in view.careers],
        "postsecondary": view.postsecondary,
        "postsecondary_history": [{"choice": p.choice, "at": _utc(p.at)} for p in view.postsecondary_history],
        "goals": [
            {"id": goal.id, "kind": goal.kind, "text": goal.text, "status": goal.status,
             "steps": [{"id": step.id, "text": step.text,
                        "due_date": step.due_date.isoformat() if step.due_date else None,
                        "done": step.done} for step in goal.steps]}
            for goal in view.goals
        ],
        "courses": [{"grade": c.grade, "course": c.course, "subject_area": c.subject_area} for c in view.courses],
        "credits": view.credits.as_dict(),
        "activities": [{"kind": a.kind, "name": a.name, "grade": a.grade, "status": a.status}
                       for a in view.activities],
    }
    if view.notes is not None:
        result["notes"] = [{"text": n.text, "author_role": n.author_role, "at": _utc(n.at)} for n in view.notes]
    result["taken_back"] = [{"topic": a.topic, "text": a.text, "at": _utc(a.at), "taken_back_at": _utc(a.taken_back_at)}
                            for a in view.taken_back]
    result["updated_at"] = _utc(view.updated_at) if view.updated_at else None
    result["benchmarks"] = {
        "done": [{"id": b.id, "text": b.text} for b in view.benchmarks.done],
        "pending": [{"id": b.id, "text": b.text} for b in view.benchmarks.pending],
    }
    return result


def _utc(moment: dt.datetime) -> str:
    return moment.isoformat() + "Z"
