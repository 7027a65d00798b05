"""Per-grade ILP benchmarks (data/plan/benchmarks.yml): which are done, and which comes next.

A benchmark is done when the plan shows it (its `done_when` condition, read from the plan's facts) or, for
`manual` ones and for anything the student reports, when a completion was recorded.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from bot.plans.content import Benchmark, benchmarks

VALUES_COUNT = 6


@dataclass(frozen=True)
class PlanFacts:
    """What benchmarks are judged by: `bot.plans.view` reads them from a plan, or from the database alone."""

    quiz_complete: bool = False
    values: int = 0  # work values ranked
    careers: int = 0  # careers saved
    postsecondary_chosen: bool = False
    active_goal_with_step: bool = False
    courses: int = 0  # courses in the course plan
    activity_kinds: frozenset[str] = frozenset()
    completed: frozenset[str] = frozenset()  # benchmark ids recorded as done


CONDITIONS: dict[str, Callable[[PlanFacts], bool]] = {
    "inventory_complete": lambda plan: plan.quiz_complete,
    "values_ranked": lambda plan: plan.values >= VALUES_COUNT,
    "career_saved": lambda plan: plan.careers >= 1,
    "three_careers_saved": lambda plan: plan.careers >= 3,
    "postsecondary_chosen": lambda plan: plan.postsecondary_chosen,
    "goal_with_step": lambda plan: plan.active_goal_with_step,
    "course_plan": lambda plan: plan.courses > 0,
}


def is_done(benchmark: Benchmark, plan: PlanFacts) -> bool:
    if benchmark.id in plan.completed:
        return True
    if benchmark.done_when.startswith("activity:"):
        return benchmark.done_when.split(":", 1)[1] in plan.activity_kinds
    condition = CONDITIONS.get(benchmark.done_when)
    return condition(plan) if condition else False


def benchmark_status(plan: PlanFacts, grade: int) -> tuple[list[Benchmark], list[Benchmark]]:
    """This grade's benchmarks split into (done, pending), each in file order."""
    done: list[Benchmark] = []
    pending: list[Benchmark] = []
    for benchmark in benchmarks():
        if benchmark.grade == grade:
            (done if is_done(benchmark, plan) else pending).append(benchmark)
    return done, pending


def get_benchmark(benchmark_id: str) -> Benchmark | None:
    return next((benchmark for benchmark in benchmarks() if benchmark.id == benchmark_id), None)
