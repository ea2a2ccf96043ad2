"""The REST API for a creditor's settings: the import filter (with its amounts per currency and
settings per customer or class), company details, accounts, activation and payout account; the
same tenant check (404), permission table (403) and services as the portal pages. Its users, firm
access and API keys: creditors.member_apis."""

from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from creditors import company, import_settings, selectors
from creditors.access import creditor_for_action
from creditors.apierrors import refused
from creditors.models import (
    AccountSetup,
    Creditor,
    ImportFilter,
    ImportFilterAmount,
    ImportFilterOverride,
)
from creditors.permissions import Action
from creditors.services import (
    IMPORT_FILTER_FIELDS,
    creditor_payout_account_set,
    creditor_settings_update,
)


def _obj():
    return serializers.DictField()


SETTINGS_OUT = inline_serializer(
    "CreditorSettings",
    {
        "active": serializers.BooleanField(),
        "status": serializers.CharField(),
        "company": _obj(),
        "account_setup": _obj(),
        "import_filter": _obj(),
        "import_amounts": serializers.ListField(child=_obj()),
        "import_overrides": serializers.ListField(child=_obj()),
        "payout_account": _obj(),
        "agreement_type": serializers.CharField(),
    },
)


class AmountSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportFilterAmount
        fields = ["currency", *import_settings.AMOUNT_FIELDS]


class OverrideSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportFilterOverride
        fields = ["id", "customer_erp_id", "customer_class", *import_settings.OVERRIDE_FIELDS]
        read_only_fields = ["id"]


class CompanySerializer(serializers.ModelSerializer):
    class Meta:
        model = Creditor
        fields = company.COMPANY_FIELDS


class AccountSetupSerializer(serializers.ModelSerializer):
    class Meta:
        model = AccountSetup
        fields = company.ACCOUNT_FIELDS


class SettingsApi(APIView):
    """GET (everyone who sees the creditor) / PATCH (its admin) the settings: the import filter's
    fields at the top level, "company" (default debt description, contact, addresses),
    "account_setup" (bookkeeping accounts) and "active" (the activation switch), each optional
    and applied in that order, each audited. The payout account is shown here and changed with
    PUT .../payout-account/; amounts per currency and settings per customer or class are shown
    here and changed at their own endpoints."""

    class FilterSerializer(serializers.ModelSerializer):
        class Meta:
            model = ImportFilter
            fields = IMPORT_FILTER_FIELDS

    class PatchSerializer(FilterSerializer):
        company = CompanySerializer(required=False, partial=True)
        account_setup = AccountSetupSerializer(required=False, partial=True)
        active = serializers.BooleanField(required=False)

        class Meta:
            model = ImportFilter
            fields = [*IMPORT_FILTER_FIELDS, "company", "account_setup", "active"]

    def _data(self, creditor):
        creditor = selectors.creditor_fresh(creditor=creditor)
        return {
            "active": creditor.status == Creditor.Status.ACTIVE,
            "status": creditor.status,
            "company": CompanySerializer(creditor).data,
            "account_setup": AccountSetupSerializer(
                selectors.account_setup_get(creditor=creditor)
            ).data,
            "import_filter": self.FilterSerializer(
                selectors.import_filter_get(creditor=creditor)
            ).data,
            "import_amounts": AmountSerializer(
                selectors.import_amounts(creditor=creditor), many=True
            ).data,
            "import_overrides": OverrideSerializer(
                selectors.import_overrides(creditor=creditor), many=True
            ).data,
            "payout_account": {
                "kind": creditor.payout_account_kind,
                "account": creditor.payout_account,
            },
            # Read-only here: support changes it (creditors.company.creditor_agreement_type_set).
            "agreement_type": creditor.agreement_type,
        }

    @extend_schema(responses=SETTINGS_OUT)
    def get(self, request, creditor_id):
        creditor = creditor_for_action(request.user, creditor_id, Action.VIEW)
        return Response(self._data(creditor))

    @extend_schema(request=PatchSerializer, responses=SETTINGS_OUT)
    def patch(self, request, creditor_id):
        creditor = creditor_for_action(request.user, creditor_id, Action.SETTINGS)
        changes = self.PatchSerializer(data=request.data, partial=True)
        changes.is_valid(raise_exception=True)
        data = dict(changes.validated_data)
        company_changes = data.pop("company", None)
        account_changes = data.pop("account_setup", None)
        active = data.pop("active", None)
        who = {"creditor": creditor, "actor": request.user}
        try:
            with transaction.atomic():  # all of the PATCH or, refused in part, none of it
                if data:
                    creditor_settings_update(**who, **data)
                if company_changes:
                    company.creditor_company_update(**who, **company_changes)
                if account_changes:
                    company.account_setup_update(**who, **account_changes)
                if active is not None:
                    company.creditor_activation_set(**who, active=active)
        except ValueError as exc:
            return refused(exc)
        return Response(self._data(creditor))


