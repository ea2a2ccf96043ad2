"""The REST API around one creditor's cases: events, letters (with the PDF), decisions, the
message thread with us, payments, settlements and payouts. Same tenant check (404) and
permission table (403) as the portal; lists are paged by limit/offset."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, Http404
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import describe
from cases import messages as case_messages
from cases import selectors as case_selectors
from cases.access import case_for_user
from cases.apis import Pagination
from cases.models import CaseEvent, DecisionRequest, Message, Payment
from collection import selectors
from creditors.access import creditor_for_action
from creditors.permissions import Action
from creditors.preferences import language_codes, user_language
from letters import selectors as letter_selectors
from letters.models import Delivery, Letter
from letters.services import letter_render
from nordic import countries
from settlements.models import Payout, Settlement, SettlementLine


def reader_language(request, creditor) -> str:
    """The language the API writes its human-readable texts in, as the portal picks it: the
    user's own choice, else the request's Accept-Language, else the creditor's country's. (The
    middleware knows neither the user of a token nor an API key; the view does.)"""
    chosen = user_language(user=request.user)
    if chosen:
        return chosen
    if not getattr(getattr(request, "_request", request), "language_is_fallback", True):
        return translation.get_language()
    language = countries.country(creditor.country).language
    return language if language in language_codes() else translation.get_language()


def paged(view, request, rows, serializer):
    paginator = Pagination()
    page = paginator.paginate_queryset(rows, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True).data)


class AfterSerializer(serializers.Serializer):
    after = serializers.IntegerField(required=False, min_value=0, default=0)
    case = serializers.CharField(required=False, max_length=16)


AFTER = OpenApiParameter(
    "after", int, description="Only rows with a larger id (the last id you booked)."
)


class EventSerializer(serializers.ModelSerializer):
    message = serializers.SerializerMethodField()

    class Meta:
        model = CaseEvent
        fields = ["id", "at", "kind", "from_stage", "to_stage", "message"]

    def get_message(self, event) -> str:
        """What happened, in the reader's language (cases.describe)."""
        return describe.event_text(event)


class CaseEventsApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=EventSerializer(many=True))
    def get(self, request, creditor_id, number):
        """The case's history, oldest first."""
        creditor, case = case_for_user(request.user, creditor_id, number)
        events = case_selectors.case_history(creditor=creditor, case=case)
        with translation.override(reader_language(request, creditor)):
            return paged(self, request, events, EventSerializer)


class DeliverySerializer(serializers.ModelSerializer):
    print_batch_date = serializers.DateField(source="print_batch.batch_date", allow_null=True)

    class Meta:
        model = Delivery
        fields = [
            "channel", "status", "attempts", "last_error", "sent_at", "bounced_at",
            "next_attempt_at", "print_batch_date",
        ]  # fmt: skip


class LetterSerializer(serializers.ModelSerializer):
    deliveries = DeliverySerializer(many=True, read_only=True)

    class Meta:
        model = Letter
        fields = [
            "id", "stage", "letter_date", "pay_by", "total", "status", "rendered_at", "deliveries",
        ]  # fmt: skip


class CaseLettersApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=LetterSerializer(many=True))
    def get(self, request, creditor_id, number):
        creditor, case = case_for_user(request.user, creditor_id, number)
        letters = letter_selectors.case_letters(creditor=creditor, case=case)
        return paged(self, request, letters, LetterSerializer)


class LetterPdfApi(APIView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, creditor_id, number, letter_id):
        """The letter as sent, a PDF."""
        creditor, case = case_for_user(request.user, creditor_id, number)
        try:
            letter = letter_selectors.letter_get(
                creditor=creditor, case_number=case.number, letter_id=letter_id
            )
        except Letter.DoesNotExist:
            raise Http404("No such letter") from None
        if not letter.file:  # still queued for rendering: render it now rather than fail
            letter = letter_render(letter_id=letter.pk)
        return FileResponse(
            letter.file.open("rb"),
            content_type="application/pdf",
            filename=f"{case.number}-{letter.stage}.pdf",
        )


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = DecisionRequest
        fields = [
            "id", "requested_on", "deadline", "options", "default_option", "answer",
            "answered_at",
        ]  # fmt: skip


class CaseDecisionsApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=DecisionSerializer(many=True))
    def get(self, request, creditor_id, number):
        """The decisions asked of the creditor on this case; the open one (answer empty) is
        answered with POST .../decide/ {"option": ...}."""
        creditor, case = case_for_user(request.user, creditor_id, number)
        decisions = selectors.case_decisions(creditor=creditor, case=case)
        return paged(self, request, decisions, DecisionSerializer)


class MessageSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.get_username", default="", read_only=True)
    case = serializers.CharField(source="case.number", default=None, read_only=True)

    class Meta:
        model = Message
        fields = ["id", "case", "author", "from_support", "body", "created_at", "read_at"]
        read_only_fields = ["id", "case", "author", "from_support", "created_at", "read_at"]


