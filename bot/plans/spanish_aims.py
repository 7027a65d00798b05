"""A career or a path after high school said in Spanish: "quiero ser enfermera", "después de la prepa voy a ir a
un colegio comunitario". The bot works in English, so the Spanish words for jobs and paths are put in English
(data/language/spanish_aims.yml) and the English readers name what was meant. What this finds is only ever asked
about ("Save "Registered Nurse" as your career goal?"), never saved on this reading alone.
"""
from __future__ import annotations

import functools
import re

from bot.data_files import load_yaml
from bot.errors import InvalidAnswer
from bot.language import without_accents
from bot.nlp.mentions import Mention, find_mentions
from bot.plans.postsecondary import PostsecondaryOption, parse_postsecondary

# The student's own aim, said outright ("yo quiero ser", "me gustaría ser", "mi sueño es ser"), not a parent's wish
# ("mi mamá quiere que sea doctora").
CAREER_AIM = re.compile(r"\b(?:quiero ser|voy a ser|me gustaria ser|quisiera ser|mi sueno es ser|planeo ser)\b")
# A plan of one's own for after high school.
PATH_AIM = re.compile(r"\b(?:despues de (?:la prepa|la escuela|graduarme|high school|la high)|voy a ir a|quiero ir a|"
                      r"voy a estudiar en|me voy a (?:meter|enlistar|ir)|voy a entrar|voy a trabajar|quiero trabajar|"
                      # "quiero estudiar en ...", "voy a la universidad", "voy al colegio comunitario".
                      r"quiero estudiar en|pienso estudiar en|voy a la|voy al)\b")

# Something the student likes doing, said in Spanish: "me gusta dibujar", "me encanta arreglar carros".
LIKING = re.compile(r"^(?:(?:pues|bueno|yo|a mi|y|tambien|la verdad)[\s,]+)*(?:me gusta|me gustan|me encanta|me encantan|"
                    r"disfruto)\s+\w")


def plain(text: str) -> str:
    """Lower case without accents: students often leave them out."""
    return without_accents(text.casefold())


@functools.lru_cache(maxsize=1)
def _words_in_english() -> tuple[tuple[re.Pattern[str], str], ...]:
    words = load_yaml("language/spanish_aims.yml")
    pairs = {**words["careers"], **words["paths"]}
    # Longest first, so "trabajadora social" is put in English before "trabajar" could be.
    return tuple((re.compile(rf"\b{re.escape(plain(spanish))}\b"), english)
                 for spanish, english in sorted(pairs.items(), key=lambda pair: len(pair[0]), reverse=True))


def in_english_words(text: str) -> str:
    """The message with the Spanish words for jobs and paths put in English ("quiero ser a nurse")."""
    words = plain(text)
    for spanish, english in _words_in_english():
        words = spanish.sub(english, words)
    return words


def career_aimed_at(text: str) -> Mention | None:
    """The catalog career a Spanish message says the student wants to be, or None."""
    if not CAREER_AIM.search(plain(text)):
        return None
    return career_in_spanish_words(text)


def career_in_spanish_words(text: str) -> Mention | None:
    """The catalog career a Spanish job word names inside an English sentence ("i wanna be an enfermera like my tia"),
    or None. Whether the words say it is the student's aim is the caller's to judge."""
    return next((mention for mention in find_mentions(in_english_words(text))
                 if mention.kind == "career" and not mention.disliked), None)


def path_aimed_at(text: str) -> PostsecondaryOption | None:
    """The path after high school a Spanish message says the student will take, or None."""
    if not PATH_AIM.search(plain(text)):
        return None
    try:
        return parse_postsecondary(in_english_words(text))
    except InvalidAnswer:
        return None


def likes_in_spanish(text: str) -> bool:
    """The Spanish message says what the student likes doing ("me gusta ayudar a mi mamá en la cocina"): kept in their
    words once they say yes."""
    return bool(LIKING.search(plain(text)))
