"""How sure a reading of typed words is, before anything is written from them.

Pure functions on the text: is it an answer at all ("idk"), a question, hedged ("prob college or smth"),
a career stated as an aim ("I want to be a nurse"), a correction of the answer just given ("wait no my
step is X"), or a request to take the last save back ("undo that")? The actions decide what to do with
the answer: save it, ask first, or help.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Words a student puts before an answer that carry no meaning of their own.
_FILLER_WORDS = r"ok(?:ay)?|k|so|um+|uh+|ugh+|hmm+|well|hey|lol|and|but|actually|oh|like|yeah"
_FILLER = rf"(?:{_FILLER_WORDS}|wait)"
_LEADING_FILLER = re.compile(rf"^(?:{_FILLER}[\s,.!]+)+")

# A whole answer that says "I don't know" or nothing at all, in the ways students type it, alone or strung
# together with filler ("idk like nothing really").
_NON_ANSWER_PART = (
    r"(?:i\s*dk|idk+|idek|i\s+(?:do\s*n[o']?t|dont|dnt)\s+(?:really\s+)?know|(?:i\s+)?dunno|don'?t\s+know|"
    r"(?:i'?m\s+|im\s+)?not\s+(?:really\s+)?sure(?:\s+yet)?|no\s+(?:idea|clue)|i\s+have\s+no\s+(?:idea|clue)|"
    r"nothing|none|n/?a|idc|i\s+(?:do\s*n[o']?t|dont)\s+care|whatever|i\s+guess|maybe|(?:i\s+)?can'?t\s+think\s+of\s+"
    r"(?:one|any(?:thing)?)|not\s+yet|no|nope|nah+|yes|yeah|yep|ok(?:ay)?|sure|k|um+|uh+|hmm+|\?+|stuff(?:\s+i\s+guess)?|"
    r"(?:i'?m\s+|im\s+)?unsure|thanks|thank\s+you|thx|ty)")
_NON_ANSWER = re.compile(
    rf"^{_NON_ANSWER_PART}(?:[\s,.!]+(?:(?:like|just|so|um+|uh+)[\s,]+)*"
    rf"(?:{_NON_ANSWER_PART}|lol|tbh|honestly|rn|really|yet|man|bro|sorry|ngl|fr|either|tho|though))*[\s.!?]*$")

# Words that make a statement tentative: "prob college or smth idk", "maybe a nurse".
_HEDGE = re.compile(
    r"\b(?:prob|probs|probably|prolly|maybe|idk|i\s*dk|dunno|not\s+sure|unsure|i\s+guess|i\s+think|might|"
    r"possibly|kinda|kind\s+of|sort\s+of|or\s+(?:something|smth|sth|smthn|whatever)|thinking\s+(?:about|of)|"
    r"considering|either|or|not\s+sure\s+yet|hopefully|perhaps)\b")

_QUESTION_START = re.compile(
    r"^(?:what|what'?s|whats|which|who|where|why|how|can|could|should|would|is|are|am|does)\b|"
    # "do u need a license to ...", "r u sure": "do" or "r" asks only before the one asked ("do my homework" is a step).
    r"^(?:do|did|will|r)\s+(?:u|you|ya|i|we|they|people|ppl|most|any)\b")

# A career named as something the student means: "I want to be", "my dream job", "become", "work as".
_AIM = re.compile(
    r"^(?:put|save|add|pick|choose|go\s+with|for\s+real)\b|\bi\s+(?:pick|choose|(?:will|'ll)\s+go\s+with)\b|"
    r"\b(?:want(?:s|ed)?\s+to|wanna|gonna|going\s+to|plan(?:ning)?\s+to|hope\s+to|(?:would|'d)\s+like\s+to)\s+"
    r"(?:be|become|work|do|make|build|design|study|go\s+into|get\s+into|major)\b|"
    r"\b(?:want(?:s|ed)?\s+to\s+(?:be|become|work|do)|wanna\s+(?:be|become|work|do)|going\s+to\s+be|gonna\s+be|"
    r"plan(?:ning)?\s+(?:to|on)\s+(?:be|becom|work)|hope\s+to\s+(?:be|become|work)|(?:would|'d)\s+like\s+to\s+"
    r"(?:be|become|work)|dream\s+(?:job|career|is)|career\s+goal|my\s+goal\s+is|become\s+an?|becoming\s+an?|"
    r"work\s+as|working\s+as|be\s+an?\s|interested\s+in\s+being|\bas\s+my\s+(?:career\s+)?(?:goal|career|dream\s+job)\b|see\s+myself|i\s+(?:love|like)\s+the\s+idea\s+of\s+being|"
    r"(?:study|studying|major\s+in)\s+to\s+be|i'?m\s+gonna\s+be|i'?ll\s+be\s+an?|quiero\s+ser|"
    # "i know exactly what i want, software developer", "what i want is a vet"
    r"\bwhat\s+i\s+(?:want|wanna)\s*(?:is\b|,|:|-))")

# "wait no my step is X", "actually my goal is X", "no i meant X".
_CORRECTION = re.compile(
    r"^(?:(?:wait|hold\s+on|oops|sorry|actually|no+|nah|nope|scratch\s+that|nvm|never\s*mind|i\s+mean)[\s,.!-]+)+"
    r"(?:(?:my|the)\s+(?:first\s+)?(?P<field>step|goal)\s+(?:is|should\s+be|will\s+be|was\s+supposed\s+to\s+be|"
    r"would\s+be|=|:)|i\s+meant|i\s+mean|make\s+it|change\s+it\s+to|it'?s|its)\s*[:,-]?\s+(?P<new>\S.*)$")

# Why a student takes a save back, said after the undo: not decided yet, or they meant something else.
_UNDO_REASON = (
    r"(?:(?:cuz|cause|because|bc)\s+)?(?:i\s+(?:can'?t|cant|haven'?t|havent|don'?t|dont|didn'?t|didnt|"
    r"(?:'?m|am)\s+not|still\s+(?:can'?t|cant|don'?t|dont))\s+(?:decide|decided|know|sure|mean|meant|say|said|want)\b.*|"
    r"i\s+(?:meant?|was\s+(?:wrong|joking|kidding))\b.*|i'?m\s+(?:still\s+)?(?:not\s+sure|undecided|deciding)\b.*|"
    r"im\s+(?:still\s+)?(?:not\s+sure|undecided|deciding)\b.*|not\s+(?:sure|yet|decided)\b.*|idk\b.*)")

# "wait no", "hold on, no": a take-back said with no more words (the filler "wait" is otherwise dropped).
_WAIT_NO = re.compile(r"^(?:wait|hold\s+on)[\s,.!-]+no+[\s.!]*$")

# One way of saying "take that back".
_UNDO_PHRASE = (
    r"(?:undo(?:\s+(?:that|it|this))?|no+\s+wait|"
    r"(?:that'?s|thats|it'?s|its|that\s+is)\s+(?:wrong|not\s+right|"
    r"incorrect|not\s+what\s+i\s+(?:said|meant|wanted))|wrong|not\s+what\s+i\s+(?:said|meant)|take\s+(?:that|it)\s+back|"
    r"take\s+(?:that|it)\s+(?:out|off)|delete\s+(?:that|it|this)|remove\s+(?:that|it|this)|erase\s+(?:that|it)|"
    r"scratch\s+that|don'?t\s+save\s+(?:that|it)|dont\s+save\s+(?:that|it)|unsave(?:\s+(?:that|it))?|"
    r"i\s+changed\s+my\s+mind|cancel\s+(?:that|it)|b[oó]rr(?:a|alo|ala)(?:\s+eso)?|qu[ií]ta(?:lo|la)?(?:\s+eso)?|"
    r"eso\s+est[aá]\s+mal|est[aá]\s+mal)"
    r"(?:\s+(?:the\s+)?(?:last\s+)?(?:one|step|thing|answer|goal|value|career|part|save))?"
    r"(?:\s+(?:off\s+|of\s+|from\s+|out\s+of\s+)?my\s+(?:plan|list))?")

# Taking back what was just said or saved, in one take-back phrase or several in a row ("thats wrong undo that",
# "no its wrong, delete it").
_UNDO = re.compile(
    r"^(?:(?:no+|nah|nope|wait|oops|oh\s+no|nvm|never\s*mind|actually|um+|uh+|espera|perd[oó]n)[\s,.!-]+)*"
    rf"{_UNDO_PHRASE}(?:[\s,.!-]+(?:(?:so|and|pls|please|just)\s+)?{_UNDO_PHRASE})*"
    r"(?:[\s,.!]+(?:please|pls|plz|lol|sorry|thx))*"
    # A reason may follow, but nothing new to save: "undo that i cant decide", "take it off, i meant something
    # else" ("scratch that, i want to be a social worker" states a new aim and is no undo).
    rf"(?:[\s,.!-]+{_UNDO_REASON})?[\s.!]*$")


def _words(text: str | None) -> str:
    text = re.sub(r"\s+", " ", (text or "").lower().replace("’", "'")).strip()
    return _LEADING_FILLER.sub("", text).strip()


def is_non_answer(text: str | None) -> bool:
    """The whole answer says "I don't know", "not sure", "nothing", or only yes/no/ok: nothing to save. So does an
    unsure start followed only by what was asked ("idk what goal", "not sure when"): it names nothing."""
    words = _words(text)
    if not words or _NON_ANSWER.match(words):
        return True
    unsure = _UNSURE_START.match(words)
    rest = re.findall(r"[a-z']+", words[unsure.end():]) if unsure else None
    return rest is not None and len(rest) <= 5 and all(word in _ASKED_BACK for word in rest)


# What may follow "idk" and still name nothing: the question's own words ("idk what goal", "not sure when tbh").
_ASKED_BACK = frozenset(
    "what which when how where why goal goals step steps date day due to do put set pick choose write say i want "
    "should would one thing anything it that yet lol tbh honestly rn man bro though tho really".split())


_UNSURE_START = re.compile(r"^(?:i\s*dk|idk+|i\s+(?:do\s*n[o']?t|dont)\s+know|dunno|not\s+sure|(?:i'?m|im)\s+not\s+sure|"
                           r"no\s+idea|no\s+clue)\b")


# Words that change course instead of answering: "nvm", "wait hold on", "forget it", "i changed my mind", "back to
# my goal", "lets do something else", "i dont want to do this".
_CHANGE_OF_MIND_PART = (
    r"(?:nvm|nvmd|nevermind|never\s*mind|wait|hold\s+(?:on|up)|hang\s+on|one\s+sec(?:ond)?|"
    r"give\s+me\s+a\s+(?:sec(?:ond)?|min(?:ute)?)|gimme\s+a\s+(?:sec|min)|forget\s+(?:about\s+)?(?:it|that|this)|"
    r"(?:i\s+)?changed\s+my\s+mind|change\s+of\s+plans?|"
    r"(?:(?:let'?s|lets|can\s+we|i\s+(?:want|wanna)(?:\s+to)?)\s+)?(?:go(?:ing)?\s+|get\s+|come\s+)?back"
    r"(?:\s+to\s+(?:(?:my|the|our|this|that)\s+)?(?:goal|goals|step|steps|question|questions|plan|it|that|this|"
    r"before|where\s+we\s+were|what\s+we\s+were\s+doing))?|"
    r"(?:(?:let'?s|lets|can\s+we|i\s+(?:want|wanna)(?:\s+to)?)\s+)?(?:do|talk\s+about)\s+something\s+else|"
    r"i\s+(?:do\s*n[o']?t|dont)\s+(?:really\s+)?(?:want|wanna)(?:\s+to)?(?:\s+(?:do|answer|give|set|make|add))?"
    r"(?:\s+(?:this|that|it|one|a\s+step|a\s+goal))?(?:\s+(?:any\s*more|now|rn|right\s+now))?)")
# What may stand around them: "ok nvm", "oh wait sorry", "actually forget it lol", "hang on a sec".
_AROUND_A_CHANGE = rf"(?:{_FILLER_WORDS}|oops|no|nah|nope|sorry|pls|please|a\s+(?:sec(?:ond)?|min(?:ute)?))"
_CHANGE_OF_MIND = re.compile(
    rf"^(?:{_AROUND_A_CHANGE}[\s,.!?-]+)*{_CHANGE_OF_MIND_PART}"
    rf"(?:[\s,.!?-]+(?:{_AROUND_A_CHANGE}|{_CHANGE_OF_MIND_PART}))*[\s,.!?-]*$")


def is_change_of_mind(text: str | None) -> bool:
    """The whole message changes course instead of answering the question asked: "ok nvm back to my goal", "never
    mind", "wait hold on", "actually forget it", "i dont want to do this". Nothing in it is the answer. A message
    that only starts that way names something ("wait for my counselor to email me", "go back to the library")."""
    words = re.sub(r"\s+", " ", (text or "").lower().replace("’", "'")).strip()
    return bool(_CHANGE_OF_MIND.match(words))


def starts_unsure(text: str | None) -> bool:
    """ "idk what i want to do", "not sure yet dont put anything": unsure first, whatever follows."""
    return bool(_UNSURE_START.match(_words(text)))


def is_question(text: str | None) -> bool:
    """A question ("actually what jobs fit me?") rather than an answer."""
    raw = (text or "").strip()
    return raw.endswith("?") or bool(_QUESTION_START.match(_words(raw)))


_REQUEST = re.compile(r"^(?:show|tell|give|list|explain)\s+me\b|^(?:show|see|open)\s+my\b|^(?:can|could|would)\s+(?:you|u)\b|"
                      r"^help\s+me\b|^i\s+(?:want|wanna|need)\s+to\s+(?:know|see)\b")


_ASKS_WHAT_THIS_IS = re.compile(
    r"\b(?:what'?s|whats|wats|what\s+is|what\s+does|how\s+does|how\s+do\s+i\s+use)\s+(?:this|that|it|u|you|ur)\b"
    r"(?:\s+\w+){0,2}\s*\??\s*$")


def asks_what_this_is(text: str | None) -> bool:
    """The message ends by asking what the chat is or does ("im in 6th grade whats this for"): a question about
    the bot, whatever came before it, so nothing in it is saved as said."""
    return bool(_ASKS_WHAT_THIS_IS.search(_words(text)))


def is_request(text: str | None) -> bool:
    """A question or a request to the bot ("show me jobs", "tell me about nurses"), rather than an answer."""
    return is_question(text) or bool(_REQUEST.match(_words(text)))


def is_hedged(text: str | None) -> bool:
    """The statement is tentative or names alternatives: "prob college or smth idk"."""
    return bool(_HEDGE.search(_words(text))) or is_question(text)


# "i guess" said of one's own liking: "science i guess", "i kinda like drawing i guess".
_HALF_HEARTED = re.compile(r"\bi\s+guess\b|\bguess\s+so\b")


def is_half_hearted(text: str | None) -> bool:
    """The student says it without meaning it much ("school i guess"): asked about before it is saved."""
    return bool(_HALF_HEARTED.search(_words(text)))


# Someone the student knows, named as the one who has the plan or the wish: "my dad wants me to be an accountant",
# "my best friend is going to the navy". The student's own "i want", "im going" makes the plan theirs again.
_OTHER_PERSON = re.compile(
    r"\b(?:my|his|her|their|our)\s+(?:\w+\s+)?(?:mom|mother|mum|mama|dad|father|papa|parents?|family|friends?|bff|"
    r"sister|brother|sis|bro|aunt|uncle|cousin|grandma|grandpa|grandmother|grandfather|teacher|coach|stepdad|"
    r"stepmom|boyfriend|girlfriend|bf|gf)s?\b")
_REPORTED = re.compile(_OTHER_PERSON.pattern.replace(r"\b(?:my|", r"^(?:my|", 1) +
                       r"\s+(?:always\s+|keeps?\s+|just\s+)?(?:says?|said|saying|thinks?|thought|tells?\s+me|told\s+me)\b")
_OWN_PLAN = re.compile(
    r"\bi\s+(?:really\s+|also\s+|actually\s+|still\s+)?(?:want|wanna|will|plan|hope|am\s+going|am\s+gonna|"
    r"choose|pick|decided)\b|\bi'?m\s+(?:going|gonna|planning|doing)\b|\bi'?ll\b|\bi'?d\s+like\b")


def reports_someone_elses_words(text: str | None) -> bool:
    """The message passes on what another person says or thinks ("my uncle says welders make crazy money", "my mom
    thinks nursing is a good job"): nothing the student said of themselves."""
    return bool(_REPORTED.match(_words(text)))


# The student's own plan for after high school, said outright: "after hs im going to...", "i want to go to ...".
_PATH_PLANNED = re.compile(
    r"\bafter\s+(?:high\s+school|hs|graduation|graduating|i\s+graduate|senior\s+year)\b|"
    r"\b(?:i\s+(?:want|plan|hope|need)\s+to|i\s+wanna|i'?m\s+(?:going|gonna|planning)\s+to|im\s+(?:going|gonna|planning)"
    r"\s+to|i\s+will|i'?ll)\s+(?:go\s+to|attend|start\s+at|transfer\s+to|enlist|join)\b")


def plans_a_path(text: str | None) -> bool:
    """The words state the student's own plan for after high school ("i want to go to community college for
    nursing"), not a question, a hedge or another person's plan; which path it is, is the keywords' to say."""
    return bool(_PATH_PLANNED.search(_words(text))) and not is_hedged(text) and not about_someone_else(text)


def about_someone_else(text: str | None) -> bool:
    """The plan or wish in the words is another person's ("my mom thinks i should be a dentist", "my best friend is
    going to the navy"), not one the student states as their own: asked about, never saved as said."""
    words = _words(text)
    return bool(_OTHER_PERSON.search(words)) and not _OWN_PLAN.search(words)


def states_an_aim(text: str | None, named: str = "") -> bool:
    """The student says the career is what they mean to do ("I want to be a nurse"), or types only its name.

    `named` is the part of the text that names the career ("nurse"), when known. Hedges are the caller's
    to weigh ("maybe a nurse idk" states an aim, tentatively). Another person's wish or plan ("my dad wants me
    to be an accountant") is not the student's aim.
    """
    words = _words(text)
    if about_someone_else(text):
        return False
    if _AIM.search(words):
        return True
    rest = words.replace(named.lower(), " ") if named else words
    rest = re.sub(r"\b(?:a|an|the|be|to|i|im|i'm|pls|please|maybe)\b|[^\w\s]", " ", rest)
    return bool(named) and not rest.strip()


@dataclass(frozen=True)
class Correction:
    """A replacement for an answer just given: `field` is "step" or "goal" when the student named it."""

    new_text: str
    field: str | None = None


def correction_in(text: str | None) -> Correction | None:
    """ "wait no my step is watch a scratch tutorial" -> Correction("watch a scratch tutorial", "step")."""
    raw = re.sub(r"\s+", " ", (text or "").replace("’", "'")).strip()
    found = _CORRECTION.match(raw.lower())
    if not found:
        return None
    new_text = raw[found.start("new"):].strip(" .!\"'")
    if found.group("field") == "goal":
        new_text = re.sub(r"^to\s+", "", new_text, flags=re.IGNORECASE)
    if not new_text or is_non_answer(new_text):
        return None
    return Correction(new_text, found.group("field"))


def is_undo(text: str | None) -> bool:
    """ "undo that", "that's wrong", "nvm delete that", "no i changed my mind", "wait no": take back the last answer."""
    lowered = re.sub(r"\s+", " ", (text or "").lower()).strip()
    return bool(_UNDO.match(_words(text) or "") or _WAIT_NO.match(lowered))


# "i want to be a welder", "my dream job is", "change my career to", "quiero ser": a career meant, said outright.
_CAREER_AIM = re.compile(
    r"\b(?:want(?:s|ed)?\s+to|wanna|gonna|going\s+to|plan(?:ning)?\s+to|hope\s+to|(?:would|'d)\s+like\s+to)\s+"
    r"(?:be|become)\s+an?\s+\w|\bdream\s+(?:job|career)\b|\bcareer\s+goal\b|"
    r"\b(?:change|switch)\s+my\s+(?:career|job)\b|\bquiero\s+ser\b")


def aims_at_a_career(text: str | None) -> bool:
    """The words say outright that a career is what the student means to do: "i want to be a welder".

    Stricter than states_an_aim: inside the goal questions, "make a game" or "add a step" is an answer, and
    only a career said this plainly is another subject.
    """
    return bool(_CAREER_AIM.search(_words(text)))


# "my goal is to X", "goal: X", "i want to set a goal to X", "add a goal about X", "mi goal es X".
_GOAL_STATED = re.compile(
    r"^(?:(?:my|mi|one|a)\s+(?:new\s+|main\s+|big\s+|first\s+)?(?:goal|meta)\s*(?:is|es|would\s+be|will\s+be|=|:|-)|"
    r"goal\s*[:=-]|"
    r"(?:i\s+(?:want|wanna|need|would\s+like|'d\s+like)\s+(?:to\s+)?|(?:can|could)\s+(?:you|u)\s+|lets\s+|let'?s\s+)?"
    r"(?:set|add|make|create|start|put|write)\s+(?:a|an|one|my|another|new|the)?\s*(?:new\s+|personal\s+|school\s+|"
    r"career\s+)?goal\s+(?:for\s+me\s*)?(?:to|about|that\s+i|:|-|of)|"
    r"(?:i\s+)?(?:want|wanna|need)\s+a\s+goal\s+(?:to|about|of))"
    r"\s*(?:to\s+)?(?P<goal>\S.*)$")


def goal_stated_in(text: str | None) -> str | None:
    """The goal a message states along with asking for one: "my goal is to make my own game this year" ->
    "make my own game this year"; "add a goal" -> None (the bot asks for it)."""
    raw = re.sub(r"\s+", " ", (text or "").replace("’", "'")).strip()
    found = _GOAL_STATED.match(_LEADING_FILLER.sub("", raw.lower()))
    if not found:
        return None
    goal = raw[len(raw) - len(found.group("goal")):].strip(" .!\"'")
    return None if not goal or is_non_answer(goal) or is_question(goal) else goal


# "step 1 watch a scratch tutorial", "step: ask my counselor", "first step is to X", "step two - X".
_STEP_LABEL = re.compile(
    r"^(?:(?:my|the|a)\s+)?(?:(?:first|1st|next|second|2nd|third|3rd|another|new|other)\s+)?step\b\s*"
    r"(?:#?\d+|one|two|three|four|five)?\s*(?:is|will\s+be|would\s+be|should\s+be)?\s*[:.)=-]*\s*(?:to\s+)?(?=\S)")


def step_labelled(text: str | None) -> str | None:
    """The step in a message labelled as one ("step 1 watch a scratch tutorial" -> "watch a scratch tutorial"),
    else None."""
    raw = re.sub(r"\s+", " ", (text or "").replace("’", "'")).strip()
    found = _STEP_LABEL.match(raw.lower())
    if not found:
        return None
    step = raw[found.end():].strip(" .!\"'")
    return step or None


# A date given with a step: "by dec 15", "before friday", "tonight".
_DUE_IN_STEP = re.compile(r"\b(?:by|before|until|till|due)\s+(?P<when>.+)$|\b(?P<day>tonight|today|tomorrow|tmrw)\b")


def due_words_in(text: str | None) -> str | None:
    """The words that date a step given with its date ("get my moms tax stuff by dec 15" -> "dec 15")."""
    found = _DUE_IN_STEP.search((text or "").lower())
    if not found:
        return None
    return (found.group("when") or found.group("day")).strip()


# What comes after the aim: "i wanna make video games when im older" -> "make video games when im older".
_AIM_LEAD = re.compile(
    r"\b(?:want(?:s|ed)?\s+to|wanna|gonna|going\s+to|plan(?:ning)?\s+to|hope\s+to|(?:would|'d)\s+like\s+to)\s+"
    r"(?:(?:be|become)\s+(?:an?\s+)?)?|\bquiero\s+ser\s+(?:una?\s+)?|\bdream\s+(?:job|career)\s+(?:is\s+)?"
    r"(?:to\s+be\s+)?(?:an?\s+)?|\bbecom(?:e|ing)\s+(?:an?\s+)?")


_POINTS_BACK = r"(?:be|become|that|this|it|one|that\s+one|them|those|too|that\s+too)"


def career_aim_words(text: str | None) -> str | None:
    """The career a student means, in their words, when the words say it is an aim: "quiero ser mecánico de
    carros" -> "mecánico de carros". None when no aim is stated or nothing follows it."""
    raw = re.sub(r"\s+", " ", (text or "").replace("’", "'")).strip()
    found = _AIM_LEAD.search(raw.lower())
    if not found:
        return None
    words = raw[found.end():].strip(" .!?\"'")
    if re.fullmatch(_POINTS_BACK, words.lower()):
        return None  # "thats what i want to be", "i want to be that": the job is named elsewhere, not here
    return None if not words or is_non_answer(words) or len(words.split()) > 10 else words


# Words that say yes, in the ways students type it: "ya", "yes eso", "si correcto", "yeah save that".
_YES = re.compile(
    r"\b(?:y+e+[sa]*h*|ye+s+|ya+|yea+h*|yep|yup|mhm+|sure|ok(?:ay)?|kk?|alright|aight|bet|sounds\s+(?:good|right)|"
    r"of\s+course|definitely|absolutely|correct|exactly|true|right|go\s+ahead|do\s+it|save\s+(?:it|that|this)|"
    r"s[ií]|claro|eso|dale|that\s+one|(?:i\s+)?(?:guess|think)\s+so|works|please|pls|plz)\b")


def says_yes(text: str | None) -> bool:
    """The words agree ("yeah save that", "si correcto"); "lmaooo" read as a yes does not."""
    return bool(_YES.search(_words(text))) and not is_undo(text)


# "i could see myself being one", "i might want to do one of those": an aim at a job named just before, by number.
_ONE_OF_THOSE = re.compile(r"\b(?:be|become|do)\s+(?:one|one\s+of\s+(?:those|them|these))\b")


def means_one_of_those(text: str | None) -> bool:
    """Whether the words point back at a job by "one" ("i might want to be one"): the job just talked about."""
    return bool(_ONE_OF_THOSE.search(_words(text)))


# A path the student rules out, up to the end of its clause or the next "i ..." or "but": "im not going to college,
# im gonna work" names work. "not sure" and "don't know" rule nothing out.
_RULED_OUT = re.compile(r"\b(?:not|never|don'?t|dont|won'?t|wont|ain'?t|aint|no\s+more)\b(?!\s+(?:sure|know|certain))"
                        r"(?:(?!\b(?:but|i|im|i'm|ill|i'll|i'd)\b)[^,.;!?])*")


def without_what_is_ruled_out(text: str) -> str:
    """The lower-cased words left once what the student rules out is dropped ("im not going to college, im gonna
    work" leaves "work")."""
    return _RULED_OUT.sub(" ", text.lower())
