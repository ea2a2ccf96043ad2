"""The REST API on cases alone: the case list (the case detail, the case actions and the import
runs span several apps: collection.apis). Same selectors, same tenant check, same permission table
(creditors.permissions)."""

from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.views import APIView

from cases import selectors
from cases.filters import CaseFilterForm
from cases.models import Case
from creditors.access import creditor_for_action
from creditors.permissions import Action


class Pagination(LimitOffsetPagination):
    max_limit = 500


CASE_FIELDS = [
    "number",
    "debtor",
    "stage",
    "status",
    "outcome",
    "currency",
    "next_action_on",
    "opened_on",
    "payment_reference",
]


def _filter_parameters() -> list[OpenApiParameter]:
    """The case list's query parameters, as cases.filters.CaseFilterForm reads them."""
    types = {forms.DateField: OpenApiTypes.DATE, forms.DecimalField: OpenApiTypes.DECIMAL}
    params = []
    for name, form_field in CaseFilterForm.base_fields.items():
        choices = getattr(form_field, "choices", None)
        params.append(
            OpenApiParameter(
                name,
                types.get(type(form_field), OpenApiTypes.STR),
                enum=[str(c[0]) for c in choices if c[0]] if choices else None,
                description=str(form_field.label or ""),
            )
        )
    return params


class CaseListApi(APIView):
    """The creditor's cases, filtered and sorted as on the portal's case list (same form, same
    selector), paged by limit and offset. A parameter that does not parse is a 400."""

    pagination_class = Pagination

    class OutputSerializer(serializers.ModelSerializer):
        debtor = serializers.CharField(source="debtor.name")
        outstanding = serializers.DecimalField(max_digits=14, decimal_places=2)

        class Meta:
            model = Case
            fields = [*CASE_FIELDS, "outstanding"]

    @extend_schema(parameters=_filter_parameters(), responses=OutputSerializer(many=True))
    def get(self, request, creditor_id):
        creditor = creditor_for_action(request.user, creditor_id, Action.VIEW)
        form = CaseFilterForm(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        cases = selectors.case_list(creditor=creditor, filters=form.case_filter())
        paginator = Pagination()
        page = paginator.paginate_queryset(cases, request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)
