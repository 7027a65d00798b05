"""Career profiles a 9th grader reads: what the work is, what it takes, who it suits, where it sits
among the career clusters, what it pays, and careers like it. Also the search and browse behind the
student's Careers page.

Words come from the project (the catalog's descriptions, bot.careers.education, the interest types'
plain words); facts from O*NET, the Career Clusters framework and BLS. O*NET's own description is
never shown: an occupation known only from an O*NET import gets a plain summary built from its facts.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from bot.careers.catalog import Occupation, load_catalog
from bot.careers.education import education_plain, typical_education
from bot.careers.pay import PayFigure, load_pay, soc_code
from bot.data_files import load_yaml
from bot.db.unit_of_work import UnitOfWork
from bot.errors import InvalidInput
from bot.interests.catalog import RIASEC_NAMES, RIASEC_PLAIN, RIASEC_SHORT

RELATED_LIMIT = 5
NO_PAY = "Pay figures for this career are not loaded yet. Your counselor can help you look them up."
MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class InterestLine:
    letter: str
    name: str   # "Social"
    plain: str  # "helping (teaching, caring for people)"


@dataclass(frozen=True)
class Cluster:
    id: str
    name: str


@dataclass(frozen=True)
class CareerProfile:
    onet_soc: str
    title: str
    summary: str
    education_level: str | None  # the level's id (bot.careers.education), None when unknown
    education: str  # what it usually takes, in plain words
    education_short: str  # "4-year degree", "" when unknown
    interests: tuple[InterestLine, ...]
    cluster: Cluster | None       # the 16-cluster framework
    cluster_2024: Cluster | None  # the 2024 framework
    subcluster_2024: Cluster | None
    pay: PayFigure | None
    related: tuple[Occupation, ...]

    @property
    def pay_words(self) -> str:
        """"Half of U.S. workers in this job earned more than $86,070 a year, and half earned less (May 2023).",
        or the plain note that no figure is loaded."""
        if self.pay is None:
            return NO_PAY
        if self.pay.median_annual_wage is None:
            return (f"Half of U.S. workers in this job earned more than the highest yearly pay the government "
                    f"publishes ({self.pay.period}).")
        return (f"Half of U.S. workers in this job earned more than ${self.pay.median_annual_wage:,} a year, and "
                f"half earned less ({self.pay.period}).")


@dataclass(frozen=True)
class ClusterNames:
    legacy: dict[str, str]
    current: dict[str, str]
    subclusters: dict[tuple[str, str], str]  # (2024 cluster id, sub-cluster id) -> name


@functools.lru_cache(maxsize=1)
def cluster_names() -> ClusterNames:
    clusters = load_yaml("careers/clusters.yml")
    return ClusterNames(
        legacy={entry["id"]: entry["name"] for entry in clusters["legacy_clusters"]},
        current={entry["id"]: entry["name"] for entry in clusters["clusters_2024"]},
        subclusters={(entry["id"], sub["id"]): sub["name"] for entry in clusters["clusters_2024"]
                     for sub in entry.get("subclusters") or ()},
    )


def interest_lines(code: str | None) -> tuple[InterestLine, ...]:
    return tuple(InterestLine(letter, RIASEC_NAMES[letter], RIASEC_PLAIN[letter])
                 for letter in code or "" if letter in RIASEC_NAMES)


def plain_summary(occupation: Occupation) -> str:
    """The description written for this project; for an occupation without one, a summary from its facts."""
    if occupation.description:
        return occupation.description
    types = " and ".join(RIASEC_SHORT[letter] for letter in (occupation.riasec or "")[:2] if letter in RIASEC_SHORT)
    fits = f" It suits people who are {types}." if types else ""
    return f"We don't have a plain description of this job yet: ask your counselor what the work is like.{fits}"


def career_profile(uow: UnitOfWork, onet_soc: str) -> CareerProfile:
    with uow:
        catalog = load_catalog(uow.session)
        occupation = catalog.get(onet_soc)
        if occupation is None:
            raise InvalidInput(f"no career {onet_soc!r} in the catalog")
        pay = load_pay(uow.session, [soc_code(occupation.onet_soc)])
    return build_profile(occupation, catalog, pay)


def build_profile(occupation: Occupation, catalog: dict[str, Occupation], pay: dict[str, PayFigure]) -> CareerProfile:
    names = cluster_names()
    level = typical_education(occupation)
    subcluster = names.subclusters.get((occupation.cluster_2024 or "", occupation.subcluster_2024 or ""))
    return CareerProfile(
        onet_soc=occupation.onet_soc, title=occupation.title, summary=plain_summary(occupation),
        education_level=level.id if level else None, education=education_plain(occupation),
        education_short=level.short if level else "",
        interests=interest_lines(occupation.riasec),
        cluster=_cluster(occupation.cluster, names.legacy),
        cluster_2024=_cluster(occupation.cluster_2024, names.current),
        subcluster_2024=Cluster(occupation.subcluster_2024 or "", subcluster) if subcluster else None,
        pay=pay.get(soc_code(occupation.onet_soc)),
        related=related_careers(occupation, catalog.values()),
    )


def _cluster(cluster_id: str | None, names: dict[str, str]) -> Cluster | None:
    return Cluster(cluster_id, names[cluster_id]) if cluster_id in names else None


def related_careers(occupation: Occupation, catalog, limit: int = RELATED_LIMIT) -> tuple[Occupation, ...]:
    """Careers in the same 2024 sub-cluster first, then the same cluster, each ranked by the interest letters
    they share; with no cluster, careers whose interest code starts with the same two letters."""
    code = occupation.riasec or ""

    def shared(other: Occupation) -> int:
        return sum(1 for letter in (other.riasec or "")[:3] if letter in code[:3])

    ranked = []
    for other in catalog:
        if other.onet_soc == occupation.onet_soc:
            continue
        same_sub = bool(occupation.subcluster_2024) and (other.cluster_2024, other.subcluster_2024) == (
            occupation.cluster_2024, occupation.subcluster_2024)
        same_cluster = bool(occupation.cluster_2024) and other.cluster_2024 == occupation.cluster_2024
        same_start = len(code) >= 2 and (other.riasec or "")[:2] == code[:2]
        if not (same_sub or (same_cluster and shared(other)) or same_start):
            continue
        ranked.append(((not same_sub, not same_cluster, -shared(other), other.title), other))
    ranked.sort(key=lambda pair: pair[0])
    return tuple(other for _, other in ranked[:limit])


@dataclass(frozen=True)
class CareerListing:
    onet_soc: str
    title: str
    summary: str
    education_short: str


@dataclass(frozen=True)
class CareerSearch:
    query: str
    cluster: Cluster | None
    results: tuple[CareerListing, ...]


def browse_clusters() -> tuple[Cluster, ...]:
    """The 2024 clusters a student browses by, in the framework's order."""
    return tuple(Cluster(cluster_id, name) for cluster_id, name in cluster_names().current.items())


