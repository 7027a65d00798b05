"""How sure a reading of typed words is (bot.plans.readings): the cases from issue 19's walk-through first."""
import pytest

from bot.plans.readings import (
    Correction, aims_at_a_career, career_aim_words, correction_in, due_words_in, goal_stated_in, is_change_of_mind,
    is_half_hearted, is_hedged, is_non_answer, is_question, is_undo, says_yes, states_an_aim, step_labelled,
)


@pytest.mark.parametrize("text, expected", [
    ("idk", True),                        # the goal step that was saved as "idk"
    ("stuff i guess", True),              # got two replies in the walk-through
    ("i dont know lol", True),
    ("Not sure yet.", True),
    ("no", True),                         # a bare no is no answer to "what's a first step?"
    ("?", True),
    ("", True),
    ("idk maybe study more", False),      # hedged, but there is an answer in it
    ("idk like nothing really", True),    # non-answers strung together with filler
    ("nothing really idk", True),
    ("idk like drawing", False),          # an answer after the filler
    ("watch a scratch tutorial", False),
    ("get a B in math", False),
    ("k thank you!", True),               # thanks is no goal step
    ("thx", True),
])
def test_non_answers(text, expected):
    assert is_non_answer(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("ok nvm back to my goal", True),     # was saved as the goal step
    ("nvm", True),
    ("Never mind.", True),
    ("nevermind lol", True),
    ("no wait", True),                    # was saved as the goal step too
    ("wait", True),
    ("oh wait hold on", True),
    ("hang on a sec", True),
    ("wait a minute", True),
    ("give me a sec", True),
    ("actually forget it", True),
    ("forget about that", True),
    ("ok i changed my mind", True),
    ("go back", True),
    ("lets go back to the goal", True),
    ("can we go back to the questions", True),
    ("back to what we were doing", True),
    ("lets do something else", True),
    ("i dont want to do this", True),
    ("i don't want to anymore", True),
    ("ok", False),                        # no change of mind: a non-answer, which gets ideas
    ("idk", False),
    ("wait for my counselor to email me back", False),  # steps that start like a change of mind
    ("go back to the library after school", False),
    ("get back to practicing piano", False),
    ("actually study 20 minutes a day", False),
    ("forget about my phone while i study", False),
    ("i dont want to fail math so study", False),
    ("do something else every day", False),
    ("ask my teacher what to do first", False),
])
def test_a_change_of_mind(text, expected):
    assert is_change_of_mind(text) is expected


def test_a_long_message_is_read_at_once():
    assert is_change_of_mind("ok " * 400 + "nvm") is True
    assert is_change_of_mind("wait " * 400 + "for the bus") is False


@pytest.mark.parametrize("text, expected", [
    ("actually what jobs fit me?", True),  # was saved as a goal step
    ("what jobs fit me", True),
    ("can i talk to my counselor about my schedule", True),
    ("do my homework every night", False),
    ("call my aunt who is a nurse", False),
    ("do you have to be good at math to be an accountant", True),  # added after set H was read
    ("did u save my goal", True),
    ("do the dishes after dinner", False),
])
def test_questions(text, expected):
    assert is_question(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("after hs prob college or smth idk", True),  # became a firm four-year college
    ("maybe the army", True),
    ("college or work", True),                   # two paths
    ("after high school im going to community college", False),
    ("4 year college", False),
])
def test_hedges(text, expected):
    assert is_hedged(text) is expected


@pytest.mark.parametrize("text, named, expected", [
    ("can i talk to my counselor about my schedule", "counselor", False),  # saved Mental Health Counselor
    ("my mom is a nurse", "nurse", False),
    ("i want to be a nurse", "nurse", True),
    ("actually i want to be a chef now", "chef", True),
    ("electrician", "electrician", True),   # the name alone, as an answer
    ("a nurse", "nurse", True),
    ("i wanna be a snorkmaster", "", True),  # an aim, even for a job the catalog does not know
    ("ok put plumber", "plumber", True),     # blind whole conversations (tests/whole_conversations)
    ("i wanna make video games when im older", "video game", True),
    ("i want to talk to my counselor", "counselor", False),
    ("ok that sounds cool save dentist as my goal", "dentist", True),  # "as my goal" says what it is
])
def test_career_aims(text, named, expected):
    assert states_an_aim(text, named) is expected


