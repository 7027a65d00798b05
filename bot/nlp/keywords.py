"""Finds which of a catalog's items an answer names by keyword, compared by lemma with the spaCy pipeline.

Kept apart from the content files (`bot.plans.content`), so that reading those loads no spaCy.
"""
from __future__ import annotations

import functools
import re

from bot.nlp.pipeline import load_pipeline


def match_keyword(text: str, keywords_by_id: dict[str, tuple[str, ...]]) -> str | None:
    """The id whose keyword appears in the text, compared by lemma ("being my own boss" has "be my own boss");
    the longest keyword wins."""
    words = " " + _lemmas(text) + " "
    best: tuple[int, str] | None = None
    for item_id, keywords in keywords_by_id.items():
        for keyword in keywords:
            phrase = " " + _lemmas(keyword) + " "
            if phrase.strip() and phrase in words and (best is None or len(phrase) > best[0]):
                best = (len(phrase), item_id)
    return best[1] if best else None


# Texting shorthand read as the word it stands for before keywords are compared ("helping ppl" is "helping people").
SHORTHAND = {"ppl": "people", "ppls": "people", "u": "you", "ur": "your", "w": "with", "bc": "because", "cuz": "because",
             "b4": "before", "smth": "something", "sth": "something", "thru": "through", "rly": "really",
             "alot": "a lot", "gud": "good"}


@functools.lru_cache(maxsize=4096)
def _lemmas(text: str) -> str:
    nlp = load_pipeline()
    words = re.sub(r"[^a-z0-9']+", " ", text.lower()).split()
    doc = nlp.get_pipe("lemmatizer")(nlp.make_doc(" ".join(SHORTHAND.get(word, word) for word in words)))
    return " ".join(token.lemma_ or token.lower_ for token in doc if not token.is_space)
