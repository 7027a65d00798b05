"""What the bot's entrypoints call: the answer to a student's message, or None to keep the usual reply."""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Optional

from bot.knowledge.entries import Entry, shipped_entries
from bot.knowledge.matcher import Matcher


@dataclass(frozen=True)
class Answer:
    entry_id: str
    text: str
    sources: tuple[tuple[str, str], ...]  # (title, url); a url inside this repository is not shown to students
    last_reviewed: dt.date
    stale: bool  # nobody has checked it against its source for more than a year
    score: float
    key_term: Optional[str] = None  # the entry's key term the message names ("license", "who sees"), if any

    @property
    def source_line(self) -> str:
        """ "Source: FAFSA deadlines (Federal Student Aid), https://studentaid.gov/..." for the chat."""
        shown = [f"{title}, {url}" if url.startswith("https://") else title for title, url in self.sources]
        return ("Sources: " if len(shown) > 1 else "Source: ") + "; ".join(shown)


def find_answer(text: str, *, today: Optional[dt.date] = None, matcher: Optional[Matcher] = None,
                previous_reply: Optional[str] = None) -> Optional[Answer]:
    """The knowledge base's answer to the message when one entry clearly answers it; None otherwise.
    `previous_reply`: the bot's reply just before (when it was an entry's answer, a follow-up may refer back to it)."""
    matcher = matcher or shipped_matcher()
    follows = matcher.entry_answered(previous_reply) if previous_reply else None
    found = matcher.match(text or "", follows=follows)
    if found is None:
        return None
    return answer_of(found.entry, score=found.score, today=today, key_term=found.key_term)


def answer_of(entry: Entry, *, score: float = 1.0, today: Optional[dt.date] = None,
              key_term: Optional[str] = None) -> Answer:
    return Answer(entry.id, entry.answer, tuple((source.title, source.url) for source in entry.source),
                  entry.last_reviewed, entry.stale(today), round(score, 3), key_term)


@functools.lru_cache(maxsize=1)
def shipped_matcher() -> Matcher:
    """Built on first use (it encodes every example question, about a second); the encoder is the project's."""
    from bot.encoder.runtime import load_encoder

    return Matcher(shipped_entries(), load_encoder().encode)
