"""The knowledge base's files: what loads, what is refused (naming file, entry and field), and when an entry is stale."""
from __future__ import annotations

import datetime as dt
import re
import textwrap

import pytest

from bot.knowledge.entries import KnowledgeError, load_entries, shipped_entries, stale_entries

GOOD = """\
  - id: {id}
    topic: financial_aid
    key_terms: [fafsa]
    questions:
      - {question}
      - when is the fafsa due
    answer: The FAFSA is a free form for college money. Fill it out in the fall of your senior year.
    source:
      title: "FAFSA deadlines (Federal Student Aid)"
      url: https://studentaid.gov/apply-for-aid/fafsa/fafsa-deadlines
    last_reviewed: 2026-11-30
"""


def write(folder, name, body):
    (folder / name).write_text(textwrap.dedent(body), encoding="utf-8")


def entry(**changes) -> str:
    """One good entry as YAML, with fields replaced ("field: value" lines) or removed (value None)."""
    text = GOOD.format(id=changes.pop("id", "fafsa_when"), question=changes.pop("question", "what is the fafsa"))
    for field, value in changes.items():
        pattern = rf"^    {field}:.*(\n      .*)*\n"
        replaced = re.sub(pattern, "" if value is None else f"    {field}: {value}\n", text, flags=re.MULTILINE)
        text = replaced if replaced != text or value is None else text + f"    {field}: {value}\n"
    return text


def test_the_shipped_entries_load_each_with_questions_a_source_and_a_review_date():
    entries = shipped_entries()
    assert len(entries) >= 20
    topics = {entry.topic for entry in entries}
    assert {"financial_aid", "scholarships", "tests", "dual_credit", "colleges", "apprenticeships", "military",
            "about_this_chat"} <= topics
    for entry in entries:
        assert len(entry.questions) >= 4, entry.id
        assert entry.source and all(source.title for source in entry.source), entry.id
        assert entry.last_reviewed <= dt.date.today()
    ids = {entry.id for entry in entries}
    assert {"fafsa", "kees", "cna_in_high_school", "privacy_who_sees", "bot_not_person", "asvab"} <= ids


def test_shipped_answers_are_short_and_in_short_sentences():
    # A plain-language proxy for a 9th-grade reading level: a chat-sized answer, sentences of about 20 words.
    for entry in shipped_entries():
        words = entry.answer.split()
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", entry.answer) if s]
        assert len(words) <= 125, (entry.id, len(words))
        assert len(words) / len(sentences) <= 22, (entry.id, len(words) / len(sentences))


def test_shipped_sources_are_official_pages_or_this_repositorys_readme():
    for entry in shipped_entries():
        for source in entry.source:
            assert source.url.startswith("https://") or source.url.startswith("README.md#"), (entry.id, source.url)


def test_a_good_file_loads(tmp_path):
    write(tmp_path, "aid.yml", "entries:\n" + entry())
    [loaded] = load_entries(tmp_path)
    assert (loaded.id, loaded.last_reviewed, loaded.key_terms) == ("fafsa_when", dt.date(2026, 11, 30), ["fafsa"])
    assert loaded.source[0].url.startswith("https://studentaid.gov/")


