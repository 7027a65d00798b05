"""Careers that fit a student's interests, work values and postsecondary plan, each with its reasons."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from bot.careers.catalog import Occupation
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
        if postsecondary is not None and occupation.job_zone is not None:
            if occupation.job_zone <= postsecondary.max_job_zone:
                score += EDUCATION_BONUS
                reasons.append(f"your plan ({postsecondary.button}) can get you there")
            else:
                score -= EDUCATION_PENALTY
                reasons.append(f"it usually takes more school than your plan ({postsecondary.button})")
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
