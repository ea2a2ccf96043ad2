"""What every API endpoint shares: the one error format, the rate limits, the user's token, the
schema and its docs page, and the 404 for an address under /api/ that is none of ours."""

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import path, re_path
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import exceptions, serializers
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from autocollect.security import LockedOut
from cases.lifecycle import InvalidTransition
from creditors.apierrors import Conflict


def _flat(detail) -> str:
    if isinstance(detail, list):
        return " ".join(_flat(d) for d in detail)
    if isinstance(detail, dict):
        return " ".join(f"{k}: {_flat(v)}" for k, v in detail.items())
    return str(detail)


def exception_handler(exc, context):
    """Every error as {"error": {"code", "message", "fields"}}: "fields" maps an input field to
    its messages (validation errors only, else {}). Django's own exceptions (404, 403, a model's
    ValidationError) and a refused stage move (409) come out the same way."""
    if isinstance(exc, InvalidTransition):
        exc = Conflict(str(exc), code="invalid_transition")
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's 500 handling and logging
    fields = {}
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        fields = {
            k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in detail.items()
        }
        message = _flat(detail.get("non_field_errors") or "The input is not valid.")
        code = "invalid"
    else:
        message = _flat(exc.detail)
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
    response.data = {"error": {"code": code, "message": message, "fields": fields}}
    return response


class ErrorSerializer(serializers.Serializer):
    class Body(serializers.Serializer):
        code = serializers.CharField()
        message = serializers.CharField()
        fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))

    error = Body()


class TokenApi(APIView):
    """POST username and password, get the user's API token (the same one each time). Failures
    count towards the login lockout (django-axes), as on the login page."""

    # Only so that a wrong password is a 401 with a WWW-Authenticate header, not a 403.
    authentication_classes = [TokenAuthentication]
    permission_classes = [AllowAny]

    class InputSerializer(serializers.Serializer):
        username = serializers.CharField()
        password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)

    @extend_schema(
        request=InputSerializer,
        responses={200: inline_serializer("TokenOut", {"token": serializers.CharField()})},
        auth=[],
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # axes marks the Django request (not DRF's wrapper) when the user is locked out
        user = authenticate(request=request._request, **data.validated_data)
        if getattr(request._request, "axes_locked_out", False):
            raise LockedOut()  # (and axes' middleware answers with lockout_response alike)
        if user is None:
            raise exceptions.AuthenticationFailed("Wrong username or password.")
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class NotFoundApi(APIView):
    """Any other address under /api/: a 404 in the API's error format."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    schema = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound("No such API endpoint.")

    def get(self, request, rest):  # pragma: no cover - initial() always raises
        raise exceptions.NotFound()

    post = put = patch = delete = get


urlpatterns = [
    path("auth/token/", TokenApi.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

# Included last under /api/ by the root URLconf.
not_found_urlpatterns = [re_path(r"^(?P<rest>.*)$", NotFoundApi.as_view(), name="api-not-found")]
