"""Per-grade ILP benchmarks (data/plan/benchmarks.yml): which are done, and which comes next.

A benchmark is done when the plan shows it (its `done_when` condition) or, for `manual` ones and
for anything the student reports, when a completion was recorded.
"""
from __future__ import annotations

from typing import Callable

from bot.plans.content import Benchmark, benchmarks

VALUES_COUNT = 6


def _has_activity(kind: str) -> Callable[[dict], bool]:
    return lambda plan: any(activity["kind"] == kind for activity in plan["activities"])


CONDITIONS: dict[str, Callable[[dict], bool]] = {
    "inventory_complete": lambda plan: plan["interests"]["inventory"]["complete"],
    "values_ranked": lambda plan: len(plan["values"]) >= VALUES_COUNT,
    "career_saved": lambda plan: len(plan["careers"]) >= 1,
    "three_careers_saved": lambda plan: len(plan["careers"]) >= 3,
    "postsecondary_chosen": lambda plan: plan["postsecondary"] is not None,
    "goal_with_step": lambda plan: any(goal["steps"] for goal in plan["goals"] if goal["status"] == "active"),
    "course_plan": lambda plan: len(plan["courses"]) > 0,
}


def is_done(benchmark: Benchmark, plan: dict, completed: set[str]) -> bool:
    if benchmark.id in completed:
        return True
    if benchmark.done_when.startswith("activity:"):
        return _has_activity(benchmark.done_when.split(":", 1)[1])(plan)
    condition = CONDITIONS.get(benchmark.done_when)
    return condition(plan) if condition else False


def benchmark_status(plan: dict, completed: set[str], grade: int) -> tuple[list[Benchmark], list[Benchmark]]:
    """This grade's benchmarks split into (done, pending), each in file order."""
    done: list[Benchmark] = []
    pending: list[Benchmark] = []
    for benchmark in benchmarks():
        if benchmark.grade == grade:
            (done if is_done(benchmark, plan, completed) else pending).append(benchmark)
    return done, pending


def get_benchmark(benchmark_id: str) -> Benchmark | None:
    return next((benchmark for benchmark in benchmarks() if benchmark.id == benchmark_id), None)
