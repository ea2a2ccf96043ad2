"""Login throttling helpers (django-axes)."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The address axes counts failed logins against. Behind production's TLS proxy every request
    comes from the proxy: the client is the last address that proxy appended to X-Forwarded-For
    (a client can forge only the ones before it)."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")
