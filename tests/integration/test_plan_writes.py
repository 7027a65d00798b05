import threading

import pytest
from sqlalchemy import func, select

from bot.db.tables import Answer, CareerInterest, InterestMention
from bot.errors import InvalidAnswer, UnknownStudent
from bot.nlp.mentions import Mention
from bot.plans.services import Author, record_career_goal, record_interest_statement, show_plan, student_plan
from tests.builders import enrol

ENGINES = Mention("activity", "fix_engines", "fix engine", "R", "fixing engines")
DRAWING = Mention("activity", "draw", "draw", "A", "draw")
NURSE = Mention("career", "29-1141.00", "Registered Nurses", "S", "nurse")


def recognise_fixed(*mentions):
    return lambda text: list(mentions)


def count(uow_factory, table) -> int:
    with uow_factory() as uow:
        return uow.session.scalar(select(func.count(table.id)))


def test_interest_statement_saves_the_answer_and_each_liked_item(uow_factory):
    enrol(uow_factory, "S1")
    saved = record_interest_statement(uow_factory(), "S1", "I love fixing engines and I draw", "S1:m1",
                                      recognise=recognise_fixed(ENGINES, DRAWING))
    assert [m.item_id for m in saved.mentions] == ["fix_engines", "draw"]
    plan = student_plan(uow_factory(), "S1")
    assert plan["interests"]["riasec"] == {"R": 1, "I": 0, "A": 1, "S": 0, "E": 0, "C": 0}
    assert plan["interests"]["code"] == "RA"
    with uow_factory() as uow:
        answer = uow.session.scalar(select(Answer))
        assert (answer.topic, answer.text, answer.author_role, answer.source_event) == (
            "interest_statement", "I love fixing engines and I draw", "student", "S1:m1")


def test_a_retried_event_writes_nothing_twice(uow_factory):
    enrol(uow_factory, "S1")
    first = record_interest_statement(uow_factory(), "S1", "I love fixing engines", "S1:m1",
                                      recognise=recognise_fixed(ENGINES))
    retry = record_interest_statement(uow_factory(), "S1", "I love fixing engines", "S1:m1",
                                      recognise=recognise_fixed(ENGINES))
    assert not first.already_saved and retry.already_saved
    assert count(uow_factory, Answer) == 1
    assert count(uow_factory, InterestMention) == 1