def search_careers(uow: UnitOfWork, query: str = "", cluster: str = "") -> CareerSearch:
    """Careers whose title, other names or plain summary hold every word of `query` (a word may be the
    start of one: "vet" finds Veterinarian), in `cluster` (a 2024 or a 16-cluster id) when one is given;
    those named by the words come first ("nurse": the nurses before the jobs that work with nurses).
    With neither, every career."""
    query = " ".join((query or "").split())[:MAX_QUERY_LENGTH]
    names = cluster_names()
    chosen = None
    if cluster:
        chosen = _cluster(cluster, names.current) or _cluster(cluster, names.legacy)
        if chosen is None:
            raise InvalidInput(f"unknown cluster {cluster!r}")
    with uow:
        catalog = load_catalog(uow.session)
    wanted = _words(query)
    named: list[CareerListing] = []
    described: list[CareerListing] = []
    for occupation in sorted(catalog.values(), key=lambda o: o.title.lower()):
        if chosen is not None and chosen.id not in (occupation.cluster, occupation.cluster_2024):
            continue
        title_words = _words(" ".join((occupation.title, *occupation.aliases)))
        if wanted and not _holds(title_words + _words(occupation.description or ""), wanted):
            continue
        level = typical_education(occupation)
        listing = CareerListing(occupation.onet_soc, occupation.title, plain_summary(occupation),
                                level.short if level else "")
        (named if wanted and _holds(title_words, wanted) else described).append(listing)
    return CareerSearch(query, chosen, tuple(named + described))


def _holds(words: list[str], wanted: list[str]) -> bool:
    return all(any(word.startswith(part) for word in words) for part in wanted)


def _words(text: str) -> list[str]:
    # "Nurses" finds "Nurse": a plural typed or stored is read as its singular.
    return [word[:-1] if word.endswith("s") and len(word) > 3 else word
            for word in re.findall(r"[a-z0-9]+", text.lower())]
