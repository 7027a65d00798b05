"""What a career usually takes in school and training, said one way everywhere.

`typical_education` is the one answer for an occupation (the catalog's `education`, or for an
occupation known only from O*NET the education its job zone suggests). Every place that states
what a career takes, or whether a plan for after high school gets there (career matching, the
"tell me more" answer, the career pages, the counselor's misalignment flag), reads it from here.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

from bot.careers.catalog import Occupation, education_for_job_zone


@dataclass(frozen=True)
class EducationLevel:
    id: str
    rank: int     # more school, higher rank; a certificate and an apprenticeship are the same step
    plain: str    # said to a student: "a four-year bachelor's degree"
    staff: str    # said to staff in a sentence: "a 4-year bachelor's degree"
    short: str    # a list's column: "4-year degree"


LEVELS = {level.id: level for level in (
    EducationLevel("high_school", 1, "a high school diploma, then training on the job",
                   "a high school diploma", "High school"),
    EducationLevel("certificate", 2, "a certificate program after high school (months to a year or two)",
                   "a certificate after high school", "Certificate"),
    EducationLevel("apprenticeship", 2, "an apprenticeship: paid training on the job, usually 3 to 5 years",
                   "an apprenticeship", "Apprenticeship"),
    EducationLevel("associate", 3, "a two-year associate degree", "a 2-year associate degree", "2-year degree"),
    EducationLevel("bachelor", 4, "a four-year bachelor's degree", "a 4-year bachelor's degree", "4-year degree"),
    EducationLevel("master", 5, "a bachelor's degree and then a master's degree", "a master's degree",
                   "Master's degree"),
    EducationLevel("doctoral", 6, "many years of college: a doctoral or professional degree",
                   "a doctoral or professional degree", "Doctoral or professional degree"),
)}
UNKNOWN_PLAIN = "training that varies; a counselor can tell you more"


class Reach(enum.Enum):
    """How far a plan for after high school takes a student toward a career."""

    REACHES = "reaches"        # the path itself gives what the career usually takes
    FIRST_STEP = "first_step"  # the path leads there with more school after it (a 4-year college before dental school)
    BEYOND = "beyond"          # the career usually takes more school than the path leads to


def typical_education(occupation: Occupation) -> EducationLevel | None:
    level_id = occupation.education or education_for_job_zone(occupation.job_zone)
    return LEVELS.get(level_id or "")


def education_plain(occupation: Occupation) -> str:
    level = typical_education(occupation)
    return level.plain if level else UNKNOWN_PLAIN


def plan_reach(occupation: Occupation, gives: str, leads_to: str) -> Reach | None:
    """`gives` and `leads_to`: education level ids a path gives by itself and leads to with more school
    after it (data/plan/postsecondary.yml); None when the occupation's education is unknown."""
    level = typical_education(occupation)
    if level is None:
        return None
    if level.rank <= LEVELS[gives].rank:
        return Reach.REACHES
    if level.rank <= LEVELS[leads_to].rank:
        return Reach.FIRST_STEP
    return Reach.BEYOND
