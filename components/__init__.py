"""Rasa-side adapters loaded by the Rasa server: input channels (and, later, graph components)."""
