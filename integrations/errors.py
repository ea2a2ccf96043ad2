"""The error ladder every ERP client speaks.

Tasks decide by type: `retryable` errors are retried with back-off, the rest stop the run and are
shown to the creditor (auth, bad data) or to support staff (our bug, malformed reply).
"""


class ErpError(Exception):
    """Base for every failure talking to an ERP. `str(err)` is a readable reason for a person."""

    retryable = False

    def __init__(self, message: str, *, erp: str = "", status: int | None = None, detail: str = ""):
        super().__init__(message)
        self.erp = erp
        self.status = status
        self.detail = detail

    def __str__(self) -> str:
        prefix = f"{self.erp}: " if self.erp else ""
        return f"{prefix}{self.args[0]}"


class ErpUnavailable(ErpError):
    """Timeout, refused connection or a 5xx: try again later."""

    retryable = True
    retry_after: float | None = None  # seconds the ERP asked us to wait, if it said


class ErpRateLimited(ErpUnavailable):
    def __init__(self, message: str, *, retry_after: float | None = None, **kw):
        super().__init__(message, **kw)
        self.retry_after = retry_after


class ErpAuthError(ErpError):
    """401/403: the creditor's key is wrong, expired or lacks an entitlement."""


class ErpNotFound(ErpError):
    pass


class ErpConflict(ErpError):
    """409: the object exists already, or its version moved under us."""


class ErpRejected(ErpError):
    """400/422: the ERP refused what we sent."""


class ErpMalformedResponse(ErpError):
    """The ERP answered 2xx with something we cannot read (bad JSON, missing or wrong fields)."""


class ErpConnectionInvalid(ErpAuthError):
    """The stored connection cannot be used: a setting missing, mistyped or out of range. Found
    at onboarding, before anything is stored or the ERP is called."""
