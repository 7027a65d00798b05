"""Careers that fit a student, from everything their plan holds, each with reasons in the student's own terms."""
from __future__ import annotations

import zlib
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from typing import Iterable

from bot.careers.catalog import Occupation
from bot.careers.education import Reach, plan_reach, typical_education
from bot.interests.catalog import RIASEC_NAMES, RIASEC_SHORT
from bot.interests.inventory import InventoryItem
from bot.plans.content import PostsecondaryOption, WorkValueInfo

RIASEC = "RIASEC"
POSITION_WEIGHTS = (3, 2, 1)  # the first letter of an occupation's code says the most about it
# Points each piece of evidence gives the types it shows (StudentProfile says why).
QUIZ_POINTS = {"like": 1.0, "unsure": 0.5, "dislike": 0.0}
SAID_POINTS = 2.0
SAVED_POINTS = (2.0, 1.0, 0.5)  # a saved career's first, second and third type
# Bonuses on top of the type fit (0 to 6): evidence about this one career rather than a kind of work.
NAMED_BONUS = 3.0
RELATED_BONUS = 3.0  # at RELATED_FULL similarity and above; from 0 at RELATED_FROM
RELATED_FROM, RELATED_FULL = 0.2, 0.5
NEIGHBOUR_BONUS = 1.5
VALUE_BONUS = 0.5
EDUCATION_BONUS = 0.5
EDUCATION_PENALTY = 3.0
PER_CLUSTER = 2
REASONS_PER_MATCH = 3
QUOTE_CHARS = 70


@dataclass(frozen=True)
class Said:
    """Something the student told the bot they like, in their words; `riasec` the types read from it
    (its mentions' and the interest reader's), `careers` the O*NET-SOC codes of careers it names, `related`
    careers its words read close to."""

    text: str
    riasec: tuple[str, ...]
    careers: tuple[str, ...] = ()
    # careers whose description reads close to the words (O*NET-SOC code, similarity from RELATED_FROM up)
    related: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class StudentProfile:
    """Everything the plan says about what a student likes, for matching.

    How much each kind of evidence weighs, in points per RIASEC type:
    - a quiz item liked is 1 point (not sure 0.5): one reaction to a prompt the bot chose, and 7 items per
      type make a finished quiz the largest single source;
    - something the student said unprompted is 2 points for each type read from it: they chose to say it,
      so one statement weighs about two liked quiz items, and a few statements can steer a half-done quiz;
    - a saved career gives its own code 2, 1 and 0.5 points: the student picked a real job, and the
      job's code says what kind of work it is.
    Careers themselves weigh more than types: a career the student named, one whose description reads close
    to what they said (by the sentence encoder), or one close to a career they saved (same cluster, similar
    code) gets a bonus no kind of work alone gives. Work values and the plan after high school only nudge
    (values are a project heuristic, data/values/work_values.yml), and careers the student took back or said
    no to are never suggested.
    """

    quiz: tuple[tuple[InventoryItem, str], ...] = ()  # (item, like | unsure | dislike)
    quiz_total: int = 42
    said: tuple[Said, ...] = ()
    saved: tuple[Occupation, ...] = ()
    rejected: frozenset[str] = frozenset()
    values: tuple[WorkValueInfo, ...] = ()
    postsecondary: PostsecondaryOption | None = None

    @property
    def quiz_answered(self) -> int:
        return len(self.quiz)

    @property
    def has_evidence(self) -> bool:
        return any(self.type_points().values())

    @property
    def thin(self) -> bool:
        """Too little to go on: under half the quiz and fewer than three things said or saved."""
        return self.quiz_answered * 2 < self.quiz_total and len(self.said) + len(self.saved) < 3

    def quiz_points(self) -> dict[str, float]:
        points = dict.fromkeys(RIASEC, 0.0)
        for item, response in self.quiz:
            points[item.riasec] += QUIZ_POINTS[response]
        return points

    def type_points(self) -> dict[str, float]:
        points = self.quiz_points()
        for said in self.said:
            for letter in said.riasec:
                points[letter] += SAID_POINTS
        for occupation in self.saved:
            for letter, weight in zip(occupation.riasec or "", SAVED_POINTS, strict=False):
                points[letter] += weight
        return points

    def code(self) -> str:
        """The student's three strongest types on all the evidence (the plan's code counts quiz and mentions only)."""
        points = self.type_points()
        ranked = sorted((letter for letter in RIASEC if points[letter] > 0),
                        key=lambda letter: (-points[letter], RIASEC.index(letter)))
        return "".join(ranked[:3])


