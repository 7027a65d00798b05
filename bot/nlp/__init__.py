"""The project's own spaCy pipeline: built from data/, loaded by Rasa's SpacyNLP and by bot services."""
