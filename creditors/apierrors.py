"""The API's own errors: a clash with stored state (409), which every layer's endpoints raise and
autocollect.api writes in the one error format, and a change a service refused (400), written in
that format by the endpoint itself."""

from rest_framework import exceptions, status
from rest_framework.response import Response


class Conflict(exceptions.APIException):
    """409: the request clashes with what is stored (an idempotency key reused with another
    body, a case whose state does not allow the action)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state."
    default_code = "conflict"


def refused(exc: ValueError) -> Response:
    """A change a service refused (its ValueError), as a 400 in the one error format."""
    error = {"code": "invalid", "message": str(exc), "fields": {}}
    return Response({"error": error}, status=status.HTTP_400_BAD_REQUEST)
