"""Domain errors of the tenancy kernel; `config.errors` turns them into HTTP answers."""


class DomainError(Exception):
    """Base of every error a service raises for a person to read."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The object does not exist for this tenant (another tenant's id looks the same)."""

    status_code = 404


class PermissionDenied(DomainError):
    """The actor may not do this."""

    status_code = 403


class FeatureNotAvailable(DomainError):
    """The bakery's effective tier does not include a feature."""

    status_code = 403

    def __init__(self, feature: str, message: str | None = None):
        super().__init__(message or f"Your plan does not include {feature.replace('_', ' ')}.")
        self.feature = feature


class LimitReached(DomainError):
    """Creating one more would pass a tier limit."""

    status_code = 409

    def __init__(self, limit: str, allowed: int, message: str):
        super().__init__(message)
        self.limit = limit
        self.allowed = allowed


class ValidationFailed(DomainError):
    """Input a service refuses; `field` names the form field when there is one."""

    status_code = 422


class TenantSuspended(DomainError):
    """The bakery is suspended by the platform."""

    status_code = 403
