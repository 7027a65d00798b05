"""ILP Advisor core: plan database, domain services, web app and CLI. Knows nothing of Rasa."""
