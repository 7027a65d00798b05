"""What an `{answer: TOPIC}` reply must mention: each topic's key terms, as regular expressions.

Written on 2026-12-06 from the topic names in blind_2026_12.yml alone, BEFORE any bot reply to these
conversations was read (and before the responses for these topics in domain.yml were looked at), so
the terms say what a student who asked would need to see, not what the bot happens to say. Do not
tune them to the bot's replies: add a topic, or widen one only for a reason a student would give.

A reply answers TOPIC when it is not a dead end (see runner.DEAD_ENDS) and one of the bot's
messages for that turn matches the topic's pattern.
"""
from __future__ import annotations

import re

I = re.IGNORECASE

TOPIC_TERMS: dict[str, re.Pattern[str]] = {
    # What the FAFSA is and when: the word itself.
    "fafsa": re.compile(r"\bFAFSA\b", I),
    # Kentucky's KEES as the example state; any state aid or grant.
    "state_aid": re.compile(r"\bKEES\b|state aid|state grant|\bgrants?\b", I),
    "scholarships": re.compile(r"scholarship", I),
    # Pay for a job: a wage, a salary, a dollar figure. Narrowed after the first run (see the note at the end).
    "pay": re.compile(r"\$\s?\d|salar|\bwages?\b|\bmedian\b|\bincome\b|per hour|an hour\b|hourly", I),
    # Kinds of colleges and schools after high school.
    "college_types": re.compile(r"community college|two-year|2-year|four-year|4-year|universit|trade school|"
                                r"technical (college|school)|associate|bachelor", I),
    # What a career is like: a description names the education or training it takes.
    "career_info": re.compile(r"\beducat|\bdegree\b|diploma|\btraining\b|certificat|\bschool\b|\bcollege\b", I),
    "apprenticeship": re.compile(r"apprentic", I),
    # The tests by name, as they are written (case-sensitive: "act" is a common word).
    "sat_act": re.compile(r"\b(P?SAT|ACT)\b"),
    # "Are you a real person?": the bot says what it is.
    "bot_identity": re.compile(r"\bbot\b|chatbot|computer program|not a (real )?person|not a human|\bAI\b", I),
    # Who sees what the student types. Narrowed after the first run (see the note at the end).
    "privacy": re.compile(r"\bsees?\b|\bseen\b|\bread(s)?\b|privacy|private", I),
    # How to reach a person: the counselor, an appointment, an office.
    "reach_person": re.compile(r"counselor|real person|\bhuman\b|appointment|\boffice\b|\bemail\b|recruiter", I),
    "military": re.compile(r"military|\barmy\b|\bnavy\b|air force|marines?|national guard|\bguard\b|recruit|"
                           r"\bASVAB\b|enlist|GI Bill|ROTC", I),
    # Certifications a student can earn, in high school or after.
    "certifications": re.compile(r"certif|\bcert\b|credential|licens|\bCNA\b", I),
    "dual_credit": re.compile(r"dual credit|dual enrollment|college credit", I),
}

# Note, 2026-12-06, after the first run on main's model: two patterns were narrowed, never widened, because
# words in them made replies that do not answer the question pass. "pay" had "pay", "paid", "earn" and
# "a year": a career's description ("a certificate program (months to a year or two)", "paid training on
# the job", "earn an associate degree") passed as an answer to "how much do welders make"; a pay answer
# now needs a figure or the words salary, wage, median, income, hourly. "privacy" had "counselor": the
# reply "I'll ask your counselor to get in touch" (the one issue 19 quotes for "are you a real person?")
# would pass as an answer to "who can see what i type"; it now needs see, read, privacy or private.
