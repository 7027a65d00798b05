"""The career catalog shipped in data/careers/occupations.yml."""
from __future__ import annotations

import functools
from dataclasses import dataclass

from bot.data_files import load_yaml


@dataclass(frozen=True)
class Occupation:
    onet_soc: str
    title: str
    riasec: str
    job_zone: int
    education: str
    cluster: str
    cluster_2024: str
    description: str
    aliases: tuple[str, ...]


@functools.lru_cache(maxsize=1)
def occupations() -> dict[str, Occupation]:
    entries = load_yaml("careers/occupations.yml")["occupations"]
    return {
        entry["onet_soc"]: Occupation(
            onet_soc=entry["onet_soc"], title=entry["title"], riasec=entry["riasec"],
            job_zone=int(entry["job_zone"]), education=entry["education"], cluster=entry["cluster"],
            cluster_2024=entry["cluster_2024"], description=entry["description"],
            aliases=tuple(entry.get("aliases") or ()),
        )
        for entry in entries
    }


def get(onet_soc: str) -> Occupation | None:
    return occupations().get(onet_soc)
