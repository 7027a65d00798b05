"""Finds the careers, school subjects and activities a student mentions in free text."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from bot.careers.catalog import Occupation, occupations
from bot.interests.catalog import activities, school_subjects
from bot.nlp.pipeline import load_pipeline

MAX_TEXT_CHARS = 2000
# Words that turn "I like X" into "I don't like X" when they come shortly before the mention.
DISLIKE_LEMMAS = {"not", "n't", "never", "hate", "dislike", "no", "nothing", "boring", "bored"}
DISLIKE_WINDOW = 4
# "i dont want to be a dentist": a negation anywhere earlier in the same clause rejects what it names, however
# far back. A bare "no" counts only inside the window above: "no i meant a nurse" corrects, it rejects nothing.
CLAUSE_BREAK = re.compile(r"[,.;!?]|\b(?:and|or|but)\b")
CLAUSE_NEGATION = re.compile(r"\b(?:not|never|don'?t|dont|do not|doesn'?t|won'?t|wont|hate|dislike)\b")
NOT_A_NEGATION = re.compile(r"\b(?:not sure|no idea|don'?t know|dont know)\b")  # unsure, not rejecting
ANYTHING_BUT = re.compile(r"\b(?:anything|any job|whatever|everything)\s+(?:but|except)\s+(?:an?\s+)?$")


@dataclass(frozen=True)
class Mention:
    kind: str  # career | school_subject | activity
    item_id: str
    label: str
    riasec: str  # the strongest RIASEC type of the item
    text: str  # the words the student used
    disliked: bool = False


def find_mentions(text: str) -> list[Mention]:
    doc = _parse(text[:MAX_TEXT_CHARS].lower())
    mentions: list[Mention] = []
    for ent in doc.ents:
        kind, _, item_id = ent.ent_id_.partition(":")
        resolved = _resolve(kind, item_id)
        if resolved is None:
            continue
        label, riasec = resolved
        if kind == "career" and _texting_word(text, ent, occupations()[item_id]):
            continue
        window = doc[max(ent.start - DISLIKE_WINDOW, 0):ent.start]
        disliked = any(token.lemma_ in DISLIKE_LEMMAS or token.lower_ in DISLIKE_LEMMAS for token in window) or \
            rejected_in_clause(doc.text[:ent.start_char])
        mentions.append(Mention(kind, item_id, label, riasec, ent.text, disliked))
    return mentions


def _parse(text: str):
    """The pipeline's reading, with one mend: a plural the lookup lemmatizer does not know ("hairstylists",
    "zoologists") is read as its singular when only the singular is a word of the catalog's phrases."""
    nlp = load_pipeline()
    doc = nlp.get_pipe("lemmatizer")(nlp.make_doc(text))
    known = _phrase_lemmas()
    for token in doc:
        word = token.lower_
        if token.lemma_ in ("", word) and len(word) > 4 and word.endswith("s") and not word.endswith("ss") and \
                word not in known and word[:-1] in known:
            token.lemma_ = word[:-1]
    return nlp.get_pipe("entity_ruler")(doc)


@functools.lru_cache(maxsize=1)
def _phrase_lemmas() -> frozenset[str]:
    """Every lemma the entity patterns match on."""
    lemmas: set[str] = set()
    for pattern in load_pipeline().get_pipe("entity_ruler").patterns:
        for token in pattern["pattern"] if isinstance(pattern["pattern"], list) else []:
            lemma = token.get("LEMMA")
            if isinstance(lemma, str):
                lemmas.add(lemma)
    return frozenset(lemmas)


def _texting_word(text: str, ent, occupation: Occupation) -> bool:
    """A job's alias that is also a texting word ("bored rn" is "right now", "an hr" an hour), written in small
    letters and not right after a word the catalog says it names the job after ("be an rn", "work in hr")."""
    words_before = occupation.words_needed_before(ent.text)
    if words_before is None or text[ent.start_char:ent.end_char].isupper():
        return False
    return ent.start == 0 or ent.doc[ent.start - 1].lower_ not in words_before


def distinct_items(mentions: list[Mention]) -> list[Mention]:
    """The first mention of each item: "i like cooking, i make dinner" names one activity twice, and a message keeps
    one row per item (interest_mentions is unique on plan, message and item id)."""
    seen: set[str] = set()
    return [mention for mention in mentions if mention.item_id not in seen and not seen.add(mention.item_id)]


def rejected_in_clause(before: str, negation: re.Pattern = CLAUSE_NEGATION) -> bool:
    """Whether the words before a mention reject it: a negation in its clause, or "anything but"."""
    before = " ".join(before.lower().replace("\u2019", "'").split()) + " "
    if ANYTHING_BUT.search(before):
        return True
    return bool(negation.search(NOT_A_NEGATION.sub(" ", CLAUSE_BREAK.split(before)[-1])))


def _resolve(kind: str, item_id: str) -> tuple[str, str] | None:
    if kind == "career":
        occupation = occupations().get(item_id)
        return (occupation.title, occupation.riasec[0]) if occupation else None
    catalog = activities() if kind == "activity" else school_subjects() if kind == "school_subject" else {}
    item = catalog.get(item_id)
    return (item.label, item.riasec[0]) if item else None
