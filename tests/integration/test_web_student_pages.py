"""The student's own pages against real SQLite databases: My plan in plain words, and the chat page's history
and greeting for a returning student, read from Rasa's own SQL tracker store. Rasa itself is not called."""
from __future__ import annotations

import asyncio
import datetime as dt
import re
import time
import uuid

import httpx
import pytest
from fastapi.testclient import TestClient
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.config import Settings
from bot.nlp.mentions import Mention
from bot.plans.goals import record_goal, record_goal_step, set_step_due_date
from bot.plans.inventory import record_inventory_answer
from bot.plans.services import record_career_goal
from bot.plans.values import record_value_choice
from bot.rasa_client import RasaClient
from bot.web.app import create_app
from tests.builders import enrol, give_sign_in_code
from tests.clock import Clock
from tests.web_clients import sign_in_student, visible_text

# The apps here are built from Settings() read from the environment, as `python -m bot.web` builds its own.
pytestmark = pytest.mark.usefixtures("database_in_environment")

TODAY = dt.datetime(2026, 12, 6, 15, 0)
ANSWER = '/answer_inventory{"inventory_item":"r01","inventory_choice":"%s"}'
QUIZ_BUTTONS = [{"title": "👍 Like", "payload": ANSWER % "like"}, {"title": "🤷 Not sure", "payload": ANSWER % "unsure"}]


def nothing_from_rasa() -> RasaClient:
    """The pages under test never call Rasa; a call would fail the test."""
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"Rasa was called: {request.url}")
    return RasaClient("http://rasa.test", "token", transport=httpx.MockTransport(refuse))


@pytest.fixture
def tracker(tmp_path):
    """Rasa's own SQLTrackerStore on a SQLite file apart from the plan database."""
    path = tmp_path / "tracker.db"
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(path))
    yield store, f"sqlite:///{path}"
    store.engine.dispose()


def student_client(uow_factory, tracker_url: str, student_id: str = "S1") -> TestClient:
    enrol(uow_factory, student_id, grade=9, school="Test High School")
    code = give_sign_in_code(uow_factory, student_id)
    app = create_app(Settings(secret_key="k" * 32, tracker_database_url=tracker_url), rasa=nothing_from_rasa(),
                     clock=Clock(TODAY))
    client = TestClient(app)
    assert sign_in_student(client, student_id, code).status_code == 303
    return client


def store_turns(store: SQLTrackerStore, sender: str, turns: list[tuple]) -> None:
    """Saves a conversation as Rasa does: ("user", text, intent) and ("bot", text, buttons) in order."""
    tracker = DialogueStateTracker(sender, slots=[])
    at = time.time() - 3 * 24 * 3600
    for number, (speaker, text, extra) in enumerate(turns):
        if speaker == "user":
            tracker.update(UserUttered(text, intent={"name": extra, "confidence": 1.0}, message_id=uuid.uuid4().hex,
                                       timestamp=at + number))
        else:
            tracker.update(BotUttered(text, data={"buttons": extra}, timestamp=at + number))
    asyncio.run(store.save(tracker))


def plan_with_codes_and_dates(uow_factory) -> None:
    """What the issue's walk-through saw on My plan: a career with its O*NET code, a personal goal whose step is due
    on a date, a work value with an O*NET name, and an interest code."""
    game_designer = Mention("career", "15-1255.01", "Video Game Designers", "A", "game designer")
    record_career_goal(uow_factory(), "S1", "i want to make video games", "S1:m1",
                       recognise=lambda text: [game_designer])
    goal_id = record_goal(uow_factory(), "S1", "practice drawing every day", "S1:m2")
    step_id = record_goal_step(uow_factory(), "S1", goal_id, "idk", "S1:m3")
    set_step_due_date(uow_factory(), "S1", step_id, "dec 19", "S1:m4", today=TODAY.date())
    record_value_choice(uow_factory(), "S1", "working_conditions", "S1:m5")
    for number, (item, answer) in enumerate([("r01", "like"), ("i01", "like"), ("a01", "unsure")]):
        record_inventory_answer(uow_factory(), "S1", item, answer, f"S1:q{number}")


