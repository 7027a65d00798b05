from sqlalchemy import inspect

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
