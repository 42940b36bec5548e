"""Domain errors of the tenancy kernel; `config.web_errors` turns them into HTTP answers.

The base (`DomainError`) and `NotFound` live in the bottom layer (`config.errors`), which the
shared edge helpers translate; they are importable from here like the rest.
"""

from config.errors import DomainError, NotFound

__all__ = [
    "DomainError",
    "FeatureNotAvailable",
    "LimitReached",
    "NotFound",
    "PermissionDenied",
    "TenantSuspended",
    "ValidationFailed",
]


class PermissionDenied(DomainError):
    """The actor may not do this."""

    status_code = 403
    code = "permission_denied"


class FeatureNotAvailable(DomainError):
    """The bakery's effective tier does not include a feature."""

    status_code = 403
    code = "feature_not_available"

    def __init__(self, feature: str, message: str | None = None):
        super().__init__(message or f"Your plan does not include {feature.replace('_', ' ')}.")
        self.feature = feature


class LimitReached(DomainError):
    """Creating one more would pass a tier limit."""

    status_code = 409
    code = "limit_reached"

    def __init__(self, limit: str, allowed: int, message: str):
        super().__init__(message)
        self.limit = limit
        self.allowed = allowed


class ValidationFailed(DomainError):
    """Input a service refuses; `field` names the form field when there is one."""

    status_code = 422
    code = "validation_failed"


class ValidationProblems(ValidationFailed):
    """Several refusals of one submission, each by its own field, reported together so a
    person fixes every field at once instead of discovering them one post at a time."""

    def __init__(self, problems: list[ValidationFailed]):
        super().__init__(problems[0].message, field=problems[0].field)
        self.problems = problems


class TenantSuspended(DomainError):
    """The bakery is suspended by the platform."""

    status_code = 403
    code = "tenant_suspended"
