"""`ilp demo seed` on a real database: `make run` seeds every time it starts, so seeding must be repeatable."""
import pytest
from sqlalchemy import func, select

from bot.db.tables import StaffUser, Student
from bot.config import Settings
from bot.demo import seed_demo_school


def test_seeding_twice_keeps_one_copy_of_everyone(uow_factory):
    first = seed_demo_school(uow_factory)
    second = seed_demo_school(uow_factory)
    assert first == second
    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count(Student.id))) == len(first.students)
        assert uow.session.scalar(select(func.count(StaffUser.id))) == len(first.staff)


@pytest.mark.usefixtures("database_in_environment")  # the command reads its settings from the environment
def test_production_seeds_no_demo_school_and_the_scaled_start_says_so_and_goes_on(database_url, monkeypatch, capsys):
    from bot.cli import main
    from bot.config import get_settings
    from bot.db.engine import get_session_factory

    monkeypatch.setenv("ILP_ENVIRONMENT", "production")
    get_settings.cache_clear()
    assert main(["demo", "seed"]) == 1
    assert "never seeded in production" in capsys.readouterr().err
    assert main(["demo", "seed", "--skip-in-production"]) == 0  # what `make run-scaled` runs
    assert "left out" in capsys.readouterr().out
    with get_session_factory(database_url)() as session:
        assert session.scalar(select(func.count(Student.id))) == 0


def test_production_will_not_start_on_a_database_a_development_run_seeded(database_url, uow_factory, tmp_path):
    from bot.bench.stack import free_port
    from bot.serve import StartupError, preflight

    production = Settings(environment="production", database_url=database_url, var_dir=tmp_path,
                          web_port=free_port(), rasa_port=free_port(), action_port=free_port(),
                          tracker_database_url=f"sqlite:///{tmp_path / 'tracker.db'}",
                          secret_key="s" * 32, rasa_token="r" * 32, action_token="a" * 32)
    with pytest.raises(StartupError, match="no trained model"):  # got past the demo check: there is none yet
        preflight(production.copy(update={"models_dir": tmp_path / "no-models"}))
    seed_demo_school(uow_factory)
    with pytest.raises(StartupError, match="holds demo accounts"):
        preflight(production)


@pytest.mark.usefixtures("database_in_environment")
def test_a_production_web_process_started_on_its_own_refuses_a_database_with_demo_accounts(
        database_url, uow_factory, monkeypatch):
    from bot.config import get_settings
    from bot.web import __main__ as web

    started = []
    monkeypatch.setattr(web.uvicorn, "run", lambda *args, **options: started.append(options))
    monkeypatch.setenv("ILP_ENVIRONMENT", "production")
    get_settings.cache_clear()
    web.main()  # no demo accounts: it starts
    assert len(started) == 1
    monkeypatch.setenv("ILP_ENVIRONMENT", "development")
    get_settings.cache_clear()
    seed_demo_school(uow_factory)
    monkeypatch.setenv("ILP_ENVIRONMENT", "production")
    get_settings.cache_clear()
    with pytest.raises(SystemExit, match="holds demo accounts"):
        web.main()
    assert len(started) == 1
