"""Answers from the knowledge base where the bot used to dead-end, with the real encoder and a real plan database."""
from __future__ import annotations

import datetime as dt
import functools

from rasa_sdk.executor import CollectingDispatcher

from actions.careers import ActionDescribeCareer
from actions.conversation import ActionRespondNotUnderstood
from bot.flags import list_flags
from bot.knowledge import service
from tests.actions.conftest import make_tracker, responses
from tests.builders import enrol


def user(intent, text):
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 0.3}}}


def bot(response):
    return {"event": "bot", "text": "...", "metadata": {"utter_action": response}}


async def run(action, text, intent, domain, events=()):
    dispatcher = CollectingDispatcher()
    events = [*events, user(intent, text)]
    await action.run(dispatcher, make_tracker(text=text, intent=intent, events=events), domain)
    return dispatcher


async def test_an_off_topic_question_the_knowledge_base_covers_gets_its_answer_and_source(domain):
    from actions.knowledge import ActionAnswerQuestion

    said = await run(ActionAnswerQuestion(), "What is the FAFSA and when do I fill it out?", "out_of_scope", domain)
    assert responses(said) == ["utter_knowledge_answer"]
    [message] = said.messages
    assert message["answer"].startswith("The FAFSA (Free Application for Federal Student Aid)")
    assert message["source"].startswith("Sources: FAFSA form (Federal Student Aid")
    assert "https://studentaid.gov/" in message["source"]
    assert set(domain["responses"]["utter_knowledge_answer"][0]["text"].split()) >= {"{answer}", "{source}"}


async def test_an_off_topic_message_it_does_not_cover_keeps_todays_reply(domain):
    from actions.knowledge import ActionAnswerQuestion

    said = await run(ActionAnswerQuestion(), "what's the weather tomorrow", "out_of_scope", domain)
    assert responses(said) == ["utter_out_of_scope"]


async def test_a_question_about_the_bot_gets_the_answer_and_then_what_the_bot_can_do(domain):
    from actions.knowledge import ActionAnswerQuestion

    said = await run(ActionAnswerQuestion(), "are you a real person", "ask_help", domain)
    assert responses(said) == ["utter_knowledge_answer", "utter_help"]
    assert said.messages[0]["answer"].startswith("I'm a bot (a computer program), not a person.")
    assert "talk to my counselor" in said.messages[0]["answer"]
    plain = await run(ActionAnswerQuestion(), "help", "ask_help", domain)
    assert responses(plain) == ["utter_help"]


async def test_a_question_the_knowledge_base_is_not_sure_of_is_not_answered(uow_factory, domain):
    from actions.knowledge import ActionAnswerQuestion

    said = await run(ActionAnswerQuestion(), "what is a gap year", "ask_question", domain)
    assert responses(said) == ["utter_out_of_scope"]
    # Pay is no entry of the knowledge base; a question naming a job gets that career's profile, with its pay.
    pay = await run(ActionAnswerQuestion(), "how much do nurses make", "ask_question", domain)
    assert responses(pay) == ["utter_career_info"] and "$" in pay.messages[0]["pay"]


async def test_an_answer_whose_entry_is_stale_says_when_it_was_last_checked(domain, monkeypatch):
    from actions import knowledge

    monkeypatch.setattr(knowledge, "find_answer", functools.partial(service.find_answer, today=dt.date(2028, 6, 1)))
    said = await run(knowledge.ActionAnswerQuestion(), "what is the asvab", "out_of_scope", domain)
    assert responses(said) == ["utter_knowledge_answer", "utter_knowledge_stale"]
    assert said.messages[1]["reviewed"] == "December 6, 2026"
    assert "{reviewed}" in domain["responses"]["utter_knowledge_stale"][0]["text"]


async def test_a_broken_knowledge_base_costs_the_student_nothing(domain, monkeypatch):
    from actions import knowledge

    def broken(text):
        raise FileNotFoundError("build/encoder is missing")

    monkeypatch.setattr(knowledge, "find_answer", broken)
    said = await run(knowledge.ActionAnswerQuestion(), "what is the asvab", "out_of_scope", domain)
    assert responses(said) == ["utter_out_of_scope"]


async def test_a_question_nlu_did_not_understand_is_answered_and_is_no_miss(uow_factory, domain):
    enrol(uow_factory, "S1")
    misses = [user("nlu_fallback", "zzz"), bot("utter_default"), user("nlu_fallback", "qqq"), bot("utter_offer_choices")]
    said = await run(ActionRespondNotUnderstood(), "who can see what i type here?", "nlu_fallback", domain, misses)
    assert responses(said) == ["utter_knowledge_answer"]
    assert "counselor" in said.messages[0]["answer"]
    assert list_flags(uow_factory()) == []  # a third message in a row, but understood: no not_understood flag


async def test_misses_are_counted_again_after_a_knowledge_answer(uow_factory, domain):
    enrol(uow_factory, "S1")
    before = [user("nlu_fallback", "zzz"), bot("utter_default"), user("nlu_fallback", "what is the asvab"),
              bot("utter_knowledge_answer")]
    said = await run(ActionRespondNotUnderstood(), "blorp", "nlu_fallback", domain, before)
    assert responses(said) == ["utter_default"]  # the first miss since the answer, not the third
    assert list_flags(uow_factory()) == []


async def test_a_job_question_about_no_job_can_be_a_question_the_knowledge_base_answers(uow_factory, domain):
    said = await run(ActionDescribeCareer(), "how do i apply for financial aid", "ask_career_info", domain)
    assert responses(said) == ["utter_knowledge_answer"]
    assert "StudentAid.gov" in said.messages[0]["answer"]
    unknown = await run(ActionDescribeCareer(), "what does a snorkmaster do", "ask_career_info", domain)
    assert responses(unknown) == ["utter_answer_unknown_career"]
    known = await run(ActionDescribeCareer(), "what does an electrician do", "ask_career_info", domain)
    assert responses(known) == ["utter_career_info"]  # a job in the catalog is described, as before


async def test_a_job_question_that_names_a_knowledge_term_gets_the_profile_and_then_that_answer(uow_factory, domain):
    said = await run(ActionDescribeCareer(), "do plumbers need a license", "ask_career_info", domain)
    assert responses(said) == ["utter_career_info", "utter_knowledge_answer"]
    assert "license" in said.messages[1]["answer"].casefold()


async def test_who_can_see_the_plan_is_answered_from_the_knowledge_base_and_my_plan_still_summarised(uow_factory,
                                                                                                   domain):
    from actions.plan import ActionSummarizePlan

    enrol(uow_factory, "S1")
    said = await run(ActionSummarizePlan(), "wait who can see my goals", "ask_plan_summary", domain)
    assert responses(said) == ["utter_knowledge_answer"]
    assert said.messages[0]["answer"].startswith(service.find_answer("who can see what i type here?").text[:40])
    plain = await run(ActionSummarizePlan(), "whats in my plan so far", "ask_plan_summary", domain)
    assert responses(plain) == ["utter_plan_empty"]
