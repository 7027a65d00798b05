"""Screens one student message: rules on the spaCy pipeline, then the sentence reader, then the intent classifier.

The rules catch the phrasings data/safety lists. The sentence reader (bot.safety.classifier) reads the
message and each of its sentences through the sentence encoder: on its own word it raises a crisis it
is sure of, and the intent classifier's crisis guess counts only when the reader sees some risk too
(on its own, that guess raised false alarms on dates and names typed into a form).

A message an adult types about a student (an advisor's report: "she said her dad hits her") is also
screened as if the student said it, since the lexicon is written in the first person.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Sequence

from bot.language import SPANISH, language_of
from bot.nlp.pipeline import load_pipeline
from bot.safety.categories import CATEGORIES, CRISIS, category_of_intent
from bot.safety.classifier import NONE, WORD, concern_probabilities, screened_units
from bot.safety.lexicon import FOLLOW_UP_ONLY_NEAR_MISSES, NEAR_MISS_PREFIX, Lexicon, compile_lexicon

MAX_SCREENED_CHARS = 200_000  # far above what the web app accepts; a crisis line may come last
NEGATION_LEMMAS = {"not", "n't", "never"}
# Words that may stand between a negation and what it negates: "not (going to) hurt myself".
NEGATION_BRIDGE = {"i", "be", "going", "go", "to", "gonna", "ever", "really", "even", "want", "do", "would",
                   "will", "try", "think", "about", "plan", "on", "actually", "just", "can", "could"}
MAX_BRIDGE_WORDS = 3
REPEATED_LETTER = re.compile(r"([a-z])\1{2,}")
# Third person to first, for reported speech. "her" is an object or a possessive: both readings are tried.
THIRD_PERSON = {"he": "i", "she": "i", "they": "i", "him": "me", "them": "me", "his": "my", "their": "my",
                "himself": "myself", "herself": "myself", "themselves": "myself", "themself": "myself",
                "he's": "i am", "she's": "i am", "they're": "i am", "he'd": "i would", "she'd": "i would",
                "they'd": "i would", "he'll": "i will", "she'll": "i will", "they'll": "i will"}
# Words after which "her" is the object of a verb, not a possessive: "hits her when", "touched her again".
OBJECT_FOLLOWERS = {"at", "in", "on", "during", "over", "when", "if", "and", "again", "every", "so", "because", "with", "to", "for",
                    "after", "before", "up", "down", "out", "off", "too", "really", "all", "the", "a", "an", "that",
                    "while", "or", "but", "until", "till", "whenever", "sometimes", "alone", "home", "there", "like",
                    "last", "this", "yesterday", "today", "tonight", "anymore", "lol", "hard", "badly"}
SAFETY_KEY = "safety"  # where the Rasa component puts the screen's Concern in a message's parse data
DEFAULT_CRISIS_THRESHOLD = 0.2
DEFAULT_FOLLOW_UP_THRESHOLD = 0.6
# The sentence reader's thresholds, chosen on the regression sets (tests/safety/*.yml, dev/, tuned/) with the rules
# and the reader alone (`python -m bot.safety.report` without --model), and on whole conversations, never on a set
# while it is blind (README: "Safety screen"). A crisis category this probable in the message or one sentence, in
# English and Spanish. The reader is the mean of three perceptrons since 2026-12-07: on those sets (1,587 crises,
# 4,961 cases labelled none) it caught 1,489 crises at 0.95 with 30 crisis replies on cases labelled none, where one
# perceptron with the examples before had caught 1,464 with 36. At 0.9 it caught 1,513 with 39, but answered a goal
# step's new date ("actually no make it dec 15 my teacher wants it before break", 0.91) with the crisis script.
READER_CRISIS_THRESHOLD = 0.95
# The intent classifier's crisis guess needs at least this many words to count.
MIN_CLASSIFIER_WORDS = 3
READER_AGREES_THRESHOLD = 0.2  # the least the reader gives a crisis category for the intent classifier's guess of it
# On the same sets, 604 follow-ups: 524 right at 0.9, with any flag on 73 cases labelled none (one perceptron: 526
# and 84). 0.85 got 4 more right but flagged "im just gonna work after high school, i need the money" (financial,
# 0.897) instead of saving the plan.
READER_FOLLOW_UP_THRESHOLD = 0.9
# Below the crisis threshold, a crisis category this probable in the message or one sentence gets a check-in: "are
# you okay right now?", with buttons; only an answer that is not "I'm okay" brings the crisis reply and the urgent
# flag (actions/safety.py). Inside the goal and values questions a check-in is taken as the answer (domain.yml).
# Chosen on the regression sets with the whole pipeline and on the regression whole conversations (2026-12-07,
# night): of the 72 crises the screen missed in the safety sets, 26 reached 0.5, 21 0.6, 17 0.7, 14 0.8, against
# 36, 23, 18 and 13 of 5,771 cases labelled none; outside forms, about 13, 8, 7 and 3 of the 2,238 turns of whole
# conversation sets A-F (0.58 %, 0.36 %, 0.31 %, 0.13 %), Spanish questions and "money is the most important
# thing to me tbh" (0.91) among them. The intent classifier's crisis guess gave those turns 0.1-0.2 as well, so
# it is no second opinion here. Never for an adult's note (the adult is not the one to ask).
READER_CHECK_IN_THRESHOLD = 0.6
MIN_CHECK_IN_WORDS = 3  # "wait what" (0.91) and "tal vez" (0.87) are too little to ask about
CHECK_IN = "check_in"  # a Concern's severity when the screen asks before it acts
CHECK_IN_INTENT = "safety_check_in"  # the message's intent then (components.safety_screen), which the rules answer
CHECK_IN_OTHERWISE = "otherwise"  # in a check-in's finding: the intent the message has if the student is okay
# The intent classifier's follow-up guess counts only when the reader gives its category this much:
# alone, it read course names typed into a form as academic trouble.
READER_FOLLOW_UP_AGREES_THRESHOLD = 0.2
Reader = Callable[[list[str]], list[dict[str, float]]]


@dataclass(frozen=True)
class Concern:
    category: str
    severity: str  # the category's (urgent | high | normal), or CHECK_IN
    source: str  # rules | reader (the sentence reader) | classifier (the intent classifier)
    matched: str  # the (normalised) words that triggered it
    confidence: float = 1.0

    @property
    def is_crisis(self) -> bool:
        return self.category in CRISIS and not self.is_check_in

    @property
    def is_check_in(self) -> bool:
        """Some sign of the crisis `category`, too weak to act on: the bot asks the student first."""
        return self.severity == CHECK_IN


@dataclass
class RuleHits:
    concerns: dict[str, str] = field(default_factory=dict)  # category -> matched words, first hit
    negated: set[str] = field(default_factory=set)  # categories only seen under a negation
    near_misses: set[str] = field(default_factory=set)  # kinds of data/safety/near_misses.yml found

    @property
    def near_miss(self) -> bool:
        return bool(self.near_misses - FOLLOW_UP_ONLY_NEAR_MISSES)

    def merged(self, other: "RuleHits") -> "RuleHits":
        concerns = {**other.concerns, **self.concerns}
        return RuleHits(concerns, (self.negated | other.negated) - set(concerns), self.near_misses | other.near_misses)


def screen(text: str, intent_ranking: Sequence[dict] = (), *, crisis_threshold: float = DEFAULT_CRISIS_THRESHOLD,
           follow_up_threshold: float = DEFAULT_FOLLOW_UP_THRESHOLD, reported: bool = False,
           language: str | None = None, read: Reader = concern_probabilities) -> Concern | None:
    """The most serious concern in `text`, or None; a weak sign of a crisis is a check-in (`Concern.is_check_in`).

    `intent_ranking` is Rasa's list of {"name", "confidence"}: a crisis intent above
    `crisis_threshold` anywhere in it counts when the sentence reader sees some risk too, unless
    the message is an idiom, career talk, or a crisis phrase the student negated; a follow-up
    intent counts only at the top. `reported`: an adult wrote it about a student, so its
    third-person readings are screened by the rules as well (the reader reads the third person).
    `language`: `language_of(text)`, when the caller has it already.
    """
    hits = rule_hits(text)
    if reported:
        for reading in first_person_readings(text):
            hits = hits.merged(rule_hits(reading))
    for category in CRISIS:
        if category in hits.concerns:
            return _concern(category, "rules", hits.concerns[category])
    units = screened_units(text)
    readings = read(units)
    # The reader alone does not overrule the rules on the words they explain away: an idiom, career
    # talk or a negated crisis phrase in the same sentence ("i'm not suicidal lol, just dead tired").
    unit_hits = [hits] + [rule_hits(unit) for unit in units[1:]]
    explained = [_explains_away(found) for found in unit_hits]
    crisis_readings, reread = _reread_without_near_misses(units, readings, unit_hits, read)
    crisis_read = max(((reading[category], category, unit)
                       for index, (unit, reading, vetoed) in enumerate(zip(units, crisis_readings, explained,
                                                                            strict=True))
                       if not vetoed or index in reread for category in CRISIS),
                      key=lambda found: found[0], default=(0.0, None, ""))
    language = language or language_of(text)
    if crisis_read[0] >= READER_CRISIS_THRESHOLD:
        return _concern(crisis_read[1], "reader", crisis_read[2][:200], crisis_read[0])
    # The intent classifier learned from students' own English words: an advisor's note or a Spanish
    # message is outside what it knows, and its crisis guesses there were mostly false alarms. Its
    # guess counts when the reader gives the same category some weight: "'; DROP TABLE students; --"
    # was abuse to it and a little violence to the reader.
    classifier_trusted = not _explains_away(hits) and not reported and language != SPANISH \
        and _enough_words_for_the_classifier(text)
    if classifier_trusted:
        guesses = [(entry.get("confidence") or 0.0, category_of_intent(entry.get("name"))) for entry in intent_ranking]
        crisis_guesses = [(confidence, category) for confidence, category in guesses
                          if category and category.is_crisis and confidence >= crisis_threshold
                          and max(reading[category.name] for reading in readings) >= READER_AGREES_THRESHOLD]
        if crisis_guesses:
            confidence, category = max(crisis_guesses, key=lambda guess: guess[0])
            return _concern(category.name, "classifier", "", confidence)
    for category in CATEGORIES:
        if category in hits.concerns:
            return _concern(category, "rules", hits.concerns[category])
    follow_up_read = max(((probability, category, unit)
                          for unit, reading, found in zip(units, readings, unit_hits, strict=True)
                          for category, probability in reading.items()
                          if category != NONE and category not in CRISIS and not _asks_about_the_bot(category, found)
                          and not _plans_study(category, found)),
                         key=lambda found: found[0], default=(0.0, None, ""))
    if follow_up_read[0] >= READER_FOLLOW_UP_THRESHOLD:
        return _concern(follow_up_read[1], "reader", follow_up_read[2][:200], follow_up_read[0])
    top = next((entry for entry in intent_ranking if entry.get("name") != "nlu_fallback"), None)
    top_category = category_of_intent(top.get("name")) if top else None
    if top_category and not top_category.is_crisis and not _asks_about_the_bot(top_category.name, hits) \
            and not hits.near_misses & FOLLOW_UP_ONLY_NEAR_MISSES \
            and (top.get("confidence") or 0.0) >= follow_up_threshold \
            and max(reading.get(top_category.name, 0.0) for reading in readings) >= READER_FOLLOW_UP_AGREES_THRESHOLD:
        return _concern(top_category.name, "classifier", "", top["confidence"])
    if crisis_read[0] >= READER_CHECK_IN_THRESHOLD and not reported and len(WORD.findall(text)) >= MIN_CHECK_IN_WORDS:
        return Concern(crisis_read[1], CHECK_IN, "reader", crisis_read[2][:200], round(crisis_read[0], 3))
    return None


def rule_hits(text: str) -> RuleHits:
    nlp, lexicon = _screen_pipeline()
    # The lemmatizer is all the rules need; the entity ruler would only cost time here.
    doc = nlp.get_pipe("lemmatizer")(nlp.make_doc(normalise(text, lexicon)))
    matches = [(nlp.vocab.strings[match_id], start, end) for match_id, start, end in lexicon.matcher(doc)]
    near_miss_spans = [(start, end) for name, start, end in matches if name.startswith(NEAR_MISS_PREFIX)
                       and name[len(NEAR_MISS_PREFIX):] not in FOLLOW_UP_ONLY_NEAR_MISSES]
    study_plan_spans = [(start, end) for name, start, end in matches if name.startswith(NEAR_MISS_PREFIX)
                        and name[len(NEAR_MISS_PREFIX):] in FOLLOW_UP_ONLY_NEAR_MISSES]
    hits = RuleHits(near_misses={name[len(NEAR_MISS_PREFIX):] for name, _, _ in matches
                                 if name.startswith(NEAR_MISS_PREFIX)})
    for name, start, end in sorted(matches, key=lambda match: match[1]):
        if name.startswith(NEAR_MISS_PREFIX) or name in hits.concerns:
            continue
        if any(span_start <= start and end <= span_end for span_start, span_end in near_miss_spans):
            continue
        # "get my english grade up" is a goal: a follow-up phrase inside study plans raises nothing; a crisis still does.
        if name not in CRISIS and any(span_start <= start and end <= span_end
                                      for span_start, span_end in study_plan_spans):
            continue
        if _negated(doc, start):
            hits.negated.add(name)
            continue
        hits.concerns[name] = doc[start:end].text
    hits.negated -= set(hits.concerns)
    return hits


def _reread_without_near_misses(units: list[str], readings: list[dict[str, float]], unit_hits: list[RuleHits],
                                read: Reader) -> tuple[list[dict[str, float]], set[int]]:
    """A sentence the reader finds a crisis in, which the rules explain away, is read again without the words that
    explain it away, and the lesser of the two readings counts. A single word of career or hobby talk ("doctor",
    "showed", "game") or an idiom ("kill me") vetoed the whole sentence: "nobody has taken me to a doctor in years",
    "he showed me a knife", "my ex said hell kill me if he sees me with anyone". Without "suicide prevention",
    "i want to work in suicide prevention" is nothing; without "doctor", the neglect is still there. A negated crisis
    phrase is taken out with its negation (since 2026-12-08): "i'm not suicidal lol, just dead tired" leaves nothing,
    but a denial followed by a disclosure ("i don't want to die, i want to stop existing", "he hits us but it's not
    abuse right") vetoed the disclosure with it."""
    again = [index for index, (reading, found) in enumerate(zip(readings, unit_hits, strict=True))
             if _explains_away(found) and max(reading[category] for category in CRISIS) >= READER_CHECK_IN_THRESHOLD]
    if not again:
        return readings, set()
    reread = dict(zip(again, read([without_near_misses(units[index]) for index in again]), strict=True))
    # Both readings must see the crisis: a sentence with words taken out is not always what a student would write,
    # and the reader read "my grandma said (over her dead body) am i getting a tattoo" as abuse.
    both = {index: {category: min(probability, readings[index][category]) for category, probability in second.items()}
            for index, second in reread.items()}
    return [both.get(index, reading) for index, reading in enumerate(readings)], set(both)


def without_near_misses(text: str) -> str:
    """`text` as the rules read it (normalised), without the words of the near misses found in it, nor its negated
    crisis phrases with their negation ("i would never hurt myself")."""
    nlp, lexicon = _screen_pipeline()
    doc = nlp.get_pipe("lemmatizer")(nlp.make_doc(normalise(text, lexicon)))
    covered: set[int] = set()
    for match_id, start, end in lexicon.matcher(doc):
        name = nlp.vocab.strings[match_id]
        if name.startswith(NEAR_MISS_PREFIX) and name[len(NEAR_MISS_PREFIX):] not in FOLLOW_UP_ONLY_NEAR_MISSES:
            covered.update(range(start, end))
        elif name in CRISIS and (negation := _negation_start(doc, start)) is not None:
            covered.update(range(negation, end))
    return "".join(token.text_with_ws for token in doc if token.i not in covered).strip()


def _enough_words_for_the_classifier(text: str) -> bool:
    """The intent classifier's crisis guesses on two-word due dates ("by xmas") were false alarms. Requiring
    common English words as well lost "honestly dying sounds peaceful rn", so only the length counts."""
    return len(WORD.findall(text)) >= MIN_CLASSIFIER_WORDS


def _explains_away(hits: RuleHits) -> bool:
    return hits.near_miss or bool(hits.negated & set(CRISIS))


def _asks_about_the_bot(category: str, hits: RuleHits) -> bool:
    """'are you a real person?' and 'can my teachers read what i type' are questions the bot answers: the reader's
    and the intent classifier's follow-up guesses on them do not count (the reader read the second as a request
    for accommodations at 0.996); a rule's words for a follow-up still do. Never a crisis."""
    return category not in CRISIS and "about_the_bot" in hits.near_misses


def _plans_study(category: str, hits: RuleHits) -> bool:
    """'step go to tutoring tuesdays' names a plan: the reader's academic reading of it does not count unless a
    rule finds trouble in the same words ('i need tutoring because im failing everything')."""
    return category == "academic" and bool(hits.near_misses & FOLLOW_UP_ONLY_NEAR_MISSES) \
        and category not in hits.concerns


def first_person_readings(text: str) -> list[str]:
    """ "his dad hits her" as "my dad hits me": reported speech in the lexicon's person.

    "her" before a noun is a possessive ("she hurt her knee": "i hurt my knee", not "hurt me"); before
    a little word or at the end it is an object ("he hits her when he drinks": "he hits me").
    """
    def first_person(match: re.Match) -> str:
        word = match.group(0).lower()
        if word == "her":
            following = WORD.match(text, _skip_spaces(text, match.end()))
            return "me" if following is None or following.group(0).lower() in OBJECT_FOLLOWERS else "my"
        return THIRD_PERSON.get(word, match.group(0))
    return [WORD.sub(first_person, text[:MAX_SCREENED_CHARS])]


def _skip_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position] == " ":
        position += 1
    return position