def test_my_plan_has_no_career_codes_utc_times_or_status_names(uow_factory, tracker):
    client = student_client(uow_factory, tracker[1])
    plan_with_codes_and_dates(uow_factory)
    page = visible_text(client.get("/plan").text)
    assert "Video Game Designers" in page
    assert "O*NET" not in page and "15-1255" not in page
    assert "UTC" not in page and "00:00" not in page
    assert "idk by Saturday, December 19" in page
    assert not re.search(r"\((career|education|personal), (active|done|replaced|dropped)\)", page), page
    assert "Personal goal: practice drawing every day" in page


def test_my_plan_shows_work_values_in_the_words_the_student_chose(uow_factory, tracker):
    client = student_client(uow_factory, tracker[1])
    plan_with_codes_and_dates(uow_factory)
    page = visible_text(client.get("/plan").text)
    assert "Good pay and a steady job" in page
    assert "Working Conditions" not in page and "working conditions" not in page.lower()


def test_my_plan_explains_each_letter_of_the_interest_code(uow_factory, tracker):
    client = student_client(uow_factory, tracker[1])
    plan_with_codes_and_dates(uow_factory)
    page = visible_text(client.get("/plan").text)
    assert "Your interest code is RIA: Realistic (hands-on), Investigative (curious), Artistic (creative)." in page
    for explained in ("R: Realistic, hands-on (building, fixing, working outdoors)",
                      "I: Investigative, curious (figuring out how things work)",
                      "A: Artistic, creative (making art, music, stories)"):
        assert explained in page


def test_a_returning_student_sees_their_recent_messages_as_they_saw_them(uow_factory, tracker):
    store, url = tracker
    client = student_client(uow_factory, url)
    store_turns(store, "S1", [
        ("user", "hi", "greet"),
        ("bot", "Hey! I'm ILP Advisor.", [{"title": "Take the interest quiz", "payload": "/start_inventory"}]),
        ("user", "/start_inventory", "start_inventory"),
        ("bot", "Question 1 of 42: Fix a bike", QUIZ_BUTTONS),
        ("user", QUIZ_BUTTONS[1]["payload"], "answer_inventory"),
        ("bot", "Question 2 of 42: Study how plants grow", QUIZ_BUTTONS),
    ])
    store_turns(store, "S2", [("user", "someone else's words", "share_interest")])
    record_inventory_answer(uow_factory(), "S1", "r01", "unsure", "S1:q1")
    page = client.get("/chat").text
    log = page[page.index('<ol id="log"'):page.index("</ol>")]
    said = [visible_text(item) for item in re.findall(r'<li class="student[^"]*">(.*?)</li>', log, re.S)]
    assert said == ["You said: hi", "You said: Take the interest quiz", "You said: 🤷 Not sure"]
    assert "Question 2 of 42: Study how plants grow" in log
    assert "/answer_inventory" not in log and "/start_inventory</p>" not in log
    assert "someone else" not in page


def test_a_returning_student_is_greeted_with_where_they_left_off(uow_factory, tracker):
    store, url = tracker
    client = student_client(uow_factory, url)
    store_turns(store, "S1", [("user", "/start_inventory", "start_inventory"),
                              ("bot", "Question 1 of 42: Fix a bike", QUIZ_BUTTONS),
                              ("user", QUIZ_BUTTONS[0]["payload"], "answer_inventory")])
    record_inventory_answer(uow_factory(), "S1", "r01", "like", "S1:q1")
    page = client.get("/chat").text
    greeting = visible_text(re.search(r'<li class="bot greeting".*?</li>', page, re.S).group(0))
    assert greeting == ("ILP Advisor says: Welcome back, Sam! Last time you were taking the interest quiz: "
                        "1 of 42 questions answered. Want to finish it? Finish the quiz")
    assert 'data-payload="/start_inventory"' in page


def test_the_chat_opens_when_the_tracker_store_cannot_be_read(uow_factory, tmp_path, caplog):
    # A guard for the history: a store that cannot be read (here a folder, not a database file) costs the
    # history, never the chat.
    client = student_client(uow_factory, f"sqlite:///{tmp_path}")
    page = client.get("/chat")
    assert page.status_code == 200 and 'id="composer"' in page.text
    assert 'class="bot greeting"' not in page.text and "Earlier" not in page.text
    assert "the tracker store could not be read for the chat history: OperationalError" in caplog.text