def test_concurrent_retries_of_one_event_save_exactly_once(uow_factory):
    enrol(uow_factory, "S1")
    results, errors = [], []

    def save():
        try:
            results.append(record_interest_statement(uow_factory(), "S1", "I love fixing engines", "S1:race",
                                                     recognise=recognise_fixed(ENGINES)))
        except Exception as error:  # noqa: BLE001 - the test reports any failure
            errors.append(error)

    threads = [threading.Thread(target=save) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert count(uow_factory, Answer) == 1
    assert sum(not result.already_saved for result in results) == 1


def test_disliked_items_are_not_counted_as_interests(uow_factory):
    enrol(uow_factory, "S1")
    disliked = Mention("school_subject", "algebra", "Algebra", "I", "algebra", disliked=True)
    saved = record_interest_statement(uow_factory(), "S1", "I hate algebra but I draw", "S1:m2",
                                      recognise=recognise_fixed(disliked, DRAWING))
    assert [m.item_id for m in saved.mentions] == ["draw"]
    assert count(uow_factory, Answer) == 1


def test_career_goal_adds_a_career_once_and_records_its_author(uow_factory):
    enrol(uow_factory, "S1")
    record_career_goal(uow_factory(), "S1", "i want to be a nurse", "S1:m3", recognise=recognise_fixed(NURSE))
    record_career_goal(uow_factory(), "S1", "nurse for sure", "S1:m4", recognise=recognise_fixed(NURSE),
                       author=Author("advisor", 7))
    plan = student_plan(uow_factory(), "S1")
    assert plan["careers"] == [{"title": "Registered Nurses", "onet_soc": "29-1141.00"}]
    assert count(uow_factory, Answer) == 2
    with uow_factory() as uow:
        authors = list(uow.session.execute(select(Answer.author_role, Answer.author_staff_id).order_by(Answer.id)))
        assert authors == [("student", None), ("advisor", 7)]
        assert uow.session.scalar(select(CareerInterest.author_role)) == "student"


def test_unrecognised_answer_is_still_saved(uow_factory):
    enrol(uow_factory, "S1")
    saved = record_career_goal(uow_factory(), "S1", "something with space rockets", "S1:m5", recognise=recognise_fixed())
    assert saved.careers == []
    assert count(uow_factory, Answer) == 1


@pytest.mark.parametrize("text, reason", [
    ("", "empty"),                       # nothing typed
    ("   \n\t ", "empty"),               # only whitespace
    ("\x00\x01\x02", "empty"),            # control bytes only
    ("😀🔥👍", "no_words"),               # emoji only
    ("a" * 1001, "too_long"),            # over the limit
])
def test_unusable_answers_are_refused_with_a_reason_and_nothing_is_written(uow_factory, text, reason):
    enrol(uow_factory, "S1")
    record_interest_statement(uow_factory(), "S1", "I draw", "S1:before", recognise=recognise_fixed(DRAWING))
    with pytest.raises(InvalidAnswer) as refused:
        record_interest_statement(uow_factory(), "S1", text, "S1:bad", recognise=recognise_fixed(DRAWING))
    assert refused.value.reason == reason
    assert count(uow_factory, Answer) == 1


def test_html_and_sql_in_answers_are_stored_as_plain_text(uow_factory):
    enrol(uow_factory, "S1")
    text = "<script>alert(1)</script>'); DROP TABLE answers;--"
    record_interest_statement(uow_factory(), "S1", text, "S1:m6", recognise=recognise_fixed())
    with uow_factory() as uow:
        assert uow.session.scalar(select(Answer.text)) == text


def test_unknown_student_is_refused(uow_factory):
    with pytest.raises(UnknownStudent):
        record_interest_statement(uow_factory(), "NOPE", "I draw", "NOPE:m1", recognise=recognise_fixed(DRAWING))
    assert count(uow_factory, Answer) == 0


def test_staff_read_of_a_plan_is_audited(uow_factory):
    from bot.db.tables import AuditEntry

    enrol(uow_factory, "S1")
    plan = show_plan(uow_factory(), "S1", reader_role="counselor", reader_id=3)
    assert plan["student_id"] == "S1" and plan["updated_at"] is None
    with uow_factory() as uow:
        entry = uow.session.scalar(select(AuditEntry))
        assert (entry.actor_role, entry.actor_id, entry.action) == ("counselor", 3, "plan.read")


def reads_as(**scores):
    from bot.interests.reader import InterestReading

    return lambda text: InterestReading({letter: scores.get(letter, 0.0) for letter in "RIASEC"})


def test_a_statement_the_reader_places_adds_its_type_in_the_students_words(uow_factory):
    enrol(uow_factory, "S1")
    text = "i keep the scorebook for my brother's team"
    saved = record_interest_statement(uow_factory(), "S1", text, "S1:m7", recognise=recognise_fixed(), read=reads_as(C=0.9))
    assert (saved.mentions, saved.placed) == ([], "C")
    interests = student_plan(uow_factory(), "S1")["interests"]
    assert (interests["code"], interests["riasec"]["C"]) == ("C", 1)
    assert interests["statements"] == [{"text": text, "riasec": ["C"]}]
    assert interests["mentions"] == []  # the statement is not listed among the catalog items


def test_a_statement_nobody_can_place_is_kept_as_said_and_counts_for_no_type(uow_factory):
    enrol(uow_factory, "S1")
    text = "hanging out with my cousins on weekends"
    saved = record_interest_statement(uow_factory(), "S1", text, "S1:m8", recognise=recognise_fixed(),
                                      read=reads_as(R=0.3, S=0.3, E=0.4))
    assert (saved.mentions, saved.placed) == ([], None)
    interests = student_plan(uow_factory(), "S1")["interests"]
    assert interests["statements"] == [{"text": text, "riasec": []}]
    assert interests["code"] == ""


def test_a_placed_type_a_mention_already_carries_is_not_counted_twice(uow_factory):
    enrol(uow_factory, "S1")
    record_interest_statement(uow_factory(), "S1", "I love fixing engines", "S1:m9", recognise=recognise_fixed(ENGINES),
                              read=reads_as(R=0.95))
    interests = student_plan(uow_factory(), "S1")["interests"]
    assert interests["riasec"]["R"] == 1
    assert interests["statements"] == [{"text": "I love fixing engines", "riasec": ["R"]}]
