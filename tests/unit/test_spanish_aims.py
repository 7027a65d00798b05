"""A career or a path after high school said in Spanish is read in English words, only to be asked about."""
from __future__ import annotations

import pytest

from bot.data_files import load_yaml
from bot.nlp.mentions import find_mentions
from bot.plans.spanish_aims import career_aimed_at, in_english_words, likes_in_spanish, path_aimed_at


@pytest.mark.parametrize("spanish, english", sorted(load_yaml("language/spanish_aims.yml")["careers"].items()))
def test_every_spanish_job_word_names_a_job_in_the_catalog(spanish, english):
    assert [m for m in find_mentions(f"i want to be a {english}") if m.kind == "career"], (spanish, english)


@pytest.mark.parametrize("text, career", [
    ("quiero ser enfermera, como mi tía", "Registered Nurse"),
    ("Quiero ser SOLDADOR como mi papá", "Welder"),  # any case
    ("pero yo quiero ser welder", "Welder"),  # the job in English inside Spanish
    ("me gustaría ser veterinaria", "Veterinarian"),
    ("quiero ser trabajadora social", "Child and Family Social Worker"),  # before "trabajar" is put in English
])
def test_a_students_own_aim_names_the_career(text, career):
    assert career_aimed_at(text).label == career


@pytest.mark.parametrize("text", [
    "mi mamá quiere que sea doctora",  # a parent's wish
    "me gusta cocinar con mi abuela",  # no aim
    "quiero ser feliz",  # no job
])
def test_no_aim_of_ones_own_or_no_job_names_no_career(text):
    assert career_aimed_at(text) is None


@pytest.mark.parametrize("text, path", [
    ("después de la prepa voy a ir a un colegio comunitario, ya lo decidí", "two_year"),
    ("me voy a enlistar en el ejército", "military"),
    ("quiero ir a la universidad", "four_year"),
    ("voy a trabajar con mi tío después de graduarme", "work"),
    # added after set H was read
    ("quiero estudiar en un colegio comunitario cerca de mi casa", "two_year"),
    ("el otoño que viene voy a la universidad estatal", "four_year"),
])
def test_a_path_of_ones_own_names_the_option(text, path):
    assert path_aimed_at(text).id == path


def test_a_path_someone_else_takes_or_no_plan_names_none():
    assert path_aimed_at("mi hermano está en la universidad") is None
    assert path_aimed_at("me gusta la escuela") is None
    assert in_english_words("Colegio Comunitario") == "community college"


@pytest.mark.parametrize("text, expected", [
    ("me encanta tocar la guitarra con mis primos", True),
    ("pues me gustan los animales", True),
    ("Me gusta mucho jugar fútbol", True),
    ("no me gusta la escuela", False),  # a dislike
    ("mi hermano dice que me gusta cocinar", False),  # starts with someone else
    ("quiero ser enfermera", False),  # an aim, read as one
])
def test_a_liking_said_in_spanish_is_read_as_one(text, expected):
    assert likes_in_spanish(text) is expected


def test_a_job_asked_about_in_spanish_is_put_in_english_words():
    assert in_english_words("¿Qué hace una diseñadora gráfica?") == "¿que hace una graphic designer?"
