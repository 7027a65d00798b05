"""The web app works on the plan database its settings name, whatever the environment names."""
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.config import Settings, get_settings
from bot.db.engine import get_session_factory
from bot.db.migrate import upgrade
from bot.db.tables import SignInFailure
from bot.db.unit_of_work import UnitOfWork
from bot.web.app import create_app
from tests.builders import enrol, give_sign_in_code
from tests.integration.test_web_student_pages import nothing_from_rasa
from tests.web_clients import sign_in_student


def units_of_work_on(url: str):
    # Built by hand, not with units_of_work: this test also runs against the code from before the factory.
    return lambda: UnitOfWork(get_session_factory(url))


def sign_in_failures(uow_factory) -> int:
    with uow_factory() as uow:
        return uow.session.scalar(select(func.count(SignInFailure.id)))


def test_the_app_reads_and_writes_the_plan_database_its_settings_name(tmp_path, monkeypatch, request):
    named, elsewhere = (f"sqlite:///{tmp_path / name}.db" for name in ("named", "elsewhere"))
    for url in (named, elsewhere):
        upgrade(url)
    monkeypatch.setenv("ILP_DATABASE_URL", elsewhere)  # what a process's own settings would read
    monkeypatch.setenv("ILP_VAR_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    request.addfinalizer(get_settings.cache_clear)
    in_named, in_elsewhere = units_of_work_on(named), units_of_work_on(elsewhere)
    enrol(in_named, "S1")
    code = give_sign_in_code(in_named, "S1")
    client = TestClient(create_app(Settings(secret_key="k" * 32, database_url=named), rasa=nothing_from_rasa()))

    assert sign_in_student(client, "S1", "WRONG-CODE").status_code == 401  # the throttle writes down the failure
    assert sign_in_failures(in_named) > 0 and sign_in_failures(in_elsewhere) == 0
    assert sign_in_student(client, "S1", code).status_code == 303  # the student is read from the same database