class ImportOverridesApi(APIView):
    """GET the settings per customer and customer class; POST sets one (the same customer or
    class again changes it)."""

    @extend_schema(responses=OverrideSerializer(many=True))
    def get(self, request, creditor_id):
        creditor = creditor_for_action(request.user, creditor_id, Action.VIEW)
        overrides = selectors.import_overrides(creditor=creditor)
        return Response(OverrideSerializer(overrides, many=True).data)

    @extend_schema(request=OverrideSerializer, responses=OverrideSerializer)
    def post(self, request, creditor_id):
        creditor = creditor_for_action(request.user, creditor_id, Action.SETTINGS)
        data = OverrideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            override = import_settings.import_override_set(
                creditor=creditor, actor=request.user, **data.validated_data
            )
        except ValueError as exc:
            return refused(exc)
        return Response(OverrideSerializer(override).data)


class ImportOverrideApi(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request, creditor_id, override_id):
        creditor = creditor_for_action(request.user, creditor_id, Action.SETTINGS)
        try:
            import_settings.import_override_remove(
                creditor=creditor, actor=request.user, override_id=override_id
            )
        except ImportFilterOverride.DoesNotExist:
            raise Http404 from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class ImportAmountApi(APIView):
    """PUT the least and most amount imported in one currency; DELETE goes back to the
    filter's own amounts for it."""

    class InputSerializer(serializers.ModelSerializer):
        class Meta:
            model = ImportFilterAmount
            fields = list(import_settings.AMOUNT_FIELDS)
            # import_amount_set needs it: without, a PUT was a 500 (found by schemathesis)
            extra_kwargs = {"min_amount": {"required": True}}

    @extend_schema(request=InputSerializer, responses=AmountSerializer)
    def put(self, request, creditor_id, currency):
        creditor = creditor_for_action(request.user, creditor_id, Action.SETTINGS)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            amount = import_settings.import_amount_set(
                creditor=creditor, actor=request.user, currency=currency, **data.validated_data
            )
        except ValueError as exc:
            return refused(exc)
        return Response(AmountSerializer(amount).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, creditor_id, currency):
        creditor = creditor_for_action(request.user, creditor_id, Action.SETTINGS)
        try:
            import_settings.import_amount_remove(
                creditor=creditor, actor=request.user, currency=currency
            )
        except ImportFilterAmount.DoesNotExist:
            raise Http404 from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class PayoutAccountApi(APIView):
    class InputSerializer(serializers.Serializer):
        kind = serializers.CharField()
        account = serializers.CharField()

    @extend_schema(request=InputSerializer, responses=InputSerializer)
    def put(self, request, creditor_id):
        creditor = creditor_for_action(request.user, creditor_id, Action.SETTINGS)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            creditor = creditor_payout_account_set(
                creditor=creditor, actor=request.user, **data.validated_data
            )
        except ValueError as exc:
            return refused(exc)
        return Response({"kind": creditor.payout_account_kind, "account": creditor.payout_account})