@dataclass(frozen=True)
class CareerMatch:
    occupation: Occupation
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class _Reason:
    text: str
    weight: float  # how much of the score this evidence gave


@dataclass
class _Candidate:
    occupation: Occupation
    score: float
    evidence: list[_Reason] = field(default_factory=list)
    caveat: str | None = None  # the plan-after-high-school reason, always shown


def match_careers(profile: StudentProfile, catalog: Iterable[Occupation], limit: int = 5) -> list[CareerMatch]:
    """The careers that fit the profile best, at most PER_CLUSTER from a cluster, each with reasons that name
    the student's own evidence; no two matches give the same reasons. Empty when nothing is known yet."""
    points = profile.type_points()
    top = max(points.values())
    if top <= 0:
        return []
    code = profile.code()
    quiz = profile.quiz_points()
    quiz_top = max(quiz.values())
    candidates = []
    for occupation in catalog:
        if not occupation.riasec or occupation.onet_soc in profile.rejected:
            continue
        if occupation.onet_soc in {saved.onet_soc for saved in profile.saved}:
            continue
        candidate = _candidate(occupation, profile, points, top, quiz, quiz_top)
        named = any(occupation.onet_soc in said.careers or occupation.onet_soc in dict(said.related)
                    for said in profile.said)
        close = any(_neighbours(occupation, saved) for saved in profile.saved)
        if named or close or any(letter in code for letter in occupation.riasec[:2]):
            candidates.append(candidate)
    # Equal scores are common (the same code, the same evidence): a fixed order that is not the alphabet's,
    # or every student would meet the A's first.
    candidates.sort(key=lambda candidate: (-candidate.score, zlib.crc32(candidate.occupation.onet_soc.encode())))
    return _choose(candidates, limit)


def _candidate(occupation: Occupation, profile: StudentProfile, points: dict[str, float], top: float,
               quiz: dict[str, float], quiz_top: float) -> _Candidate:
    letters = occupation.riasec[:3]
    weights = dict(zip(letters, POSITION_WEIGHTS, strict=False))
    candidate = _Candidate(occupation, sum(weights[letter] * points[letter] / top for letter in letters))
    shared_quiz = [letter for letter in letters if quiz_top > 0 and quiz[letter] >= quiz_top / 2]
    if shared_quiz:
        names = " and ".join(RIASEC_NAMES[letter] for letter in shared_quiz)
        plain = ", ".join(RIASEC_SHORT[letter] for letter in shared_quiz)
        candidate.evidence.append(_Reason(f"your quiz answers lean {names} ({plain})",
                                          sum(weights[letter] * quiz[letter] / top for letter in shared_quiz)))
        # Single liked items of the career's strongest quiz type: each says the same thing more concretely,
        # so the matches that share a type can each name a different one.
        for item, response in profile.quiz:
            if response == "like" and item.riasec == shared_quiz[0]:
                candidate.evidence.append(_Reason(f"in the quiz you liked {item.text} ({RIASEC_SHORT[item.riasec]})",
                                                  weights[item.riasec] * QUIZ_POINTS["like"] / top))
    for said in profile.said:
        if occupation.onet_soc in said.careers:
            candidate.score += NAMED_BONUS
            candidate.evidence.append(_Reason(f"you named it: {_quote(said.text)}", NAMED_BONUS))
            continue
        # Words that name a career speak for that career (and those they read close to), not for its type:
        # "maybe an architect someday" is no reason to become a hairstylist.
        shared = [] if said.careers else [letter for letter in letters if letter in said.riasec]
        weight = sum(weights[letter] * SAID_POINTS / top for letter in shared)
        similarity = dict(said.related).get(occupation.onet_soc)
        if similarity is not None:
            bonus = RELATED_BONUS * min(1.0, (similarity - RELATED_FROM) / (RELATED_FULL - RELATED_FROM))
            candidate.score += bonus
            candidate.evidence.append(_Reason(f"you said {_quote(said.text)}", weight + bonus))
        elif weight:
            # only the kind of interest links these words to this career: say which
            kinds = ", ".join(RIASEC_SHORT[letter] for letter in shared)
            candidate.evidence.append(_Reason(f"you said {_quote(said.text)} ({kinds})", weight))
    for saved in profile.saved:
        if _neighbours(occupation, saved):
            candidate.score += NEIGHBOUR_BONUS
            candidate.evidence.append(_Reason(f"it is close to {saved.title}, a career on your list", NEIGHBOUR_BONUS))
        else:
            weight = sum(weights.get(letter, 0) * share / top
                         for letter, share in zip(saved.riasec or "", SAVED_POINTS, strict=False))
            shared = [letter for letter in letters if letter in (saved.riasec or "")[:2]]
            if weight and shared:
                kinds = " and ".join(RIASEC_SHORT[letter] for letter in shared)
                candidate.evidence.append(_Reason(f"it is {kinds} work, like {saved.title} on your list", weight))
    for rank, value in enumerate(profile.values[:2]):
        if letters[0] in value.riasec:
            candidate.score += VALUE_BONUS
            matters = "what matters most to you" if rank == 0 else "something that matters to you"
            candidate.evidence.append(_Reason(f"you picked \u201c{value.button}\u201d as {matters}", VALUE_BONUS))
    if profile.postsecondary is not None:
        candidate.caveat, change = plan_reach_reason(occupation, profile.postsecondary)
        candidate.score += change
    candidate.score = round(candidate.score, 3)
    return candidate


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


