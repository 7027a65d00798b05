"""Career exploration: careers that fit the student's plan, and what a career is like."""
from __future__ import annotations

import dataclasses
import functools
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.careers.catalog import Occupation, load_catalog, occupation_titled, occupations
from bot.careers.matching import CareerMatch, Said, StudentProfile, evidence_words, match_careers
from bot.careers.pay import load_pay, soc_code
from bot.careers.profiles import CareerProfile, build_profile
from bot.conversation_events import earlier_user_messages
from bot.db.tables import Answer, CareerInterest, Plan
from bot.db.unit_of_work import UnitOfWork
from bot.errors import InvalidAnswer
from bot.interests.catalog import interest_code_words
from bot.interests.inventory import inventory_items
from bot.nlp.mentions import CLAUSE_NEGATION, Mention, find_mentions, rejected_in_clause
from bot.plans.content import postsecondary_options, work_values
from bot.plans.readings import is_hedged, is_question, states_an_aim
from bot.plans.services import (
    ALREADY_SAVED,
    STUDENT,
    Author,
    Recogniser,
    authored,
    liked_mentions,
    live,
    quiz_answers,
    revive,
    save_once,
)
from bot.plans.view import PlanView, plan_view
from bot.roster.services import get_student


@dataclass(frozen=True)
class Suggestions:
    matches: list[CareerMatch]
    code: str  # the plan's interest code
    evidence: str  # what the matches rest on: "14 of 42 quiz answers and 3 things you told me"
    thin: bool  # too little to go on: the reply says so and offers the quiz

    @property
    def has_interests(self) -> bool:
        return bool(self.code)

    @property
    def intro(self) -> str:
        code = interest_code_words(self.code)
        return (f"Here are some careers that fit you, based on {self.evidence}."
                + (f" Your interest code is {code}." if code else ""))

    @property
    def thin_note(self) -> str:
        return ("That isn't much to go on yet, so take these as a first look. The more of the quiz you answer, "
                "the better they fit.")


# What a student wrote that can name careers they do not want ("anything but a dentist").
ANSWERS_NAMING_CAREERS = ("interest_statement", "career_goal", "careers_to_explore")


# A statement relates to the careers whose title and description read closest to it, at most this many,
# from this cosine similarity up (all-MiniLM-L6-v2): "i love fixing engines" meets the mechanics at 0.5-0.6,
# "i like hanging out with my friends" no career above 0.2.
RELATED_PER_STATEMENT = 5
RELATED_MIN_SIMILARITY = 0.3
Relate = Callable[[list[str], dict[str, Occupation]], list[tuple[tuple[str, float], ...]]]


def related_careers(texts: list[str], catalog: dict[str, Occupation]) -> list[tuple[tuple[str, float], ...]]:
    """For each text, the careers whose title and description the sentence encoder reads as close to it."""
    if not texts:
        return []
    from bot.encoder.runtime import load_encoder

    codes = tuple(sorted(code for code, occupation in catalog.items() if occupation.riasec))
    vectors = _career_vectors(tuple(_career_text(catalog[code]) for code in codes))
    related = []
    for similarities in load_encoder().encode(texts) @ vectors.T:
        best = np.argsort(-similarities)[:RELATED_PER_STATEMENT]
        related.append(tuple((codes[i], round(float(similarities[i]), 3)) for i in best
                             if similarities[i] >= RELATED_MIN_SIMILARITY))
    return related


def warm_up_career_vectors(uow: UnitOfWork) -> int:
    """Encode the catalog's careers now, so the first "what jobs fit me" after a start does not wait seconds
    for it. Returns how many careers were encoded."""
    with uow:
        catalog = load_catalog(uow.session)
    related_careers(["warm-up"], catalog)
    return sum(1 for occupation in catalog.values() if occupation.riasec)


def _career_text(occupation: Occupation) -> str:
    return f"{occupation.title}: {occupation.description or ''}"


@functools.lru_cache(maxsize=2)
def _career_vectors(texts: tuple[str, ...]) -> np.ndarray:
    from bot.encoder.runtime import load_encoder

    return load_encoder().encode(list(texts))


def suggest_careers(uow: UnitOfWork, external_id: str, limit: int = 5,
                    recognise: Recogniser = find_mentions, relate: Relate = related_careers) -> Suggestions:
    with uow:
        student = get_student(uow.session, external_id)
        plan = plan_view(uow.session, student)
        catalog = load_catalog(uow.session)
        profile = matching_profile(uow.session, student.plan, plan, catalog, recognise, relate)
    return Suggestions(match_careers(profile, catalog.values(), limit=limit), plan.interests.code,
                       evidence_words(profile), profile.thin)


