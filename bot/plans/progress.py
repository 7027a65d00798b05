"""Where a student is in their plan: the welcome back, what to do next, and reporting things done."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db.tables import Answer, BenchmarkCompletion, Plan
from bot.db.unit_of_work import UnitOfWork
from bot.errors import InvalidAnswer
from bot.plans.benchmarks import get_benchmark
from bot.plans.content import Benchmark, postsecondary_options
from bot.plans.goals import OpenStep, open_steps_of_plan
from bot.plans.services import ALREADY_SAVED, STUDENT, Author, authored, revive, save_once
from bot.plans.view import plan_view
from bot.roster.services import get_student


@dataclass(frozen=True)
class Welcome:
    first_visit: bool
    first_name: str
    grade: int
    code: str
    careers: list[str]
    postsecondary: str | None
    next_benchmark: Benchmark | None
    benchmarks_done: int
    benchmarks_total: int


def welcome(uow: UnitOfWork, external_id: str) -> Welcome:
    with uow:
        student = get_student(uow.session, external_id)
        answers = 0 if student.plan is None else uow.session.scalar(
            select(func.count(Answer.id)).where(Answer.plan_id == student.plan.id))
        plan = plan_view(uow.session, student)
    benchmarks = plan.benchmarks
    option = postsecondary_options().get(plan.postsecondary or "")
    return Welcome(
        first_visit=answers == 0, first_name=plan.student.first_name, grade=plan.student.grade,
        code=plan.interests.code, careers=[career.title for career in plan.careers],
        postsecondary=option.name if option else None,
        next_benchmark=benchmarks.pending[0] if benchmarks.pending else None,
        benchmarks_done=len(benchmarks.done),
        benchmarks_total=len(benchmarks.done) + len(benchmarks.pending),
    )


@dataclass(frozen=True)
class NextStep:
    item: OpenStep | Benchmark | None  # None: nothing left for this grade


def next_step(uow: UnitOfWork, external_id: str) -> NextStep:
    """What to do next: a goal step with a due date, else this grade's next benchmark, else any open step."""
    steps, pending = _open_items(uow, external_id)
    if steps and (steps[0].due_date is not None or not pending):
        return NextStep(steps[0])
    return NextStep(pending[0] if pending else None)


def open_items(uow: UnitOfWork, external_id: str) -> tuple[list[OpenStep], list[Benchmark]]:
    """What the student could report done: open goal steps, and this grade's benchmarks only they can confirm."""
    steps, pending = _open_items(uow, external_id)
    return steps, [benchmark for benchmark in pending if benchmark.done_when == "manual"]


def _open_items(uow: UnitOfWork, external_id: str) -> tuple[list[OpenStep], list[Benchmark]]:
    with uow:
        student = get_student(uow.session, external_id)
        steps = open_steps_of_plan(uow.session, student.plan)
        pending = plan_view(uow.session, student).benchmarks.pending
    return steps, list(pending)


def complete_benchmark(uow: UnitOfWork, external_id: str, benchmark_id: str, source_event: str,
                       author: Author = STUDENT) -> tuple[Benchmark, bool]:
    """Records a benchmark as done (kept with who and when); returns it and whether this was a retry."""
    benchmark = get_benchmark(benchmark_id)
    if benchmark is None:
        raise InvalidAnswer("unknown_benchmark", f"there is no benchmark {benchmark_id!r}")

    def write(session: Session, plan: Plan) -> None:
        done = session.scalar(select(BenchmarkCompletion).where(
            BenchmarkCompletion.plan_id == plan.id, BenchmarkCompletion.benchmark_id == benchmark.id))
        if done is not None:
            revive(done, author, source_event)
        else:
            session.add(BenchmarkCompletion(plan_id=plan.id, benchmark_id=benchmark.id,
                                            **authored(author, source_event)))

    result = save_once(uow, external_id, "benchmark_done", benchmark.id, source_event, author, write)
    return benchmark, result is ALREADY_SAVED


def open_item_text(uow: UnitOfWork, external_id: str, item: str) -> str | None:
    """The words of a step ("step:12") or benchmark ("benchmark:g9_job_shadow") the student could report done;
    None when it is not theirs, not open, or not known."""
    kind, _, item_id = item.partition(":")
    if kind == "benchmark":
        benchmark = get_benchmark(item_id)
        return benchmark.text if benchmark else None
    if kind != "step" or not item_id.isdigit():
        return None
    steps, _ = _open_items(uow, external_id)
    return next((step.text for step in steps if step.id == int(item_id)), None)
