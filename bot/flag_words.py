"""Flags in plain words for counselors: what each kind means, how urgent each severity is, and what happened.

Every category in bot.safety.categories and every severity in bot.db.tables has words here
(tests/unit/test_flag_words.py checks it, so a new category cannot reach a counselor as its code).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.careers.catalog import Occupation, education_for_job_zone, occupations
from bot.careers.education import LEVELS, typical_education
from bot.plans.content import PostsecondaryOption, postsecondary_options


@dataclass(frozen=True)
class KindWords:
    title: str        # the queue's "Kind" column and the flag page's heading
    explanation: str  # one sentence: why the flag was raised
    student_words: bool = True  # the excerpt is what the student typed (else the bot describes the plan)


KINDS = {
    "self_harm": KindWords("Possible self-harm or suicide risk",
                           "The student wrote something that may mean they are thinking of hurting or killing "
                           "themselves."),
    "abuse": KindWords("Possible abuse or neglect",
                       "The student wrote something that may mean someone is hurting or neglecting them."),
    "violence": KindWords("Possible violence or threat",
                          "The student wrote something about violence: being in danger, or hurting someone."),
    "bullying": KindWords("Bullying", "The student said they are bullied, picked on, harassed or left out, at "
                                      "school or online."),
    "dropout_risk": KindWords("May drop out", "The student talked about dropping out, missing school or not "
                                              "finishing."),
    "human_request": KindWords("Asked for a person", "The student asked to talk to their counselor or another "
                                                     "person."),
    "academic": KindWords("Struggling in class", "The student said they are failing, falling behind or "
                                                 "struggling with school work."),
    "financial": KindWords("Money worries", "The student is worried about money: paying for college, bills, food "
                                            "or housing."),
    "accommodations": KindWords("Learning support", "The student mentioned a disability, an IEP or 504 plan, or "
                                                    "support they need to learn."),
    "plan_misalignment": KindWords("Career goal and plan don't match",
                                   "The student's career goal usually needs more school than their plan for after "
                                   "high school gives.", student_words=False),
    "not_understood": KindWords("The bot kept not understanding",
                                "The bot did not understand several of the student's messages in a row and told "
                                "them their counselor would check in."),
}


@dataclass(frozen=True)
class SeverityWords:
    title: str
    meaning: str


SEVERITIES = {
    "urgent": SeverityWords("Urgent", "The student may be in danger now: follow up first."),
    "high": SeverityWords("High", "Follow up soon."),
    "normal": SeverityWords("Normal", "Follow up when you can."),
}

# What an occupation usually needs (the catalog's education vocabulary), said to staff.
EDUCATION = {level.id: level.staff for level in LEVELS.values()}
# The plan for after high school (data/plan/postsecondary.yml ids), as the end of "the plan says ...".
PATHS = {
    "four_year": "a 4-year college",
    "two_year": "a 2-year college",
    "apprenticeship": "an apprenticeship or certificate program",
    "military": "military service",
    "work": "starting work right after high school",
}
# How plan_misalignment excerpts were written before they were in plain words (still in older databases).
LEGACY_MISALIGNMENT = re.compile(r"^Career goal (?P<title>.+) \(job zone (?P<zone>\d)\) with postsecondary plan "
                                 r"(?P<path>[a-z_]+)$")


def kind_words(category: str) -> KindWords:
    return KINDS.get(category) or KindWords(category.replace("_", " ").capitalize(), "")


def severity_words(severity: str) -> SeverityWords:
    return SEVERITIES.get(severity) or SeverityWords(severity.capitalize(), "")


def misalignment_sentence(occupation: Occupation, path: PostsecondaryOption) -> str:
    """"Dentist usually needs a doctoral or professional degree; the plan says a 2-year college." """
    level = typical_education(occupation)
    needs = level.staff if level else "more school than that"
    return f"{occupation.title} usually needs {needs}; the plan says {_path_words(path.id)}."


def what_happened(category: str, excerpt: str) -> str:
    """The flag's excerpt as a counselor reads it: the student's words, or the plan problem in plain words."""
    if category == "plan_misalignment":
        legacy = LEGACY_MISALIGNMENT.match(excerpt.strip())
        if legacy:
            return _legacy_misalignment(legacy["title"], int(legacy["zone"]), legacy["path"])
    return excerpt


def _legacy_misalignment(title: str, job_zone: int, path_id: str) -> str:
    occupation = next((o for o in occupations().values() if o.title == title), None)
    level = typical_education(occupation) if occupation else LEVELS.get(education_for_job_zone(job_zone) or "")
    needs = level.staff if level else "more school than that"
    return f"{title} usually needs {needs}; the plan says {_path_words(path_id)}."


def _path_words(path_id: str) -> str:
    if path_id in PATHS:
        return PATHS[path_id]
    option = postsecondary_options().get(path_id)
    return f"“{option.name}”" if option else path_id.replace("_", " ")