@pytest.mark.parametrize("changes, says", [
    # no source at all
    ({"source": None}, "entry 'fafsa_when', field 'source': field required"),
    # a number is not a date (pydantic would read it as a Unix time)
    ({"last_reviewed": "20261130"}, "entry 'fafsa_when', field 'last_reviewed': must be a date written YYYY-MM-DD"),
    # not a date at all
    ({"last_reviewed": "last spring"}, "entry 'fafsa_when', field 'last_reviewed'"),
    # a review that has not happened yet
    ({"last_reviewed": "2999-01-01"}, "entry 'fafsa_when', field 'last_reviewed': 2999-01-01 is in the future"),
    # a web address that is not https
    ({"source": "{title: FAFSA, url: 'http://studentaid.gov/fafsa'}"},
     "entry 'fafsa_when', field 'source.0.url': must be a full https:// address"),
    # a file of this repository that does not exist
    ({"source": "{title: Our notes, url: docs/missing.md}"}, "field 'source.0.url': must be an https:// address, or a file"),
    # a README section that does not exist
    ({"source": "{title: Our README, url: 'README.md#no-such-section'}"}, "field 'source.0.url'"),
    # a typo in a field name
    ({"answer": None, "anwser": "The FAFSA is a free form for college money."},
     "entry 'fafsa_when', field 'anwser': extra fields not permitted"),
    # one example question is not enough to match on
    ({"questions": "[what is the fafsa]"}, "entry 'fafsa_when', field 'questions': ensure this value has at least 2 items"),
    # an id that is not snake_case
    ({"id": "FAFSA When"}, "entry 'FAFSA When', field 'id': string does not match regex"),
    # an answer too short to help
    ({"answer": "Ask."}, "entry 'fafsa_when', field 'answer': ensure this value has at least 20 characters"),
])
def test_a_bad_entry_is_refused_naming_the_file_the_entry_and_the_field(tmp_path, changes, says):
    write(tmp_path, "aid.yml", "entries:\n" + entry(id=changes.pop("id", "fafsa_when"), **changes))
    with pytest.raises(KnowledgeError) as refused:
        load_entries(tmp_path)
    assert str(refused.value).startswith(f"{tmp_path / 'aid.yml'}: entry '")
    assert says in str(refused.value)


def test_every_problem_of_a_file_is_named_at_once(tmp_path):
    write(tmp_path, "aid.yml", "entries:\n" + entry(source=None) + entry(id="kees", question="what is kees",
                                                                         last_reviewed="soon"))
    with pytest.raises(KnowledgeError) as refused:
        load_entries(tmp_path)
    assert "entry 'fafsa_when', field 'source'" in str(refused.value)
    assert "entry 'kees', field 'last_reviewed'" in str(refused.value)


@pytest.mark.parametrize("body, says", [
    ("entries: [\n", "cannot be read as YAML"),  # broken YAML
    ("- id: fafsa\n", "must be a mapping with one key, 'entries'"),  # a list, not a mapping
    ("entries:\n  - just a sentence\n", "entry #1: must be a mapping"),  # an entry that is not a mapping
])
def test_a_file_that_is_not_a_knowledge_file_is_refused(tmp_path, body, says):
    write(tmp_path, "aid.yml", body)
    with pytest.raises(KnowledgeError, match=re.escape(says)):
        load_entries(tmp_path)


def test_ids_and_example_questions_are_unique_across_files(tmp_path):
    write(tmp_path, "a.yml", "entries:\n" + entry())
    write(tmp_path, "b.yml", "entries:\n" + entry(question="how do i apply"))
    with pytest.raises(KnowledgeError, match=r"b\.yml: entry 'fafsa_when', field 'id': .*a\.yml already has"):
        load_entries(tmp_path)
    write(tmp_path, "b.yml", "entries:\n" + entry(id="fafsa_how", question="What is the  FAFSA"))
    with pytest.raises(KnowledgeError, match="'What is the  FAFSA' is also a question of entry 'fafsa_when'"):
        load_entries(tmp_path)


def test_an_empty_folder_is_refused(tmp_path):
    with pytest.raises(KnowledgeError, match="no knowledge files"):
        load_entries(tmp_path)


@pytest.mark.parametrize("reviewed, today, stale", [
    (dt.date(2025, 12, 6), dt.date(2026, 12, 6), False),  # exactly a year: not yet stale
    (dt.date(2025, 12, 5), dt.date(2026, 12, 6), True),  # a year and a day
    (dt.date(2026, 6, 1), dt.date(2026, 12, 6), False),  # six months
    (dt.date(2024, 2, 29), dt.date(2025, 3, 1), True),  # a leap day, a year and a day later
    (dt.date(2024, 2, 29), dt.date(2025, 2, 28), False),  # ... and a year later
])
def test_an_entry_is_stale_once_its_review_is_more_than_a_year_old(tmp_path, reviewed, today, stale):
    write(tmp_path, "aid.yml", "entries:\n" + entry(last_reviewed=reviewed.isoformat()))
    [loaded] = load_entries(tmp_path)
    assert loaded.stale(today) is stale
    assert stale_entries((loaded,), today) == ([loaded] if stale else [])