def _neighbours(occupation: Occupation, saved: Occupation) -> bool:
    """In the same career cluster, and the saved career's main type is among this one's first two."""
    same_cluster = (occupation.cluster_2024 and occupation.cluster_2024 == saved.cluster_2024) or \
        (occupation.cluster and occupation.cluster == saved.cluster)
    return bool(same_cluster and saved.riasec and occupation.riasec and saved.riasec[0] in occupation.riasec[:2])


def _choose(candidates: list[_Candidate], limit: int) -> list[CareerMatch]:
    """The best candidates, PER_CLUSTER at most from a cluster, with reasons no earlier match gave together.

    A reason already given counts for half as much each time, so the matches name different evidence; when
    the strongest reasons were given together before, the next strongest set that was not is given; a
    candidate with no new set of reasons (nothing about it that the earlier matches did not say) is passed over.
    """
    chosen: list[CareerMatch] = []
    given: Counter[str] = Counter()
    given_sets: set[frozenset[str]] = set()
    per_cluster: Counter[str | None] = Counter()
    for candidate in candidates:
        cluster = candidate.occupation.cluster
        if per_cluster[cluster] >= PER_CLUSTER:
            continue
        reasons = _new_reasons(candidate, given, given_sets)
        if reasons is None:
            continue
        given.update(reasons)
        given_sets.add(frozenset(reasons))
        per_cluster[cluster] += 1
        chosen.append(CareerMatch(candidate.occupation, candidate.score, reasons))
        if len(chosen) == limit:
            break
    return chosen


def _new_reasons(candidate: _Candidate, given: Counter[str], given_sets: set[frozenset[str]]) -> tuple[str, ...] | None:
    weights: dict[str, float] = {}
    for reason in candidate.evidence:
        weights[reason.text] = max(weights.get(reason.text, 0.0), reason.weight * 0.5 ** given[reason.text])
    ranked = sorted(weights, key=lambda text: -weights[text])[:REASONS_PER_MATCH + 3]
    caveat = (candidate.caveat,) if candidate.caveat else ()
    for size in range(min(REASONS_PER_MATCH, len(ranked)), 0, -1):
        # combinations() keeps the ranked order, the strongest set first within a size
        for chosen in sorted(combinations(ranked, size), key=lambda texts: -sum(weights[t] for t in texts)):
            if frozenset(chosen + caveat) not in given_sets:
                return chosen + caveat
    return None


def _quote(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > QUOTE_CHARS:
        text = text[:QUOTE_CHARS].rsplit(" ", 1)[0] + "\u2026"
    return f"\u201c{text}\u201d"


def evidence_words(profile: StudentProfile) -> str:
    """What the matches rest on: "14 of 42 quiz answers, 3 things you told me and 1 career on your list".
    Never "saved" here: the reply saves nothing, and the bot says "saved" only when it did."""
    parts = []
    if profile.quiz_answered:
        parts.append(f"all {profile.quiz_total} quiz answers" if profile.quiz_answered >= profile.quiz_total
                     else f"{profile.quiz_answered} of {profile.quiz_total} quiz answers")
    if profile.said:
        parts.append(_count(len(profile.said), "thing you told me", "things you told me"))
    if profile.saved:
        parts.append(_count(len(profile.saved), "career on your list", "careers on your list"))
    if profile.values:
        parts.append("what matters to you in a job")
    if not parts:
        return "nothing yet"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"
