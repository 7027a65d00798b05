"""Domain errors the entrypoints (actions, web app, CLI) translate into their own protocol."""


class IlpError(Exception):
    """Base class: the message is safe to show to the person who caused it."""


class UnknownStudent(IlpError):
    def __init__(self, external_id: str) -> None:
        super().__init__(f"no student with ID {external_id!r} is on the roster")
        self.external_id = external_id


class UnknownUser(IlpError):
    pass


class InvalidAnswer(IlpError):
    """An answer that cannot be saved as given; `reason` names why (empty, too_long, no_words)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class InvalidInput(IlpError):
    pass
