"""The career catalog: the occupations shipped in data/careers/occupations.yml, overlaid by O*NET imports.

`occupations()` is the shipped file alone (the spaCy pipeline is built from it); `load_catalog()`
adds what `ilp careers import-onet` stored in the plan database.
"""
from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.data_files import load_yaml
from bot.db.tables import RIASEC_TYPES, ImportedOccupation
from bot.db.unit_of_work import UnitOfWork
from bot.errors import InvalidInput

# The shipped catalog's education vocabulary (high_school, apprenticeship, certificate, associate,
# bachelor, master, doctoral) for an occupation known only from O*NET: the most common education of
# the shipped occupations in each job zone. The vocabulary has no "graduate"; zone 5 takes "master".
EDUCATION_BY_JOB_ZONE = {1: "high_school", 2: "high_school", 3: "certificate", 4: "bachelor", 5: "master"}


@dataclass(frozen=True)
class Occupation:
    """riasec, job_zone and education are None only for an O*NET-only occupation whose files lacked
    them. description is the plain description written for this project, so None for an occupation
    known only from O*NET (its O*NET description is not for students; bot.careers.profiles builds a
    plain one from facts). cluster, cluster_2024, subcluster_2024, aliases and lowercase_only_after come
    from the shipped file alone."""

    onet_soc: str
    title: str
    riasec: str | None
    job_zone: int | None
    education: str | None
    cluster: str | None
    cluster_2024: str | None
    description: str | None
    aliases: tuple[str, ...]
    subcluster_2024: str | None = None
    onet_description: str | None = None  # O*NET's own, from an import: for staff listings, never shown to a student
    # Aliases that are texting words too ("rn", "hr"), each with the words it names the job after in small letters.
    # Read-only, built once at load; left out of the hash (a mapping has none), still compared.
    lowercase_only_after: Mapping[str, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}),
                                                               hash=False)

    def words_needed_before(self, alias: str) -> frozenset[str] | None:
        """The words an alias written in small letters must follow to name this job; None when it needs none."""
        return self.lowercase_only_after.get(alias)


@functools.lru_cache(maxsize=1)
def occupations() -> dict[str, Occupation]:
    return {entry["onet_soc"]: _shipped_occupation(entry)
            for entry in load_yaml("careers/occupations.yml")["occupations"]}


def _shipped_occupation(entry: dict) -> Occupation:
    # An alias is a phrase, or {alias: ..., lowercase_only_after: [...]} for one that is also a texting word.
    aliases: list[str] = []
    lowercase_only_after: dict[str, frozenset[str]] = {}
    for alias in entry.get("aliases") or ():
        if isinstance(alias, str):
            aliases.append(alias)
        else:
            aliases.append(alias["alias"])
            lowercase_only_after[alias["alias"]] = frozenset(alias["lowercase_only_after"])
    return Occupation(
        onet_soc=entry["onet_soc"], title=entry["title"], riasec=entry["riasec"],
        job_zone=int(entry["job_zone"]), education=entry["education"], cluster=entry["cluster"],
        cluster_2024=entry["cluster_2024"], description=entry["description"], aliases=tuple(aliases),
        subcluster_2024=entry.get("subcluster_2024"), lowercase_only_after=MappingProxyType(lowercase_only_after),
    )


def get(onet_soc: str) -> Occupation | None:
    return occupations().get(onet_soc)


def education_for_job_zone(job_zone: int | None) -> str | None:
    return EDUCATION_BY_JOB_ZONE.get(job_zone) if job_zone is not None else None


@functools.lru_cache(maxsize=1)
def cluster_ids() -> frozenset[str]:
    """Ids of both cluster frameworks (legacy and 2024) from data/careers/clusters.yml."""
    clusters = load_yaml("careers/clusters.yml")
    return frozenset(entry["id"] for key in ("legacy_clusters", "clusters_2024") for entry in clusters[key])


def load_catalog(session: Session) -> dict[str, Occupation]:
    """The shipped occupations overlaid by the imported ones, by O*NET-SOC code.

    An import updates title, riasec and job_zone (where the import had them) and keeps the shipped
    description, clusters, education and aliases; an occupation only in the import has no
    description, no cluster, no aliases, and the education its job zone suggests. O*NET's own
    description is kept apart (onet_description): it is written for analysts, not students.
    """
    catalog = dict(occupations())
    for row in session.scalars(select(ImportedOccupation)):
        shipped = catalog.get(row.onet_soc)
        if shipped is not None:
            catalog[row.onet_soc] = dataclasses.replace(
                shipped, title=row.title, riasec=row.riasec or shipped.riasec,
                job_zone=row.job_zone if row.job_zone is not None else shipped.job_zone,
                onet_description=row.description,
            )
        else:
            catalog[row.onet_soc] = Occupation(
                onet_soc=row.onet_soc, title=row.title, riasec=row.riasec, job_zone=row.job_zone,
                education=education_for_job_zone(row.job_zone), cluster=None, cluster_2024=None,
                description=None, aliases=(), onet_description=row.description,
            )
    return catalog


def occupation_titled(catalog: dict[str, Occupation], text: str) -> Occupation | None:
    """The occupation whose title the text names word for word, singular or plural (the longest when
    several do). The spaCy pipeline knows only the shipped occupations and their aliases; this is how
    one imported from O*NET is known by name."""
    words = f" {_title_words(text)} "
    named = [occupation for occupation in catalog.values()
             if _title_words(occupation.title) and f" {_title_words(occupation.title)} " in words]
    return max(named, key=lambda occupation: len(_title_words(occupation.title)), default=None)


def _title_words(text: str) -> str:
    # O*NET titles are plural ("Wind Turbine Service Technicians"); students write either number.
    return " ".join(word[:-1] if word.endswith("s") and len(word) > 3 else word
                    for word in re.findall(r"[a-z0-9]+", text.lower()))


def list_occupations(uow: UnitOfWork, *, cluster: str | None = None, riasec: str | None = None) -> list[dict]:
    """The catalog as plain dicts, by O*NET-SOC code; `source` is "shipped" for an occupation in the
    shipped file (even when an import updated it) and "onet" for one known only from an import.

    cluster: a legacy or 2024 cluster id; riasec: 1-3 letters the interest code starts with.
    """
    if cluster is not None and cluster not in cluster_ids():
        raise InvalidInput(f"unknown cluster {cluster!r}; the ids are in data/careers/clusters.yml")
    prefix = None
    if riasec is not None:
        prefix = riasec.strip().upper()
        if not 1 <= len(prefix) <= 3 or any(letter not in RIASEC_TYPES for letter in prefix):
            raise InvalidInput(f"--riasec takes 1 to 3 of the letters R, I, A, S, E, C (got {riasec!r})")
    with uow:
        catalog = load_catalog(uow.session)
    shipped = occupations()
    listed = []
    for code in sorted(catalog):
        occupation = catalog[code]
        if cluster is not None and cluster not in (occupation.cluster, occupation.cluster_2024):
            continue
        if prefix is not None and not (occupation.riasec or "").startswith(prefix):
            continue
        listed.append({
            "onet_soc": occupation.onet_soc, "title": occupation.title, "riasec": occupation.riasec,
            "job_zone": occupation.job_zone, "education": occupation.education, "cluster": occupation.cluster,
            "cluster_2024": occupation.cluster_2024,
            "description": occupation.description or occupation.onet_description,
            "source": "shipped" if code in shipped else "onet",
        })
    return listed
