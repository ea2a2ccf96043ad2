"""The audit log of support staff's views of a creditor's data. creditors.access writes it when it
resolves a creditor for a staff user, which every portal view and API endpoint does, so a new view
cannot forget it; the request (path, method) comes from RequestContextMiddleware. The support
console writes it too when it opens one creditor's data."""

import contextvars

from creditors.models import Creditor, SupportAccessLog

_request = contextvars.ContextVar("autocollect_request", default=None)


class RequestContextMiddleware:
    """Makes the current request known to support_access_record for the length of the request
    (DRF authenticates inside the view, so the user is taken from the caller, not from here)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def support_access_record(*, user, creditor: Creditor) -> SupportAccessLog | None:
    """Log a staff user's view of the creditor: once per request and creditor (a view may
    resolve its creditor more than once)."""
    if not getattr(user, "is_staff", False):
        return None
    request = _request.get()
    if request is not None:
        seen = request.__dict__.setdefault("_support_access_logged", set())
        if creditor.pk in seen:
            return None
        seen.add(creditor.pk)
    return SupportAccessLog.objects.create(
        user=user,
        creditor=creditor,
        method=request.method if request is not None else "",
        path=request.get_full_path()[:500] if request is not None else "",
    )
