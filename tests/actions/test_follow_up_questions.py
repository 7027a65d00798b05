"""Questions that lean on what was just said (issue 19, the second blind set): "is that a lot of school?" right after
a career was named, "should i prep for it" right after an answer. Real encoder, real catalog, a real SQLite plan."""
from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.careers import ActionDescribeCareer
from actions.knowledge import ActionAnswerQuestion
from bot.knowledge.service import shipped_matcher
from tests.actions.conftest import make_tracker, responses
from tests.builders import enrol


def user(intent, text, entities=()):
    return {"event": "user", "text": text,
            "parse_data": {"intent": {"name": intent, "confidence": 0.9}, "entities": list(entities)}}


def bot(response, text="..."):
    return {"event": "bot", "text": text, "metadata": {"utter_action": response}}


def knowledge_reply(entry_id):
    entry = next(entry for entry in shipped_matcher().entries if entry.id == entry_id)
    return bot("utter_knowledge_answer", f"{entry.answer}\nSource: {entry.source[0].title}")


async def run(action, text, intent, domain, before=()):
    dispatcher = CollectingDispatcher()
    events = [*before, user(intent, text)]
    await action.run(dispatcher, make_tracker("S1", text=text, intent=intent, events=events), domain)
    return dispatcher


async def test_a_question_about_that_job_is_answered_about_the_career_just_named(uow_factory, domain):
    enrol(uow_factory, "S1")
    before = [user("share_career_goal", "i want to be an electrician"), bot("utter_career_goal_saved")]
    said = await run(ActionAnswerQuestion(), "how many years of training is that", "ask_question", domain, before)
    assert responses(said) == ["utter_career_info"]
    assert said.messages[0]["title"] == "Electrician"
    assert said.messages[0]["education"]  # what it usually takes, in words
    # With no career named lately, the same words get the usual reply: the bot does not guess a job.
    alone = await run(ActionAnswerQuestion(), "how many years of training is that", "ask_question", domain,
                      [user("greet", "hi"), bot("utter_greet")])
    assert responses(alone) == ["utter_out_of_scope"]


async def test_a_job_question_naming_no_job_reads_that_as_the_career_a_button_named(uow_factory, domain):
    enrol(uow_factory, "S1")
    tapped = user("ask_career_info", '/ask_career_info{"career_id":"47-2111.00"}',
                  [{"entity": "career_id", "value": "47-2111.00"}])
    said = await run(ActionDescribeCareer(), "do they earn a lot", "ask_career_info", domain,
                     [tapped, bot("utter_career_info")])
    assert responses(said) == ["utter_career_info"]
    assert said.messages[0]["title"] == "Electrician"
    assert "$" in said.messages[0]["pay"]  # the shipped BLS median
    unknown = await run(ActionDescribeCareer(), "do they earn a lot", "ask_career_info", domain)
    assert responses(unknown) == ["utter_answer_unknown_career"]


async def test_a_career_the_student_turned_down_is_not_what_that_means(uow_factory, domain):
    enrol(uow_factory, "S1")
    before = [user("share_career_goal", "anything but a dentist"), bot("utter_answer_unknown_career")]
    said = await run(ActionAnswerQuestion(), "how long is school for that", "ask_question", domain, before)
    assert responses(said) == ["utter_out_of_scope"]


async def test_a_follow_up_right_after_an_answer_is_answered_on_that_topic(uow_factory, domain):
    enrol(uow_factory, "S1")
    before = [user("ask_question", "what's the asvab"), knowledge_reply("asvab")]
    said = await run(ActionAnswerQuestion(), "should i prep for it", "ask_question", domain, before)
    assert responses(said) == ["utter_knowledge_answer"]
    assert said.messages[0]["answer"].startswith("The ASVAB")
    cold = await run(ActionAnswerQuestion(), "should i prep for it", "ask_question", domain)
    assert responses(cold) == ["utter_out_of_scope"]


async def test_a_question_about_who_reads_the_chat_after_another_answer_about_it(uow_factory, domain):
    enrol(uow_factory, "S1")
    before = [user("ask_help", "is my chat with you private"), knowledge_reply("privacy_who_sees"), bot("utter_help")]
    said = await run(ActionAnswerQuestion(), "what about my mom, can she see it", "ask_help", domain, before)
    assert responses(said) == ["utter_knowledge_answer", "utter_help"]
    assert "family" in said.messages[0]["answer"]


async def test_a_question_read_as_a_request_for_a_person_is_flagged_and_answered(uow_factory, domain):
    from actions.safety import ActionRaiseConcernFlag
    from bot.flags import list_flags

    enrol(uow_factory, "S1")
    said = await run(ActionRaiseConcernFlag(), "is my chat with you private", "concern_human_request", domain)
    assert responses(said) == ["utter_knowledge_answer"]  # after the rule's own reply, which Rasa sends
    assert "can read what you type" in said.messages[0]["answer"]
    assert [flag["category"] for flag in list_flags(uow_factory())] == ["human_request"]  # the flag stays


