"""Alembic environment: migrates the plan database named by the config's sqlalchemy.url.

The engine comes from the application's own factory, so migrating behaves like the app: the same
connection settings, and a SQLite file's folder is created when it does not exist yet.
"""
from alembic import context
from sqlalchemy import text

from bot.db.engine import get_engine
from bot.db.tables import metadata

config = context.config


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url", "")  # bot.db.migrate always sets it
    with get_engine(url).connect() as connection:
        if connection.dialect.name == "sqlite":
            # The app's SQLite connections enforce foreign keys; a batch migration copies and drops
            # tables, which must not cascade into the rows that point at them.
            connection.execute(text("PRAGMA foreign_keys=OFF"))
            connection.commit()
        # render_as_batch lets later migrations alter tables on SQLite too.
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        if connection.dialect.name == "sqlite":
            connection.execute(text("PRAGMA foreign_keys=ON"))  # the connection goes back to the app's pool
            connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