class _Thread(APIView):
    def _post(self, request, creditor, case):
        data = MessageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            message = case_messages.message_post(
                creditor=creditor,
                case=case,
                author=request.user,
                body=data.validated_data["body"],
                from_support=request.user.is_staff,
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"body": exc.messages}) from None
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)


class CaseMessagesApi(_Thread):
    """The case's message thread with us: GET it, POST a message."""

    pagination_class = Pagination

    @extend_schema(responses=MessageSerializer(many=True))
    def get(self, request, creditor_id, number):
        creditor, case = case_for_user(request.user, creditor_id, number)
        thread = case_messages.case_thread(creditor=creditor, case=case)
        return paged(self, request, thread, MessageSerializer)

    @extend_schema(request=MessageSerializer, responses={201: MessageSerializer})
    def post(self, request, creditor_id, number):
        creditor, case = case_for_user(request.user, creditor_id, number)
        return self._post(request, creditor, case)


class CreditorMessagesApi(_Thread):
    """The creditor's general thread with us (messages about no one case)."""

    pagination_class = Pagination

    @extend_schema(responses=MessageSerializer(many=True))
    def get(self, request, creditor_id):
        creditor = creditor_for_action(request.user, creditor_id, Action.VIEW)
        thread = case_messages.creditor_thread(creditor=creditor)
        return paged(self, request, thread, MessageSerializer)

    @extend_schema(request=MessageSerializer, responses={201: MessageSerializer})
    def post(self, request, creditor_id):
        creditor = creditor_for_action(request.user, creditor_id, Action.VIEW)
        return self._post(request, creditor, None)


class PaymentSerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="case.number")

    class Meta:
        model = Payment
        fields = ["id", "case", "source", "amount", "currency", "paid_on", "reference"]


class SettlementLineSerializer(serializers.ModelSerializer):
    invoice = serializers.CharField(source="invoice.number", allow_null=True, default=None)

    class Meta:
        model = SettlementLine
        fields = ["kind", "invoice", "amount"]


class SettlementSerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="case.number")
    payment = serializers.IntegerField(source="payment_id", allow_null=True)
    payout = serializers.IntegerField(source="payout_id", allow_null=True)
    reference = serializers.CharField(source="external_number")
    lines = SettlementLineSerializer(many=True)

    class Meta:
        model = Settlement
        fields = [
            "id", "reference", "case", "kind", "payment", "currency", "capital", "interest",
            "fees", "overpayment", "to_creditor", "to_collector", "status", "payout", "lines",
            "created_at",
        ]  # fmt: skip


def _case_or_none(request, creditor_id, number):
    if not number:
        return None
    return case_for_user(request.user, creditor_id, number)[1]


class PaymentsApi(APIView):
    pagination_class = Pagination

    assigned = False

    @extend_schema(
        parameters=[AFTER, OpenApiParameter("case", str, description="A case number.")],
        responses=PaymentSerializer(many=True),
    )
    def get(self, request, creditor_id):
        """Payments in id order."""
        creditor = creditor_for_action(request.user, creditor_id, Action.VIEW)
        q = AfterSerializer(data=request.query_params)
        q.is_valid(raise_exception=True)
        rows = selectors.payments(
            creditor=creditor,
            case=_case_or_none(request, creditor_id, q.validated_data.get("case")),
            assigned=self.assigned,
            after=q.validated_data["after"],
        )
        return paged(self, request, rows, PaymentSerializer)


class SettlementsApi(APIView):
    pagination_class = Pagination

    assigned = False

    @extend_schema(
        parameters=[AFTER, OpenApiParameter("case", str, description="A case number.")],
        responses=SettlementSerializer(many=True),
    )
    def get(self, request, creditor_id):
        """Settlements in id order: how each payment was split between capital, interest and
        fees, and what goes to the creditor."""
        creditor = creditor_for_action(request.user, creditor_id, Action.VIEW)
        q = AfterSerializer(data=request.query_params)
        q.is_valid(raise_exception=True)
        rows = selectors.settlements(
            creditor=creditor,
            case=_case_or_none(request, creditor_id, q.validated_data.get("case")),
            assigned=self.assigned,
            after=q.validated_data["after"],
        )
        return paged(self, request, rows, SettlementSerializer)


class PayoutSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="external_number")
    settlements = serializers.IntegerField(source="settlement_count")

    class Meta:
        model = Payout
        fields = [
            "id", "reference", "created_on", "currency", "amount", "account", "status",
            "paid_at", "remittance_sha256", "remittance_sent_to", "remittance_sent_at",
            "voucher_status", "erp_voucher_id", "posted_at", "last_error", "settlements",
        ]  # fmt: skip


class PayoutsApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=PayoutSerializer(many=True))
    def get(self, request, creditor_id):
        """Payouts, newest first: the amount paid to the creditor's account, the remittance
        sent, and the outcome of the voucher in the creditor's ERP (posted, failed with the
        reason and retried, or not posted: bookkeeping off or an ERP that takes no vouchers).
        The settlements endpoint gives each settlement's payout and lines."""
        creditor = creditor_for_action(request.user, creditor_id, Action.VIEW)
        return paged(self, request, selectors.payouts(creditor=creditor), PayoutSerializer)
