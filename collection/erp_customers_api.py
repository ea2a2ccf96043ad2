"""GET the creditor's ERP customers and classes (collection.erp_customers): what the import
filter's settings per customer and per class may name. Under the same permission as changing
them. Always 200 for who may: `status` says whether the ERP listed them, cannot list them
(type the id), or failed (`message` says why)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from collection.erp_customers import ERP_ERROR, NOT_CONNECTED, NOT_SUPPORTED, OK, erp_customer_list
from creditors.access import creditor_for_action
from creditors.permissions import Action


class ErpCustomerSerializer(serializers.Serializer):
    erp_id = serializers.CharField(help_text="What an import override's customer_erp_id takes")
    number = serializers.CharField()
    name = serializers.CharField()


class ErpClassSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="What an import override's customer_class takes")
    name = serializers.CharField()


class ErpCustomersSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[OK, NOT_SUPPORTED, NOT_CONNECTED, ERP_ERROR])
    erp = serializers.CharField()
    message = serializers.CharField()
    truncated = serializers.BooleanField()
    customers = ErpCustomerSerializer(many=True)
    classes = ErpClassSerializer(many=True)


class ErpCustomersApi(APIView):
    @extend_schema(responses=ErpCustomersSerializer)
    def get(self, request, creditor_id):
        creditor = creditor_for_action(request.user, creditor_id, Action.SETTINGS)
        return Response(ErpCustomersSerializer(erp_customer_list(creditor)).data)
