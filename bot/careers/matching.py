"""Careers that fit a student's interests, work values and postsecondary plan, each with its reasons."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from bot.careers.catalog import Occupation
from bot.careers.education import Reach, plan_reach, typical_education
from bot.interests.catalog import RIASEC_SHORT
from bot.plans.content import PostsecondaryOption, WorkValueInfo

POSITION_WEIGHTS = (3, 2, 1)  # the first letter of an occupation's code says the most about it
VALUE_BONUS = 0.5
EDUCATION_BONUS = 0.5
EDUCATION_PENALTY = 3.0
PER_CLUSTER = 2


@dataclass(frozen=True)
class CareerMatch:
    occupation: Occupation
    score: float
    reasons: tuple[str, ...]


def match_careers(riasec: dict[str, float], code: str, values: list[WorkValueInfo],
                  postsecondary: PostsecondaryOption | None, catalog: Iterable[Occupation],
                  exclude: set[str] = frozenset(), limit: int = 5) -> list[CareerMatch]:
    """Ranks the catalog against the student's type scores; empty if the student has no interest scores yet."""
    top = max(riasec.values(), default=0)
    if top <= 0:
        return []
    top_values = values[:2]
    matches = []
    for occupation in catalog:
        if occupation.onet_soc in exclude or not occupation.riasec:
            continue
        score = sum(weight * riasec.get(letter, 0) / top
                    for weight, letter in zip(POSITION_WEIGHTS, occupation.riasec))
        shared = [letter for letter in code if letter in occupation.riasec[:3]]
        if not shared:
            continue
        reasons = ["it fits your " + " and ".join(RIASEC_SHORT[letter] for letter in shared) + " side"]
        fitting_values = [value.name for value in top_values if occupation.riasec[0] in value.riasec]
        if fitting_values:
            score += VALUE_BONUS
            reasons.append("it suits what matters to you (" + " and ".join(fitting_values) + ")")
        if postsecondary is not None:
            reason, change = plan_reach_reason(occupation, postsecondary)
            if reason:
                score += change
                reasons.append(reason)
        matches.append(CareerMatch(occupation, round(score, 3), tuple(reasons)))
    matches.sort(key=lambda match: (-match.score, match.occupation.title))
    chosen: list[CareerMatch] = []
    per_cluster: dict[str | None, int] = {}
    for match in matches:
        cluster = match.occupation.cluster
        if per_cluster.get(cluster, 0) >= PER_CLUSTER:
            continue
        per_cluster[cluster] = per_cluster.get(cluster, 0) + 1
        chosen.append(match)
        if len(chosen) == limit:
            break
    return chosen


def plan_reach_reason(occupation: Occupation, postsecondary: PostsecondaryOption) -> tuple[str | None, float]:
    """The reason a plan for after high school adds to a match, and what it does to the score; the
    education named is the one the career's profile states (bot.careers.education)."""
    reach = plan_reach(occupation, postsecondary.gives, postsecondary.leads_to)
    level = typical_education(occupation)
    if reach is None or level is None:
        return None, 0.0
    if reach is Reach.REACHES:
        return f"your plan ({postsecondary.button}) can get you there", EDUCATION_BONUS
    if reach is Reach.FIRST_STEP:
        return (f"your plan ({postsecondary.button}) is the first step; it usually takes {level.staff} "
                "in the end"), EDUCATION_BONUS
    return f"it usually takes {level.staff}, more school than your plan ({postsecondary.button})", -EDUCATION_PENALTY
