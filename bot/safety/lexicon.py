"""The safety screen's phrase lists (data/safety/*.yml), compiled into a spaCy Matcher on lemmas."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.data_files import load_yaml
from bot.safety.categories import CATEGORIES

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import Matcher

MAX_GAP_WORDS = 2  # what `*` stands for: spaCy 3.4's Matcher has no {0,n} operator
NEAR_MISS_KINDS = ("idioms", "career_talk", "about_the_bot", "study_plans")
# Study help named as a plan ("go to tutoring with Mr. Lee") only keeps the intent classifier from raising a
# follow-up category on its own guess; it explains away no crisis and no rule hit.
FOLLOW_UP_ONLY_NEAR_MISSES = frozenset({"study_plans"})
NEAR_MISS_PREFIX = "near_miss:"


@dataclass(frozen=True)
class Lexicon:
    matcher: "Matcher"  # match ids: "<category>" or "near_miss:<kind>"
    shorthand: dict[str, str]
    shorthand_words: re.Pattern  # any shorthand word, whole

    def expand_shorthand(self, text: str) -> str:
        return self.shorthand_words.sub(lambda match: self.shorthand[match.group(1)], text)


def compile_lexicon(nlp: "Language") -> Lexicon:
    from spacy.matcher import Matcher

    matcher = Matcher(nlp.vocab)
    for file_name in ("crisis.yml", "follow_up.yml"):
        for category, phrases in load_yaml(f"safety/{file_name}").items():
            if category not in CATEGORIES:
                raise ValueError(f"data/safety/{file_name}: unknown category {category!r}")
            matcher.add(category, [phrase_pattern(nlp, phrase) for phrase in phrases])
    near_misses = load_yaml("safety/near_misses.yml")
    for kind in NEAR_MISS_KINDS:
        matcher.add(NEAR_MISS_PREFIX + kind, [phrase_pattern(nlp, phrase) for phrase in near_misses[kind]])
    shorthand = {str(word).lower(): str(meaning).lower() for word, meaning in load_yaml("safety/shorthand.yml").items()}
    _refuse_unreachable_words(shorthand)
    return Lexicon(matcher, shorthand, _whole_words(shorthand))


def unreachable_words(phrase: str, shorthand: dict[str, str]) -> list[str]:
    """Phrase words that can never match: shorthand.yml rewrites the message before matching, so a word it
    rewrites is gone by then ("razor blade" never matched: "blade" is read as "knife"). An alternative is
    harmless when the rewrite's first word is among its neighbours ("knife|blade", "want|wanna")."""
    unreachable = []
    for word in str(phrase).split():
        if word.startswith("!"):
            continue
        alternatives = [alternative.lower() for alternative in word.rstrip("?").split("|")]
        unreachable += [alternative for alternative in alternatives
                        if alternative in shorthand and shorthand[alternative].split()[0] not in alternatives]
    return unreachable


def _refuse_unreachable_words(shorthand: dict[str, str]) -> None:
    for file_name in ("crisis.yml", "follow_up.yml", "near_misses.yml"):
        for phrases in load_yaml(f"safety/{file_name}").values():
            for phrase in phrases:
                for word in unreachable_words(phrase, shorthand):
                    raise ValueError(f"data/safety/{file_name}: in {phrase!r}: {word!r} is rewritten as "
                                     f"{shorthand[word]!r} by shorthand.yml before matching, so it never matches")


def phrase_pattern(nlp: "Language", phrase: str) -> list[dict]:
    """Turns one phrase of data/safety (syntax in its README) into a spaCy Matcher pattern."""
    pattern: list[dict] = []
    for word in str(phrase).split():
        if word == "*":
            pattern.extend({"OP": "?"} for _ in range(MAX_GAP_WORDS))
            continue
        try:
            pattern.append(_token_pattern(nlp, word))
        except ValueError as error:
            raise ValueError(f"data/safety: in {phrase!r}: {error}") from None
    return pattern


def _token_pattern(nlp: "Language", word: str) -> dict:
    optional = word.endswith("?")
    word = word.rstrip("?")
    token: dict[str, object]
    if word.startswith("!"):
        token = {"LOWER": {"NOT_IN": word[1:].split("|")}}
    else:
        alternatives = word.split("|")
        lemmas = [_lemma(nlp, alternative) for alternative in alternatives]
        if all(lemma != alternative for lemma, alternative in zip(lemmas, alternatives, strict=True)):
            token = {"LOWER": {"IN": alternatives}}  # only the forms written: "been", "cutting"
        else:
            token = {"LEMMA": {"IN": sorted(set(lemmas))}}  # every form: "kill" is also "killed"
    if optional:
        token["OP"] = "?"
    return token


def _lemma(nlp: "Language", word: str) -> str:
    doc = nlp.make_doc(word)
    if len(doc) != 1:
        raise ValueError(f"{word!r} is more than one word; write the words apart")
    return nlp.get_pipe("lemmatizer")(doc)[0].lemma_ or word


def _whole_words(words) -> re.Pattern:
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w'])({alternatives})(?![\w'])")
