import pytest
import yaml
from pydantic import ValidationError

from bot.config import PROJECT_ROOT, Settings
from bot.rasa_endpoints import rasa_endpoints, render


def test_plan_and_tracker_databases_are_separate_by_default(tmp_path):
    settings = Settings(var_dir=tmp_path)
    assert settings.database_url == f"sqlite:///{tmp_path / 'plan.db'}"
    assert settings.tracker_database_url == f"sqlite:///{tmp_path / 'tracker.db'}"


def test_production_refuses_placeholder_secrets():
    with pytest.raises(ValidationError, match="set a real secret"):
        Settings(environment="production")
    Settings(environment="production", rasa_token="x" * 20, secret_key="y" * 20)


def test_default_endpoints_use_sql_tracker_store_and_in_memory_lock(tmp_path):
    endpoints = rasa_endpoints(Settings(var_dir=tmp_path, action_port=6055))
    assert endpoints["action_endpoint"] == {"url": "http://127.0.0.1:6055/webhook"}
    assert endpoints["tracker_store"] == {"type": "SQL", "dialect": "sqlite", "db": str(tmp_path / "tracker.db")}
    assert endpoints["lock_store"] == {"type": "in_memory"}


def test_postgres_tracker_store_and_redis_lock_store_come_from_urls():
    endpoints = rasa_endpoints(Settings(
        tracker_database_url="postgresql://rasa:s3cret@db.internal:5433/ilp_tracker",
        redis_url="redis://:pw@cache.internal:6380/2"))
    assert endpoints["tracker_store"] == {"type": "SQL", "dialect": "postgresql", "db": "ilp_tracker",
                                          "url": "db.internal", "port": 5433, "username": "rasa", "password": "s3cret"}
    assert endpoints["lock_store"] == {"type": "redis", "url": "cache.internal", "port": 6380, "db": 2,
                                       "key_prefix": "ilp", "password": "pw"}


def test_rendered_file_is_yaml_rasa_can_read(tmp_path):
    assert yaml.safe_load(render(Settings(var_dir=tmp_path)))["tracker_store"]["type"] == "SQL"


def test_committed_endpoints_match_the_default_stores():
    committed = yaml.safe_load((PROJECT_ROOT / "endpoints.yml").read_text())
    default = rasa_endpoints(Settings())
    assert committed["action_endpoint"] == default["action_endpoint"]
    assert committed["tracker_store"]["type"] == default["tracker_store"]["type"]
    assert committed["lock_store"] == default["lock_store"]


def test_nginx_starts_only_after_every_rasa_instance_it_fronts(tmp_path):
    from bot.serve import children

    run_dir, log_dir = tmp_path / "run", tmp_path / "log"
    run_dir.mkdir()
    processes = children(Settings(var_dir=tmp_path, rasa_instances=3), tmp_path / "endpoints.yml", run_dir, log_dir)
    assert [child.name for child in processes if child.starts_last] == ["nginx"]
    instances = [child for child in processes if child.name.startswith("rasa-")]
    assert len(instances) == 3 and all(child.health_url for child in instances)
