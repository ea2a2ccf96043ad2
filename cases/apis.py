"""The REST API on cases alone: the case list (the case detail, the case actions and the import
runs span several apps: collection.apis). Same selectors, same tenant check, same permission table
(creditors.permissions)."""

from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.views import APIView

from cases import selectors
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


class CaseListApi(APIView):
    class OutputSerializer(serializers.ModelSerializer):
        debtor = serializers.CharField(source="debtor.name")
        outstanding = serializers.DecimalField(max_digits=14, decimal_places=2)

        class Meta:
            model = Case
            fields = [*CASE_FIELDS, "outstanding"]

    def get(self, request, creditor_id):
        creditor = creditor_for_action(request.user, creditor_id, Action.VIEW)
        cases = selectors.case_list(creditor=creditor, status=request.query_params.get("status"))
        paginator = Pagination()
        page = paginator.paginate_queryset(cases, request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)
