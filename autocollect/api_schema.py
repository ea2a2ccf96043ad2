"""How the OpenAPI schema names things (drf-spectacular): operation ids and component names
from the view classes, which are unique, rather than from paths and the nested serializers'
short names (every view has its InputSerializer), and the API-key header as a security scheme."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema


class Schema(AutoSchema):
    def get_operation_id(self):
        verb = getattr(self.view, "verb", "").replace("-", "_")
        name = type(self.view).__name__.removesuffix("Api")
        return f"{name}{verb.title().replace('_', '')}_{self.method.lower()}"

    def get_serializer_name(self, serializer, direction):
        outer = type(serializer).__qualname__.split(".")
        return "".join(part.removesuffix("Api") for part in outer)


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "creditors.apikeys.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A creditor's API key: `Api-Key <key>`.",
        }


class BasicScheme(OpenApiAuthenticationExtension):
    """DRF's basic auth that says when axes has locked the login (autocollect.security)."""

    target_class = "autocollect.security.LockoutAwareBasicAuthentication"
    name = "basicAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "basic"}