def normalise(text: str, lexicon: Lexicon) -> str:
    text = unicodedata.normalize("NFKC", text[:MAX_SCREENED_CHARS]).lower().replace("\u2019", "'")
    text = REPEATED_LETTER.sub(r"\1", text)
    return lexicon.expand_shorthand(text)


def _negated(doc, start: int) -> bool:
    """True when a negation governs the words at `start`, bridged by at most a few helper words."""
    return _negation_start(doc, start) is not None


def _negation_start(doc, start: int) -> int | None:
    """The index of the negation that governs the words at `start`, bridged by at most a few helper words, or None."""
    bridged = 0
    for token in reversed(doc[:start]):
        if token.lemma_ in NEGATION_LEMMAS or token.lower_ in NEGATION_LEMMAS:
            return token.i
        if token.lemma_ not in NEGATION_BRIDGE and token.lower_ not in NEGATION_BRIDGE:
            return None
        bridged += 1
        if bridged > MAX_BRIDGE_WORDS:
            return None
    return None


def _concern(category: str, source: str, matched: str, confidence: float = 1.0) -> Concern:
    return Concern(category, CATEGORIES[category].severity, source, matched, round(float(confidence), 3))


@functools.lru_cache(maxsize=1)
def _screen_pipeline():
    nlp = load_pipeline()
    return nlp, compile_lexicon(nlp)
