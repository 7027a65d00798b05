"""Courses by the names people give them: a school system's transcript line ("Algebra I", "ALGEBRA_1") and a
student's question ("do i need chem for nursing", "what is ap bio").

Both compare words in lower case with punctuation dropped, against each catalog course's id, name and aliases
(data/plan/courses.yml). A transcript line is one course's name, so it must match a name whole; a question is
searched for names inside it, longest first, so "ap bio" is AP Biology and not Biology.
"""
from __future__ import annotations

import functools
import re

from bot.plans.content import Course, GraduationRequirements, courses

ROMAN_NUMBERS = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}
# Words a school system adds to a course's name that do not make it another course.
LEVEL_WORDS = frozenset({"honors", "hon", "h", "accelerated", "cp", "preap"})
# Other names school systems use for the subject areas of data/schools/default.yml.
AREA_SYNONYMS = {
    "english": ("english language arts", "ela", "language arts", "literature"),
    "math": ("mathematics", "maths"),
    "science": ("sciences", "lab science"),
    "social_studies": ("social science", "social sciences", "history", "history and social science"),
    "world_language": ("world languages", "foreign language", "foreign languages", "language", "languages"),
    "fine_arts": ("arts", "art", "visual and performing arts", "visual arts", "performing arts", "music"),
    "pe_health": ("pe", "physical education", "health", "pe health", "physical education and health",
                  "health and pe", "health and physical education"),
    "cte": ("career and technical education", "career technical education", "career tech", "career and technical"),
    "elective": ("electives", "general elective", "other"),
}


def words_of(text: str) -> str:
    """Lower case, "&" as "and", every other mark a space: "A&P / Honors" is "a and p honors"."""
    text = text.casefold().replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _transcript_words(text: str) -> str:
    """A transcript line compared without level words, a final Roman number as a digit ("Algebra II H": "algebra 2")."""
    words = [word for word in re.sub(r"^pre ap ", "", words_of(text)).split() if word not in LEVEL_WORDS]
    if words and words[-1] in ROMAN_NUMBERS:
        words[-1] = ROMAN_NUMBERS[words[-1]]
    return " ".join(words)


@functools.lru_cache(maxsize=1)
def _names() -> dict[str, Course]:
    """Every id, name and alias of the catalog, in compared form, with its course."""
    names: dict[str, Course] = {}
    for course in courses().values():
        for name in (course.id, course.name, *course.aliases):
            names.setdefault(words_of(name), course)
    return names


@functools.lru_cache(maxsize=1)
def _transcript_names() -> dict[str, Course]:
    return {**{_transcript_words(name): course for name, course in _names().items()}, **_names()}


def course_of_transcript_line(name: str) -> Course | None:
    """The catalog course a school system's course name is, when it is one ("Chemistry H", "ALGEBRA_1", "Algebra I")."""
    return _transcript_names().get(words_of(name)) or _transcript_names().get(_transcript_words(name))


@functools.lru_cache(maxsize=1)
def _name_pattern() -> re.Pattern:
    names = sorted(_names(), key=len, reverse=True)
    return re.compile(r"(?<![a-z0-9])(" + "|".join(re.escape(name) for name in names) + r")(?![a-z0-9])")


def courses_named_in(text: str) -> list[Course]:
    """The catalog courses a message names, in the order it names them, each once."""
    found: list[Course] = []
    for match in _name_pattern().finditer(words_of(text)):
        course = _names()[match.group(1)]
        if course not in found:
            found.append(course)
    return found


def subject_area_named(text: str, requirements: GraduationRequirements) -> str | None:
    """The school's subject area a transcript's subject column names (its id, its name or a common other name)."""
    wanted = words_of(text)
    for area, name in requirements.area_names.items():
        if wanted in {words_of(area), words_of(name), *(words_of(other) for other in AREA_SYNONYMS.get(area, ()))}:
            return area
    return None
