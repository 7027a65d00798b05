import json
import stat
import sys

import pytest
import yaml
from pydantic import ValidationError

from bot import serve
from bot.config import PROJECT_ROOT, SECRET_SETTINGS, Settings
from bot.generated_secrets import SECRETS_FILE, with_generated_secrets
from bot.rasa_endpoints import TRACKER_STORE_CLASS, rasa_endpoints, render
from bot.serve import StartupError, preflight


def test_plan_and_tracker_databases_are_separate_by_default(tmp_path):
    settings = Settings(var_dir=tmp_path)
    assert settings.database_url == f"sqlite:///{tmp_path / 'plan.db'}"
    assert settings.tracker_database_url == f"sqlite:///{tmp_path / 'tracker.db'}"


@pytest.mark.parametrize("environment", ["development", "production"])
@pytest.mark.parametrize("secret", [
    "development-only-not-secret",  # the placeholder this repository once published as the default
    "short-secret",                 # under 16 characters
])
@pytest.mark.parametrize("name", SECRET_SETTINGS)
def test_a_published_or_short_secret_is_refused_in_every_environment(environment, secret, name):
    with pytest.raises(ValidationError, match="set a real secret"):
        Settings(environment=environment, **{name: secret})


@pytest.mark.parametrize("binds, environment", [
    ({}, "development"),                                                  # everything on loopback
    ({"host": "localhost", "internal_host": "::1"}, "development"),
    ({"host": "0.0.0.0"}, "production"),                                  # the web app reachable from outside
    ({"internal_host": "10.1.2.3"}, "production"),                        # Rasa and actions on a network
    ({"host": "0.0.0.0", "environment": "development"}, "development"),   # said explicitly: taken as said
])
def test_production_is_the_default_once_a_server_binds_beyond_loopback(binds, environment):
    assert Settings(**binds).environment == environment


def test_secrets_not_given_are_generated_once_into_an_owner_only_file(tmp_path):
    given = "g" * 32
    first = with_generated_secrets(Settings(var_dir=tmp_path / "var", rasa_token=given))
    again = with_generated_secrets(Settings(var_dir=tmp_path / "var"))
    path = tmp_path / "var" / SECRETS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first.rasa_token == given  # the environment wins
    for name in SECRET_SETTINGS:
        assert len(getattr(again, name)) >= 32
        assert name == "rasa_token" or getattr(first, name) == getattr(again, name)
    assert len({getattr(again, name) for name in SECRET_SETTINGS}) == len(SECRET_SETTINGS)


def test_production_generates_no_secret_and_serve_names_every_missing_one(tmp_path):
    settings = with_generated_secrets(Settings(var_dir=tmp_path, environment="production", secret_key="s" * 32))
    assert settings.rasa_token is None and not (tmp_path / SECRETS_FILE).exists()
    with pytest.raises(StartupError, match="ILP_RASA_TOKEN, ILP_ACTION_TOKEN") as refused:
        preflight(settings)
    assert "ILP_SECRET_KEY" not in str(refused.value)


def test_default_endpoints_use_sql_tracker_store_and_in_memory_lock(tmp_path):
    endpoints = rasa_endpoints(Settings(var_dir=tmp_path, action_port=6055, action_token="a" * 32))
    # Rasa sends the action token on every call; the action server refuses calls without it.
    assert endpoints["action_endpoint"] == {"url": "http://127.0.0.1:6055/webhook",
                                            "headers": {"Authorization": f"Bearer {'a' * 32}"},
                                            "enable_selective_domain": True}
    assert endpoints["tracker_store"] == {"type": TRACKER_STORE_CLASS, "dialect": "sqlite",
                                          "db": str(tmp_path / "tracker.db")}
    assert endpoints["lock_store"] == {"type": "in_memory"}


