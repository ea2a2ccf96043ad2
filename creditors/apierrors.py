"""The API's own error for a clash with stored state (409); every layer's endpoints raise it and
autocollect.api writes it in the one error format."""

from rest_framework import exceptions, status


class Conflict(exceptions.APIException):
    """409: the request clashes with what is stored (an idempotency key reused with another
    body, a case whose state does not allow the action)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state."
    default_code = "conflict"
