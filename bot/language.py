"""Tells a Spanish message from an English one, so the bot can answer a Spanish speaker in Spanish.

Counts words that are common in one language and rare in the other. A Spanish word or two inside an
English sentence ("my tío taught me to weld") stays English; a message counts as Spanish when it has
at least two Spanish words and twice as many as English ones, or when it asks for
Spanish in Spanish ("¿hablas español?").
"""
from __future__ import annotations

import re
import unicodedata

SPANISH = "es"
ENGLISH = "en"
WORD = re.compile(r"[^\W\d_]+")
# Written without accents: students often leave them out, and the text is compared without them.
SPANISH_WORDS = frozenset("""
    que de el la los las un una unos unas y o pero porque por para con sin sobre entre hasta desde
    es soy eres esta estan estoy estas era fue ser estar tengo tiene tienes tienen hay hace hago
    yo tu usted ella nosotros ellos ellas mi mis su sus nuestro me te se le les nos lo
    como cuando donde quien cual cuanto muy mas menos tambien siempre nunca nada nadie algo alguien todo todos
    ya aqui alli ahora hoy manana ayer bien mal mucho poco si no gracias hola adios
    quiero quieres puedo puedes puede necesito necesita ayuda hablar habla hablo espanol ingles
    vida vivir morir matar casa escuela clase trabajo familia padre madre hermano hermana
    amigo amiga miedo triste sola dolor golpea pega nadie siento sentir
""".split())
ENGLISH_WORDS = frozenset("""
    the a an and or but because for with without about to of in on at from into by as is are am was were be been
    i you he she we they it me my your his her our their them us this that these those what when where who how why
    do does did have has had will would can could should not no yes just like want need get go going gonna
    really very so too also about some any all more most much many good bad thanks hi hello
""".split()) - SPANISH_WORDS
# "no" and "me" are Spanish here: an English message that has them has English words around them.
ASKS_FOR_SPANISH = re.compile(r"\b(espanol|en espanol|hablas|habla|hablar)\b")


def language_of(text: str) -> str:
    words = WORD.findall(without_accents(text[:2000].lower()))
    spanish = sum(word in SPANISH_WORDS for word in words)
    english = sum(word in ENGLISH_WORDS for word in words)
    if "¿" in text or "¡" in text or "ñ" in text.lower():
        spanish += 1
    if spanish >= 2 and spanish >= 2 * english:
        return SPANISH
    if spanish >= 1 and not english and ASKS_FOR_SPANISH.search(" ".join(words)):
        return SPANISH
    return ENGLISH


def without_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")
