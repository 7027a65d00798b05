"""The action server registers every custom action the domain lists."""
from rasa_sdk.executor import ActionExecutor


def test_every_domain_action_is_registered(domain):
    executor = ActionExecutor()
    executor.register_package("actions")
    # An action that needs the domain sent is listed as {name: {send_domain: true}}.
    listed = {action if isinstance(action, str) else next(iter(action)) for action in domain["actions"]}
    assert len(listed) == len(domain["actions"])
    assert listed <= set(executor.actions)
