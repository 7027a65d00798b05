from sqlalchemy import inspect, text

from bot.db import engine as db_engine
from bot.db.migrate import downgrade, upgrade
from bot.db.tables import metadata


def test_migrations_create_every_table_and_downgrade_cleanly(database_url):
    engine = db_engine.get_engine(database_url)
    assert set(metadata.tables) <= set(inspect(engine).get_table_names())
    downgrade(database_url, "base")
    assert set(metadata.tables) & set(inspect(engine).get_table_names()) == set()
    upgrade(database_url)
    assert set(metadata.tables) <= set(inspect(engine).get_table_names())


def test_upgrade_twice_is_harmless(database_url):
    upgrade(database_url)
    upgrade(database_url)


def test_0007_gives_existing_accounts_session_version_zero_and_downgrades(database_url):
    engine = db_engine.get_engine(database_url)
    downgrade(database_url, "0006")
    assert "session_version" not in {column["name"] for column in inspect(engine).get_columns("staff_users")}
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO staff_users (email, display_name, role, password_hash, created_at) "
                                "VALUES (:email, 'Vol', 'advisor', 'x', CURRENT_TIMESTAMP)"),
                           {"email": "vol@business.example"})
    upgrade(database_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT session_version, disabled_at FROM staff_users")).one() == (0, None)
    assert "session_version" in {column["name"] for column in inspect(engine).get_columns("students")}