def matching_profile(session: Session, plan_row: Plan | None, plan: PlanView, catalog: dict[str, Occupation],
                     recognise: Recogniser = find_mentions, relate: Relate = related_careers) -> StudentProfile:
    """Everything the plan holds about what the student likes (see StudentProfile): quiz answers, what they
    said with the types and careers read from it and the careers it reads close to, saved careers, careers
    they took back or said no to, work values and the plan after high school."""
    if plan_row is None:
        return StudentProfile(quiz_total=len(inventory_items()))
    answered = quiz_answers(session, plan_row)
    quiz = tuple((item, answered[item.id][1]) for item in inventory_items() if item.id in answered)  # quiz order
    answers = list(session.scalars(select(Answer).where(
        Answer.plan_id == plan_row.id, Answer.topic.in_(ANSWERS_NAMING_CAREERS), live(Answer)).order_by(Answer.id)))
    said_no = {mention.item_id for answer in answers for mention in recognise(answer.text)
               if mention.kind == "career" and said_no_to(answer.text, mention)}
    mentions_by_event = defaultdict(list)
    for mention in liked_mentions(session, plan_row):
        if mention.item_id not in said_no:
            mentions_by_event[mention.source_event].append(mention)
    said = []
    # A statement no type was read from is still the student's words: the encoder may relate it to careers.
    for answer in (answer for answer in answers if answer.topic == "interest_statement"):
        mentions = mentions_by_event.get(answer.source_event, [])
        said.append(Said(answer.text, tuple(dict.fromkeys(mention.riasec for mention in mentions)),
                         tuple(mention.item_id for mention in mentions if mention.kind == "career")))
    said = [dataclasses.replace(statement, related=related)
            for statement, related in zip(said, relate([statement.text for statement in said], catalog),
                                          strict=True)]
    taken_back = set(session.scalars(select(CareerInterest.onet_soc).where(
        CareerInterest.plan_id == plan_row.id, CareerInterest.retracted_at.is_not(None))))
    values = work_values()
    return StudentProfile(
        quiz=quiz, quiz_total=len(inventory_items()), said=tuple(said),
        saved=tuple(catalog[career.onet_soc] for career in plan.careers if career.onet_soc in catalog),
        rejected=frozenset(taken_back | said_no),
        values=tuple(values[value] for value in plan.values if value in values),
        postsecondary=postsecondary_options().get(plan.postsecondary or ""),
    )


# Matching leaves out more than saving does: a bare "no" before a career in its clause counts here.
_NEGATION_OR_NO = re.compile(CLAUSE_NEGATION.pattern[:-3] + r"|no)\b")


def said_no_to(text: str, mention: Mention) -> bool:
    """Whether the words reject the career they name: "i dont want to be a dentist", "a nurse, not a doctor",
    "anything but a dentist", "no dentist" (see bot.nlp.mentions.rejected_in_clause)."""
    if mention.disliked:
        return True
    words = " ".join(text.lower().replace("\u2019", "'").split())
    at = words.find(mention.text.lower())
    return at >= 0 and rejected_in_clause(words[:at], _NEGATION_OR_NO)


def find_career(uow: UnitOfWork, career_id: str | None, text: str | None) -> Occupation:
    """The career a button names (its O*NET-SOC code) or the first one the student's words mention."""
    with uow:
        catalog = load_catalog(uow.session)
    return _named_career(catalog, career_id, text)


def describe_career(uow: UnitOfWork, career_id: str | None, text: str | None) -> CareerProfile:
    """The profile of the career a button or the student's words name ("tell me more")."""
    with uow:
        catalog = load_catalog(uow.session)
        occupation = _named_career(catalog, career_id, text)
        pay = load_pay(uow.session, [soc_code(occupation.onet_soc)])
    return build_profile(occupation, catalog, pay)


def _named_career(catalog: dict[str, Occupation], career_id: str | None, text: str | None) -> Occupation:
    if career_id and career_id in catalog:
        return catalog[career_id]
    for mention in find_mentions(text or ""):
        if mention.kind == "career" and mention.item_id in catalog:
            return catalog[mention.item_id]
    occupation = occupation_titled(catalog, text or "")
    if occupation is not None:
        return occupation
    raise InvalidAnswer("unknown_career", "no career in the catalog was named")


def save_career(uow: UnitOfWork, external_id: str, career_id: str | None, source_event: str,
                author: Author = STUDENT) -> tuple[Occupation, bool]:
    """Adds a career (a suggestion's button) to the student's careers of interest; returns it and whether it was already there."""
    occupation = find_career(uow, career_id, None)

    def write(session: Session, plan: Plan) -> bool:
        row = session.scalar(select(CareerInterest).where(
            CareerInterest.plan_id == plan.id, CareerInterest.onet_soc == occupation.onet_soc))
        if row is None:
            session.add(CareerInterest(plan_id=plan.id, onet_soc=occupation.onet_soc, title=occupation.title,
                                       **authored(author, source_event)))
            return False
        return not revive(row, author, source_event)

    result = save_once(uow, external_id, "career_saved", occupation.onet_soc, source_event, author, write)
    return occupation, result is ALREADY_SAVED or bool(result)


