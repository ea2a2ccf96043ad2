"""Login throttling helpers (django-axes)."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from rest_framework import authentication, exceptions


def client_ip(request) -> str | None:
    """The address axes counts failed logins against. Behind production's TLS proxy every request
    comes from the proxy: the client is the last address that proxy appended to X-Forwarded-For
    (a client can forge only the ones before it)."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")


def _cooloff_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message() -> str:
    return (
        f"Too many failed logins: this account or address is locked for {_cooloff_minutes()} "
        "minutes. Try again later, or ask support to unlock it."
    )


class LockedOut(exceptions.Throttled):
    """429 with Retry-After, in the API's error format: a login locked by django-axes."""

    default_code = "locked_out"

    def __init__(self):
        super().__init__(wait=_cooloff_minutes() * 60, detail=lockout_message())


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out login gets (AXES_LOCKOUT_CALLABLE), a 429 with Retry-After: under /api/
    the API's one error format, elsewhere a page in the reader's language saying when to try
    again (axes' own answer is a bare English sentence)."""
    minutes = _cooloff_minutes()
    if request.path.startswith("/api/"):
        body = {"error": {"code": "locked_out", "message": lockout_message(), "fields": {}}}
        response = JsonResponse(body, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


class LockoutAwareBasicAuthentication(authentication.BasicAuthentication):
    """DRF's basic auth, which goes through axes like every login, saying so when the account or
    address is locked (DRF's own answer would be a plain "Invalid username/password")."""

    def authenticate_credentials(self, userid, password, request=None):
        try:
            return super().authenticate_credentials(userid, password, request)
        except exceptions.AuthenticationFailed:
            if getattr(request, "axes_locked_out", False):  # axes marks the request it is given
                raise LockedOut() from None
            raise
