"""The web app: the only door students and staff use. Rasa stays on loopback behind it."""