def _named_alone(text: str, title: str, mentions: Sequence[Mention]) -> Mention | None:
    """The career the words are nothing but the name of (a question or a sentence about it is not)."""
    if not text or is_question(text) or is_hedged(text):
        return None
    named = [mention for mention in mentions if mention.kind == "career" and not mention.disliked]
    if len(named) != 1 or named[0].label != title or not states_an_aim(text, named[0].text):
        return None
    return named[0]


# What may stand around a career floated as a maybe: "maybe like an architect?", "a vet maybe? i dont know".
# "when im older", "someday": a time in the future, which leaves the job a maybe.
_FLOATING = re.compile(r"\b(?:maybe|perhaps|possibly|prob(?:ably)?|like|a|an|the|or\s+(?:something|smth)|idk|i\s+dunno|"
                       r"i\s+(?:do\s*n[o']?t|dont)\s+know|not\s+sure|i\s+(?:think|guess)|kinda|kind\s+of|lol|hmm+|um+|"
                       r"so|when\s+i'?m\s+(?:older|grown(?:\s+up)?|an?\s+adult)|when\s+i\s+grow\s+up|some\s*day|"
                       r"one\s+day|later(?:\s+on)?|in\s+the\s+future)\b|[^\w\s]")

# "hmm maybe that", "that one maybe?": a maybe about the job just talked about, with nothing else said.
_THAT_ONE = re.compile(r"\b(?:that\s+one|that\s+job|this\s+one|that|this|it|those)\b")


def floats_the_job_talked_about(text: str) -> bool:
    """The words float "that" as a maybe and say nothing more ("hmm maybe that"): the job just talked about."""
    if not text or not is_hedged(text) or not _THAT_ONE.search(text.casefold()):
        return False
    return not _FLOATING.sub(" ", _THAT_ONE.sub(" ", text.casefold().replace("\u2019", "'"))).strip()


def _floated(text: str, title: str, mentions: Sequence[Mention]) -> Mention | None:
    """The career the words float as a maybe and name nothing else ("maybe like an architect?"): the student may
    mean it, so the bot asks; a question about it ("maybe, but what do architects earn?") is not that."""
    if not text or not is_hedged(text):
        return None
    named = [mention for mention in mentions if mention.kind == "career" and not mention.disliked]
    if len(named) != 1 or named[0].label != title:
        return None
    rest = text.casefold().replace("\u2019", "'").replace(named[0].text.casefold(), " ")
    return named[0] if not _FLOATING.sub(" ", rest).strip() else None


def career_meant(text: str, title: str) -> Mention | None:
    """The career titled `title` when the words name it alone or float it as a maybe, whatever NLU read them as
    ("i know exactly what i want, software developer", "maybe like an architect?"): the bot asks whether it is the
    goal."""
    mentions = find_mentions(text or "")
    return _named_alone(text, title, mentions) or _floated(text, title, mentions)


# How far back "that" reaches: the student's last few messages (a career named, or a career's button tapped).
LOOK_BACK = 4
# "can i talk to my counselor", "my dad is a welder": a person the student knows, not a job asked about.
SOMEONES = r"\b(my|your|his|her|our|their|ur)\s+"


def career_asked_about(text: str) -> str | None:
    """The career a question names as a job (not rejected, not "my counselor"), or None."""
    lowered = text.casefold()
    for mention in find_mentions(text):
        if mention.kind == "career" and not mention.disliked and \
                not re.search(SOMEONES + re.escape(mention.text.casefold()), lowered):
            return mention.item_id
    return None


def career_mention(career_id: str) -> Mention:
    """A catalog career as if the student had named it by its title (to ask about it by name)."""
    occupation = occupations()[career_id]
    return Mention("career", occupation.onet_soc, occupation.title, (occupation.riasec or " ")[0].strip(), occupation.title)


def career_in_context(events: Sequence[dict], look_back: int = LOOK_BACK) -> str | None:
    """The O*NET-SOC id of the career the student's recent messages name (a button's career_id, or a job named in
    their words and not rejected), the most recent first; None when none of the last `look_back` names one."""
    for event in earlier_user_messages(list(events), look_back):
        for found in (event.get("parse_data") or {}).get("entities") or []:
            if found.get("entity") == "career_id" and isinstance(found.get("value"), str):
                return found["value"]
        text = event.get("text") or ""
        if text.startswith("/"):
            continue
        for mention in find_mentions(text):
            if mention.kind == "career" and not mention.disliked:
                return mention.item_id
    return None
