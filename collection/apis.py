"""The REST API on what spans several apps: a case with its letters, the case actions (a close is
written back to the ERP) and the creditor's import runs. Same selectors, same tenant check, same
permission table (creditors.permissions) as the portal."""

from django.utils import translation
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import describe, ledger
from cases import selectors as case_selectors
from cases.access import case_for_user
from cases.actions import CASE_ACTIONS
from cases.apis import CASE_FIELDS, Pagination
from cases.lifecycle import InvalidTransition
from cases.models import Case
from collection import selectors
from collection.actions import case_act
from collection.api_cases import reader_language
from collection.models import SyncRun
from creditors.access import creditor_for_action
from creditors.apierrors import Conflict
from creditors.permissions import Action
from letters import selectors as letter_selectors


def _delivery(d) -> dict:
    """A letter's way to the debtor (letters.delivery): channel, status, attempts, when."""
    return {
        "channel": d.channel,
        "status": d.status,
        "attempts": d.attempts,
        "last_error": d.last_error,
        "sent_at": d.sent_at,
        "bounced_at": d.bounced_at,
        "next_attempt_at": d.next_attempt_at,
        "print_batch_date": d.print_batch.batch_date if d.print_batch else None,
    }


class CaseDetailApi(APIView):
    class OutputSerializer(serializers.ModelSerializer):
        debtor = serializers.CharField(source="debtor.name")
        events = serializers.SerializerMethodField()
        ledger = serializers.SerializerMethodField()
        letters = serializers.SerializerMethodField()
        balances = serializers.SerializerMethodField()

        class Meta:
            model = Case
            fields = [*CASE_FIELDS, "events", "ledger", "letters", "balances"]

        @extend_schema_field(serializers.ListField(child=serializers.DictField()))
        def get_events(self, case):
            return [
                {
                    "at": e.at,
                    "kind": e.kind,
                    "from_stage": e.from_stage,
                    "to_stage": e.to_stage,
                    "message": describe.event_text(e),  # in the reader's language
                }
                for e in self.context["events"]
            ]

        @extend_schema_field(serializers.ListField(child=serializers.DictField()))
        def get_ledger(self, case):
            return [
                {
                    "id": e.pk,
                    "booked_on": e.booked_on,
                    "kind": e.kind,
                    "component": e.component,
                    "amount": str(e.amount),
                    "text": describe.entry_text(e),  # in the reader's language
                }
                for e in self.context["ledger"]
            ]

        @extend_schema_field(serializers.ListField(child=serializers.DictField()))
        def get_letters(self, case):
            return [
                {
                    "id": x.pk,
                    "stage": x.stage,
                    "letter_date": x.letter_date,
                    "pay_by": x.pay_by,
                    "total": str(x.total),
                    # "sent" only with the PDF on file (a database constraint); else "pending"
                    "status": x.status,
                    "rendered_at": x.rendered_at,
                    "deliveries": [_delivery(d) for d in x.deliveries.all()],
                }
                for x in self.context["letters"]
            ]

        @extend_schema_field(serializers.DictField(child=serializers.CharField()))
        def get_balances(self, case):
            return {k: str(v) for k, v in ledger.balances(case).items()}

    @extend_schema(responses=OutputSerializer)
    def get(self, request, creditor_id, number):
        creditor, case = case_for_user(request.user, creditor_id, number)
        context = {
            "events": case_selectors.case_history(creditor=creditor, case=case),
            "letters": letter_selectors.case_letters(creditor=creditor, case=case),
            "ledger": case.ledger.all(),
        }
        with translation.override(reader_language(request, creditor)):
            data = self.OutputSerializer(case, context=context).data
        return Response(data)


class SyncRunsApi(APIView):
    """GET the creditor's import runs, newest first: what each saw, imported and set aside, and
    how many invoices the import filter left out by reason (creditors.import_filter.SkipCode)."""

    pagination_class = Pagination

    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = SyncRun
            fields = [
                "started_at", "finished_at", "status", "as_of", "seen", "imported",
                "cases_opened", "payments", "quarantined", "skipped_by_reason", "error",
            ]  # fmt: skip

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request, creditor_id):
        creditor = creditor_for_action(request.user, creditor_id, Action.VIEW)
        paginator = Pagination()
        page = paginator.paginate_queryset(
            selectors.sync_runs(creditor=creditor), request, view=self
        )
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class CaseActionApi(APIView):
    """POST .../cases/<number>/<verb>: pause (reason, note), resume, withdraw, write-off,
    decide (option). 409 when the case's state does not allow it, 400 on bad input."""

    verb = ""

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(required=False, allow_blank=True)
        note = serializers.CharField(required=False, allow_blank=True, max_length=500)
        option = serializers.CharField(required=False, allow_blank=True)

    @extend_schema(
        request=InputSerializer,
        responses=inline_serializer(
            "CaseActionResult",
            {
                "number": serializers.CharField(),
                "stage": serializers.CharField(),
                "status": serializers.CharField(),
                "outcome": serializers.CharField(),
            },
        ),
    )
    def post(self, request, creditor_id, number):
        action = CASE_ACTIONS[self.verb]
        creditor, case = case_for_user(request.user, creditor_id, number, action.permission)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            case = case_act(case=case, verb=self.verb, actor=request.user, data=data.validated_data)
        except InvalidTransition as exc:
            raise Conflict(str(exc), code="invalid_transition") from None
        except ValueError as exc:
            raise serializers.ValidationError({"non_field_errors": [str(exc)]}) from None
        return Response(
            {
                "number": case.number,
                "stage": case.stage,
                "status": case.status,
                "outcome": case.outcome,
            }
        )
