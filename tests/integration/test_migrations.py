import os
import re
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import CheckConstraint, Column, create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from sqlalchemy.sql.visitors import iterate

from bot.db import engine as db_engine
from bot.db.migrate import downgrade, upgrade
from bot.db.tables import metadata
from tests.conftest import throwaway_postgres_database


def test_migrations_create_every_table_and_downgrade_cleanly(database_url):
    engine = db_engine.get_engine(database_url)
    assert set(metadata.tables) <= set(inspect(engine).get_table_names())
    downgrade(database_url, "base")
    assert set(metadata.tables) & set(inspect(engine).get_table_names()) == set()
    upgrade(database_url)
    assert set(metadata.tables) <= set(inspect(engine).get_table_names())


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_database_url(request, tmp_path):
    """An empty database of its own: a SQLite file, or a uniquely named PostgreSQL database dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'plan.db'}"
        db_engine.dispose_all()
    else:
        with throwaway_postgres_database("ilp_compare") as url:
            yield url


# SQLAlchemy 1.4 reflects no index on an expression (lower(...)), so autogenerate skips them, saying so.
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_the_migrations_at_head_match_the_models_for_every_table(fresh_database_url):
    upgrade(fresh_database_url)
    upgrade(fresh_database_url)  # a second upgrade finds nothing to do
    with db_engine.get_engine(fresh_database_url).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "compare_server_default": True})
        assert set(metadata.tables) <= set(inspect(connection).get_table_names())
        # What `alembic revision --autogenerate` would write: nothing, for any table.
        assert compare_metadata(context, metadata) == []
        # The indexes autogenerate cannot compare: there under their names, unique, on the same columns.
        expression_indexes = [index for table in metadata.tables.values() for index in table.indexes
                              if any(not isinstance(part, Column) for part in index.expressions)]
        assert {index.name for index in expression_indexes} == {"uq_students_external_id_lower",
                                                              "uq_earned_credits_course_term"}
        for index in expression_indexes:
            definition = _index_definition(connection, index.name).lower()
            assert definition.startswith("create unique index"), definition
            named = set(re.findall(r"\w+", definition)) & set(index.table.columns.keys())
            assert named == {part.name for expression in index.expressions for part in iterate(expression)
                             if isinstance(part, Column)}, definition
        # CHECK constraints, which Alembic 1.19.0 compares by name only (and later versions not at all unless asked):
        # every table has the models' under the same names, each on the same columns with the same values.
        inspector = inspect(connection)
        for table in metadata.sorted_tables:
            in_models = {check.name: _check_meaning(str(check.sqltext), table) for check in table.constraints
                         if isinstance(check, CheckConstraint)}
            in_database = {check["name"]: _check_meaning(check["sqltext"], table)
                           for check in inspector.get_check_constraints(table.name)}
            assert in_database == in_models, table.name
        assert sum(isinstance(check, CheckConstraint) for table in metadata.sorted_tables
                   for check in table.constraints) >= 30  # the comparison above saw them


def _check_meaning(sql: str, table) -> tuple:
    """What a CHECK constraint's SQL says, however the database wrote it back ("kind IN ('a', 'b')" on SQLite,
    "((kind)::text = ANY ((ARRAY['a'::character varying, ...])::text[]))" on PostgreSQL): the columns it names,
    the strings and the numbers it compares them with."""
    strings = sorted(re.findall(r"'([^']*)'", sql))
    rest = re.sub(r"::\s*[a-z ]+(\[\])?", "", re.sub(r"'[^']*'", "''", sql))  # without strings and casts
    columns = set(re.findall(r"[A-Za-z_]\w*", rest)) & set(table.columns.keys())
    numbers = sorted({float(number) for number in re.findall(r"(?<![\w.])\d+(?:\.\d+)?", rest)})
    return columns, strings, numbers


def _index_definition(connection, name: str) -> str:
    if connection.dialect.name == "sqlite":
        return connection.scalar(text("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :name"),
                                 {"name": name})
    return connection.scalar(text("SELECT indexdef FROM pg_indexes WHERE indexname = :name"), {"name": name})


def test_ilp_db_upgrade_works_where_the_var_folder_does_not_exist_yet(tmp_path, monkeypatch, capsys):
    from bot.cli import main
    from bot.config import get_settings

    var_dir = tmp_path / "fresh-clone" / "var"
    plan_url = f"sqlite:///{tmp_path / 'databases-not-made-yet' / 'plan.db'}"  # a folder nothing else makes
    monkeypatch.setenv("ILP_VAR_DIR", str(var_dir))
    monkeypatch.setenv("ILP_DATABASE_URL", plan_url)
    monkeypatch.delenv("ILP_TRACKER_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    try:
        assert main(["db", "upgrade"]) == 0, capsys.readouterr().err
        engine = db_engine.get_engine(plan_url)
        assert set(metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        get_settings.cache_clear()
        db_engine.dispose_all()


@pytest.mark.postgres
def test_ilp_db_upgrade_creates_the_postgres_databases_it_is_given(monkeypatch, capsys):
    admin_url = os.environ.get("ILP_TEST_POSTGRES_URL")
    if not admin_url:
        pytest.skip("ILP_TEST_POSTGRES_URL is not set")
    from bot.bench.stack import drop_postgres_database
    from bot.cli import main
    from bot.config import get_settings

    name = f"ilp_new_{uuid.uuid4().hex[:8]}"
    plan, tracker = (make_url(admin_url).set(database=f"{name}_{kind}").render_as_string(hide_password=False)
                     for kind in ("plan", "tracker"))
    monkeypatch.setenv("ILP_DATABASE_URL", plan)
    monkeypatch.setenv("ILP_TRACKER_DATABASE_URL", tracker)
    get_settings.cache_clear()
    try:
        assert main(["db", "upgrade"]) == 0, capsys.readouterr().err
        assert set(metadata.tables) <= set(inspect(db_engine.get_engine(plan)).get_table_names())
        with create_engine(tracker, future=True, poolclass=NullPool).connect() as connection:
            assert connection.scalar(text("SELECT current_database()")) == f"{name}_tracker"
        assert main(["db", "upgrade"]) == 0  # and again, with both there
    finally:
        get_settings.cache_clear()
        db_engine.dispose_all()
        drop_postgres_database(admin_url, plan)
        drop_postgres_database(admin_url, tracker)


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


INSERT_STUDENT = text("INSERT INTO students (external_id, school_id, first_name, last_name, grade, created_at, "
                      "updated_at) VALUES (:id, (SELECT id FROM schools), 'A', 'B', 8, CURRENT_TIMESTAMP, "
                      "CURRENT_TIMESTAMP)")


def test_0008_refuses_ids_that_differ_only_in_case_and_names_them(database_url):
    engine = db_engine.get_engine(database_url)
    downgrade(database_url, "0007")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO schools (name, created_at) VALUES ('North', CURRENT_TIMESTAMP)"))
        for external_id in ("S1001", "s1001", "S1002"):
            connection.execute(INSERT_STUDENT, {"id": external_id})
    with pytest.raises(RuntimeError, match=r"differ only in case: s1001\. .*merge or rename"):
        upgrade(database_url)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM students WHERE external_id = 's1001'"))
    upgrade(database_url)
    with engine.connect() as connection, pytest.raises(Exception, match="(?i)unique"):
        connection.execute(INSERT_STUDENT, {"id": "s1002"})
