"""Rasa custom actions: thin adapters that read the tracker, call one service in bot/, and reply."""