@pytest.mark.parametrize("text, expected", [
    ("wait no my step is watch a scratch tutorial", Correction("watch a scratch tutorial", "step")),
    ("Wait, no - my first step is: call my aunt.", Correction("call my aunt", "step")),
    ("actually my goal is to make varsity", Correction("make varsity", "goal")),
    ("no i meant watch a tutorial", Correction("watch a tutorial", None)),
    ("wait no", None),
    ("no my step is idk", None),  # replacing an answer with no answer replaces nothing
    ("watch a scratch tutorial", None),
])
def test_corrections(text, expected):
    assert correction_in(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("undo that", True),
    ("nvm delete that", True),
    ("that's wrong", True),
    ("no thats not what i said", True),
    ("no i changed my mind", True),
    ("take that back pls", True),
    ("nvm delete that last step", True),
    ("no", False),          # a plain no is a no; right after a save the rule makes it an undo
    ("hold on no", True),   # "wait, no": a take-back, even a turn after the save
    ("no wait!!", True),
    ("delete my account", False),
    ("scratch that, i want to be a social worker", False),  # a new career goal, not an undo
    ("no espera borra eso", True),                         # Spanish: "no wait, delete that"
    ("eso esta mal", True),
    ("borra la tarea de matematicas", False),              # names something else to delete
    ("ugh delete that i dont know yet", True),             # a reason after the undo
    ("take it off my plan, i'm still deciding", True),
    ("remove that cuz i was joking", True),
    ("undo that and put teacher instead", False),          # asks for something new as well
    # added after set H was read: take-backs said twice over
    ("no its not right, remove it", True),
    ("oops wrong, take it off my plan", True),
    ("its incorrect delete that pls", True),
])
def test_undo(text, expected):
    assert is_undo(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("my goal is to make my own game this year", "make my own game this year"),
    ("goal: finish my essay before break", "finish my essay before break"),
    ("ok my goal is get a B in algebra", "get a B in algebra"),
    ("add a goal to bring my grades up", "bring my grades up"),
    ("i wanna set a goal to join a club this year", "join a club this year"),
    ("mi goal es pass driving test", "pass driving test"),
    ("can u make a goal for me to read 3 books", "read 3 books"),  # "for me" before it
    ("set a goal for me - save up for a bike", "save up for a bike"),
    ("make a goal for me", None),
    ("add a goal", None),                        # the bot asks for the goal
    ("i want to set a goal", None),
    ("my goal is idk", None),                    # no goal in it: the bot helps instead
    ("my goal is what?", None),
])
def test_a_goal_stated_with_the_request_for_one(text, expected):
    assert goal_stated_in(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("step 1 watch a scratch tutorial", "watch a scratch tutorial"),
    ("Step two - call the recruiter", "call the recruiter"),
    ("step: ask my coach", "ask my coach"),
    ("first step is to email my teacher", "email my teacher"),
    ("step make a study sheet tonight", "make a study sheet tonight"),
    ("steps are hard", None),                    # not a label
    ("step", None),                              # a label with nothing after it
    ("ask my coach about tryouts", None),        # a step, but not labelled as one
])
def test_a_step_labelled_as_one(text, expected):
    assert step_labelled(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("get my library card by jan 5", "jan 5"),
    ("make a study sheet tonight", "tonight"),
    ("finish the essay before friday", "friday"),
    ("work on my essay", None),                  # "on" dates nothing here
    ("read two books", None),
])
def test_the_date_given_with_a_step(text, expected):
    assert due_words_in(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("i want to be a welder", True),
    ("quiero ser electricista", True),
    ("my dream job is pilot", True),
    ("also change my career to dental assistant", True),
    ("i want to become better at math", False),  # a fine step or goal, not a career
    ("make a game in scratch", False),
    ("ask the nurse about the health class", False),
])
def test_a_career_said_outright(text, expected):
    assert aims_at_a_career(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("quiero ser mecánico de carros", "mecánico de carros"),
    ("i wanna make video games when im older", "make video games when im older"),
    ("my dream job is to be a zookeeper", "zookeeper"),
    ("i want to be idk", None),                  # nothing meant yet
    ("i like drawing", None),                    # no aim
])
def test_the_career_meant_in_the_students_words(text, expected):
    assert career_aim_words(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("yeah save that", True),
    ("si correcto", True),
    ("ye", True),
    ("lmaooo", False),           # read as a yes by the classifier: not one
    ("nvm delete that", False),
])
def test_words_that_say_yes(text, expected):
    assert says_yes(text) is expected


@pytest.mark.parametrize("text, someone_else", [
    ("my grandpa keeps saying i should be a lawyer", True),
    ("my older sister is going to a university next fall", True),
    ("my stepdad wants me to join the army", True),
    ("i want to be a teacher like my aunt", False),  # the student's own aim, a person as the model
    ("im going to community college with my cousin", False),
    ("i want to be a vet", False),
])
def test_another_persons_plan_or_wish_is_not_the_students(text, someone_else):
    from bot.plans.readings import about_someone_else, states_an_aim

    assert about_someone_else(text) is someone_else
    if someone_else:
        assert not states_an_aim(text, "lawyer")


@pytest.mark.parametrize("text, names_nothing", [
    ("idk which step", True), ("not sure what to write", True), ("i dont know when tbh", True),
    ("idk maybe study for the act", False), ("idk, clean my room", False),
])
def test_unsure_words_followed_only_by_the_question_name_nothing(text, names_nothing):
    from bot.plans.readings import is_non_answer

    assert is_non_answer(text) is names_nothing


@pytest.mark.parametrize("text, asks", [
    ("i just started 7th grade, what is this for", True), ("how does this work?", True),
    ("i know what it takes to win", False), ("i figure out how things work", False),
])
def test_a_message_that_ends_by_asking_what_the_chat_is(text, asks):
    from bot.plans.readings import asks_what_this_is

    assert asks_what_this_is(text) is asks


@pytest.mark.parametrize("text, reported", [
    ("my cousin says electricians make bank", True),
    ("lol my coach keeps saying i should be a trainer", True),
    ("my aunt told me nursing school is hard", True),
    ("i cook with my mom on sundays", False),      # the student's own doing
    ("my mom is a nurse", False),                   # about someone, but nobody's words passed on
])
def test_another_persons_words_passed_on(text, reported):
    from bot.plans.readings import reports_someone_elses_words

    assert reports_someone_elses_words(text) is reported


@pytest.mark.parametrize("text, expected", [
    ("art class i guess", True),
    ("i like running, i guess", True),
    ("guess so", True),
    ("i like running", False),
    ("i can guess the answers in trivia", False),
])
def test_half_hearted_likes(text, expected):
    assert is_half_hearted(text) is expected


@pytest.mark.parametrize("text", [
    "i already know what i want: electrician",
    "what i want is simple, a welder",
])
def test_what_i_want_before_a_job_states_an_aim(text):
    assert states_an_aim(text)
