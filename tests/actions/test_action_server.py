"""The action server registers every custom action the domain lists."""
from rasa_sdk.executor import ActionExecutor


def test_every_domain_action_is_registered(domain):
    executor = ActionExecutor()
    executor.register_package("actions")
    assert set(domain["actions"]) <= set(executor.actions)