def test_postgres_tracker_store_and_redis_lock_store_come_from_urls():
    endpoints = rasa_endpoints(Settings(
        tracker_database_url="postgresql://rasa:s3cret@db.internal:5433/ilp_tracker",
        redis_url="redis://:pw@cache.internal:6380/2"))
    assert endpoints["tracker_store"] == {"type": TRACKER_STORE_CLASS, "dialect": "postgresql", "db": "ilp_tracker",
                                          "url": "db.internal", "port": 5433, "username": "rasa", "password": "s3cret"}
    assert endpoints["lock_store"] == {"type": "redis", "url": "cache.internal", "port": 6380, "db": 2,
                                       "key_prefix": "ilp", "password": "pw"}


def test_rendered_file_is_yaml_rasa_can_read(tmp_path):
    assert yaml.safe_load(render(Settings(var_dir=tmp_path)))["tracker_store"]["type"] == TRACKER_STORE_CLASS


def test_committed_endpoints_match_the_default_stores():
    committed = yaml.safe_load((PROJECT_ROOT / "endpoints.yml").read_text())
    default = rasa_endpoints(Settings())
    assert committed["action_endpoint"]["url"] == default["action_endpoint"]["url"]
    assert committed["action_endpoint"]["enable_selective_domain"] is True
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


@pytest.mark.parametrize("environment, named", [
    ({"ILP_RASA_INSTANCES": "0"}, "ILP_RASA_INSTANCES: must be from 1 to 16"),
    ({"ILP_WEB_PORT": "eighty"}, "ILP_WEB_PORT: value is not a valid integer"),
    ({"ILP_SECRET_KEY": "short"}, "ILP_SECRET_KEY: set a real secret"),
])
def test_a_broken_setting_is_named_by_its_variable_and_rule_not_a_traceback(monkeypatch, capsys, environment, named):
    from bot.cli import main
    from bot.config import get_settings

    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        assert main(["flags", "list"]) == 1
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert err.startswith(f"error: {named}") and "Traceback" not in err, err


def test_deploy_docs_hold_the_settings_table_the_code_generates(capsys):
    from bot.cli import main

    deploy = (PROJECT_ROOT / "docs" / "deploy.md").read_text()
    documented = deploy.split("<!-- settings table: generated by `ilp settings` -->\n")[1].split("<!-- end")[0]
    assert main(["settings"]) == 0
    printed = capsys.readouterr().out
    assert documented == printed, "docs/deploy.md's settings table differs from `ilp settings`: paste its output there"
    assert all(f"`ILP_{name.upper()}`" in printed for name in Settings.__fields__)


def test_servers_start_with_one_blas_thread_and_no_telemetry(tmp_path):
    """A child of `ilp serve` reads its own environment: OpenBLAS runs in the calling thread, Rasa sends nothing."""
    out = tmp_path / "env.json"
    child = serve.Child("probe", [sys.executable, "-c",
                                  f"import json, os; open({str(out)!r}, 'w').write(json.dumps(dict(os.environ)))"],
                        health_url=None)
    serve.start(child, tmp_path)
    assert child.process.wait(timeout=30) == 0
    env = json.loads(out.read_text())
    assert env["OPENBLAS_NUM_THREADS"] == "1"
    assert env["RASA_TELEMETRY_ENABLED"] == "false"


def test_rasa_sends_the_domain_to_every_action_that_reads_it_and_to_no_other():
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig
    from rasa_sdk import FormValidationAction
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    # A form's validation reads the form's required slots from the domain; no other action of ours reads it.
    reads_domain = {name for name, action in executor.actions.items()
                    if isinstance(getattr(action, "__self__", None), FormValidationAction)}
    assert reads_domain == {"validate_goal_form", "validate_advisor_script_form", "validate_values_form"}
    domain = Domain.load(str(PROJECT_ROOT / "domain.yml"))
    endpoint = EndpointConfig.from_dict(rasa_endpoints(Settings(action_token="a" * 32))["action_endpoint"])
    for name in executor.actions:
        sent = RemoteAction(name, endpoint)._action_call_format(DialogueStateTracker("s1", []), domain)
        assert ("domain" in sent) == (name in reads_domain), name
