"""Domain errors. Every context raises these (or subclasses) with a stable code.

The API turns them into RFC 9457 problem details (``qms.shared.problems``); pages show
``message`` in the user's language. A code, once published, never changes meaning.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A business rule refused the request. Nothing was written."""

    status: int = 400
    default_code: str = "domain_error"
    title: str = "The request breaks a business rule"

    def __init__(self, message: str, *, code: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.details = details

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class ValidationFailed(DomainError):
    status = 422
    default_code = "validation_failed"
    title = "The input is not valid"


class NotFound(DomainError):
    status = 404
    default_code = "not_found"
    title = "Not found"


class PermissionDenied(DomainError):
    status = 403
    default_code = "permission_denied"
    title = "You may not do this"


class NotAuthenticated(DomainError):
    status = 401
    default_code = "not_authenticated"
    title = "Authentication required"


class Conflict(DomainError):
    status = 409
    default_code = "conflict"
    title = "The request conflicts with the current state"


class IllegalTransition(Conflict):
    default_code = "illegal_transition"
    title = "This action is not allowed in the current state"

    def __init__(self, *, state: str, action: str, message: str | None = None) -> None:
        super().__init__(
            message
            or f"Cannot {action.replace('_', ' ')} when the state is {state.replace('_', ' ')}.",
            state=str(state),
            action=action,
        )


class Throttled(DomainError):
    status = 429
    default_code = "throttled"
    title = "Too many attempts"
