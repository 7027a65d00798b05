"""The plan's content files: work values, postsecondary paths, benchmarks, courses, graduation requirements.

Files live under data/ (see each file's header); a district edits them without touching code.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from bot.data_files import DATA_DIR, load_yaml
from bot.db.tables import POSTSECONDARY_PATHS, PostsecondaryPath


@dataclass(frozen=True)
class WorkValueInfo:
    id: str
    name: str
    button: str
    plain: str
    keywords: tuple[str, ...]
    riasec: tuple[str, ...]


@dataclass(frozen=True)
class PostsecondaryOption:
    id: PostsecondaryPath  # the plan database takes no other (postsecondary_choices.choice)
    name: str
    button: str
    plain: str
    gives: str     # education level ids (bot.careers.education): what the path gives by itself,
    leads_to: str  # and the most it leads to with more school after it
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Benchmark:
    id: str
    grade: int
    text: str
    why: str
    done_when: str  # a plan condition (see bot.plans.benchmarks) or "manual"


@dataclass(frozen=True)
class Course:
    id: str
    name: str
    subject_area: str
    grades: tuple[int, ...]
    about: str = ""  # what the course is, in plain words
    aliases: tuple[str, ...] = ()  # other names for it ("chem", "ap bio", "Algebra I")


@dataclass(frozen=True)
class GraduationRequirements:
    name: str
    total_credits: int
    credits_by_area: dict[str, int]
    area_names: dict[str, str]


@functools.lru_cache(maxsize=1)
def work_values() -> dict[str, WorkValueInfo]:
    return {
        entry["id"]: WorkValueInfo(entry["id"], entry["name"], entry["button"], entry["plain"],
                                   tuple(entry["keywords"]), tuple(entry["riasec"]))
        for entry in load_yaml("values/work_values.yml")["values"]
    }


@functools.lru_cache(maxsize=1)
def postsecondary_options() -> dict[str, PostsecondaryOption]:
    entries = load_yaml("plan/postsecondary.yml")["options"]
    unknown = [entry["id"] for entry in entries if entry["id"] not in POSTSECONDARY_PATHS]
    if unknown:
        raise ValueError(f"data/plan/postsecondary.yml: option ids {unknown} are not among the paths the plan "
                         f"database takes ({', '.join(POSTSECONDARY_PATHS)}); a new path needs a migration that "
                         f"widens the CHECK constraint on postsecondary_choices.choice (bot/db/tables.py)")
    return {
        entry["id"]: PostsecondaryOption(entry["id"], entry["name"], entry["button"], entry["plain"],
                                         entry["gives"], entry["leads_to"], tuple(entry["keywords"]))
        for entry in entries
    }


@functools.lru_cache(maxsize=1)
def benchmarks() -> tuple[Benchmark, ...]:
    return tuple(
        Benchmark(entry["id"], int(entry["grade"]), entry["text"], entry["why"], entry["done_when"])
        for entry in load_yaml("plan/benchmarks.yml")["benchmarks"]
    )


@functools.lru_cache(maxsize=1)
def courses() -> dict[str, Course]:
    return {
        entry["id"]: Course(entry["id"], entry["name"], entry["subject_area"], tuple(entry["grades"]),
                            entry.get("about", ""), tuple(entry.get("aliases") or ()))
        for entry in load_yaml("plan/courses.yml")["courses"]
    }


@functools.lru_cache(maxsize=1)
def course_pathways() -> tuple[dict[int, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """The default core schedule by grade, and the electives suggested for each (legacy) career cluster."""
    data = load_yaml("plan/courses.yml")
    core = {int(grade): tuple(ids) for grade, ids in data["core_by_grade"].items()}
    electives = {cluster: tuple(ids) for cluster, ids in data["cluster_electives"].items()}
    return core, electives


@functools.lru_cache(maxsize=32)
def graduation_requirements(school_name: str | None = None) -> GraduationRequirements:
    """The school's own file (data/schools/<school-name-slug>.yml) if it has one, else the default."""
    path = DATA_DIR / "schools" / f"{_slug(school_name or '')}.yml"
    relative = path.relative_to(DATA_DIR).as_posix() if school_name and path.is_file() else "schools/default.yml"
    data = load_yaml(relative)
    areas = data["subject_areas"]
    return GraduationRequirements(
        name=data["name"], total_credits=int(data["total_credits"]),
        credits_by_area={area["id"]: int(area["credits"]) for area in areas},
        area_names={area["id"]: area["name"] for area in areas},
    )


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