async def test_a_money_question_read_as_a_worry_is_flagged_and_answered(uow_factory, domain):
    from actions.safety import ActionRaiseConcernFlag
    from bot.flags import list_flags

    enrol(uow_factory, "S1")
    before = [user("ask_question", "what is the fafsa"), knowledge_reply("fafsa")]
    said = await run(ActionRaiseConcernFlag(), "can i get state money for college too", "concern_financial", domain,
                     before)
    assert responses(said) == ["utter_knowledge_answer"]
    assert "College Access Program" in said.messages[0]["answer"]
    assert [flag["category"] for flag in list_flags(uow_factory())] == ["financial"]
    plain = await run(ActionRaiseConcernFlag(), "i just want to talk to a real person", "concern_human_request",
                      domain)
    assert responses(plain) == []  # no question the knowledge base answers: the rule's reply is all


async def test_a_question_read_as_a_worry_about_grades_is_flagged_and_answered(uow_factory, domain):
    from actions.safety import ActionRaiseConcernFlag
    from bot.flags import list_flags

    enrol(uow_factory, "S1")
    said = await run(ActionRaiseConcernFlag(), "what happens to my gpa if i get a bad grade in dual credit",
                     "concern_academic", domain)
    assert responses(said) == ["utter_knowledge_answer"]
    assert [flag["category"] for flag in list_flags(uow_factory())] == ["academic"]  # the flag stays


async def test_a_crisis_never_gets_a_knowledge_answer(uow_factory, domain):
    from actions.safety import ActionRaiseConcernFlag

    enrol(uow_factory, "S1")
    said = await run(ActionRaiseConcernFlag(), "who can see this, i want to hurt myself", "concern_self_harm", domain)
    assert responses(said) == []


async def test_a_question_naming_a_job_that_nlu_did_not_place_gets_the_career_profile(uow_factory, domain):
    from actions.conversation import ActionRespondNotUnderstood

    enrol(uow_factory, "S1")
    said = await run(ActionRespondNotUnderstood(), "is being a carpenter a lot of school", "nlu_fallback", domain)
    assert responses(said) == ["utter_career_info"]
    assert said.messages[0]["title"] == "Carpenter"
    asked = await run(ActionAnswerQuestion(), "what do carpenters earn", "ask_question", domain)
    assert responses(asked) == ["utter_career_info"] and "$" in asked.messages[0]["pay"]



async def test_a_career_profile_that_cannot_be_read_leaves_the_usual_reply(uow_factory, domain, monkeypatch):
    import actions.career_context
    from sqlalchemy.exc import OperationalError

    def broken(*args, **kwargs):
        raise OperationalError("select", {}, Exception("database is locked"))

    monkeypatch.setattr(actions.career_context, "describe_career", broken)
    enrol(uow_factory, "S1")
    said = await run(ActionAnswerQuestion(), "what do carpenters earn", "ask_question", domain)
    assert responses(said) == ["utter_out_of_scope"]  # no "not saved": the profile was only a better answer


async def test_a_person_the_student_knows_is_not_a_job_asked_about(uow_factory, domain):
    from actions.conversation import ActionRespondNotUnderstood

    enrol(uow_factory, "S1")
    said = await run(ActionRespondNotUnderstood(), "can my counselor call my mom", "nlu_fallback", domain)
    assert "utter_career_info" not in responses(said)


async def test_a_spanish_question_the_knowledge_base_answers_gets_it_before_the_spanish_help(uow_factory, domain):
    enrol(uow_factory, "S1")
    said = await run(ActionAnswerQuestion(), "el fafsa? no entiendo nada", "speak_spanish", domain)
    assert responses(said) == ["utter_knowledge_answer", "utter_spanish_help"]
    assert said.messages[0]["answer"].startswith("The FAFSA")
    hello = await run(ActionAnswerQuestion(), "hola, no hablo mucho inglés", "speak_spanish", domain)
    assert responses(hello) == ["utter_spanish_help"]  # nothing to answer: the Spanish reply, as before


async def test_a_question_about_the_pay_or_the_program_means_the_career_just_named(uow_factory, domain):
    enrol(uow_factory, "S1")
    before = [user("ask_career_info", "what does a plumber do"), bot("utter_career_info")]
    for text in ("whats the pay like", "is the training long"):
        said = await run(ActionAnswerQuestion(), text, "ask_question", domain, before)
        assert responses(said) == ["utter_career_info"], text
        assert said.messages[0]["title"] == "Plumber"
    # "the pay" with no job talked about lately: the usual reply, no job guessed.
    alone = await run(ActionAnswerQuestion(), "whats the pay like", "ask_question", domain,
                      [user("greet", "hi"), bot("utter_greet")])
    assert responses(alone) == ["utter_out_of_scope"]


async def test_a_question_about_a_job_read_as_an_aim_is_answered_not_offered_as_the_goal(uow_factory, domain):
    from actions.careers import ActionSaveCareerGoal

    enrol(uow_factory, "S1")
    # Will the job still be there: the career's profile, not "Save Electrician as your career goal?".
    said = await run(ActionSaveCareerGoal(), "will electricians still have work in 20 years", "share_career_goal", domain)
    assert responses(said) == ["utter_career_info"]
    assert said.messages[0]["title"] == "Electrician"
    # One the knowledge base answers gets that answer.
    cna = await run(ActionSaveCareerGoal(), "can a 16 year old be a certified nursing assistant", "share_career_goal",
                    domain)
    assert responses(cna) == ["utter_knowledge_answer"]
    # An aim said outright, with a question after it, is still the aim.
    aim = await run(ActionSaveCareerGoal(), "i want to be an electrician, is that smart?", "share_career_goal", domain)
    assert responses(aim) != ["utter_career_info"]
