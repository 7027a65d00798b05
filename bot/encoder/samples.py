"""Sentences the build compares the int8 encoder with fp32 on, and the benchmark times.

Written for this purpose (not taken from any test or training set): the kinds of thing students
type, of every length the bot meets, plus the odd inputs a chat box receives.
"""
from __future__ import annotations

STUDENT_SENTENCES = (
    "I love fixing car engines with my uncle on weekends.",
    "i want to be a nurse because i like helping people who are sick",
    "What does a marine biologist actually do all day?",
    "My favorite class is algebra but I hate writing essays for English.",
    "Idk what I want to do after high school, maybe something with computers or games.",
    "I spend most afternoons drawing comics and designing characters for a story I'm writing.",
    "Could you tell me how many years of college a veterinarian needs?",
    "I'm the one who organizes the bake sale and keeps track of the money every year.",
    "Building furniture in shop class is the only part of school I look forward to.",
    "I like volunteering at the animal shelter, walking dogs and cleaning the kennels.",
    "When I grow up I want to run my own business selling clothes online.",
    "Chemistry labs are fun when we get to mix things and see what happens.",
    "honestly i just want a job that pays well and lets me work outside",
    "I've been coding small websites for my friends and I think I'm pretty good at it.",
    "My grandmother was a teacher and I think I would enjoy teaching little kids to read.",
    "Sometimes I feel like nobody listens to me at home.",
    "Can we talk about electrician apprenticeships instead of a four-year degree?",
    "I play trumpet in the marching band and I practice about two hours every day after school.",
    "Which careers use both biology and math, like statistics for medicine?",
    "I really enjoy keeping spreadsheets organized and making sure every number adds up.",
    "Me gusta ayudar a mi mamá en la cocina y quiero ser chef.",
    "¿Qué necesito estudiar para ser ingeniero civil?",
    "yes",
    "no thanks",
    "ok",
    "Firefighter.",
    "lol idk 🤷",
    "🚒🔥👩‍🚒",
    "I want 2 b a pilot n fly planes 4 a living!!!",
    "Grade 8, GPA 3.4, interested in robotics club and debate.",
    "<b>hello</b> can you see this?",
    "print('hello world') is the first program I ever wrote in Python class",
    "The quick brown fox jumps over the lazy dog near the riverbank while the farmer watches "
    "from his porch, wondering whether the storm clouds gathering in the west will reach the "
    "fields before the wheat is harvested, and whether his daughter, who wants to study "
    "agricultural engineering at the state university next fall, will still help with the "
    "harvest when she comes home for the summer holidays.",
)
