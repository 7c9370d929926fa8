"""The one base of the errors a domain raises when a rule refuses a change."""

from __future__ import annotations


class DomainError(ValueError):
    """A rule refused the change. `message` is shown to the user (translated, possibly lazy); `field` names
    the form field it belongs to, if any. Each domain subclasses it (EventError, DelegationError, ...)."""

    def __init__(self, message, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
