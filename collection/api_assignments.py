"""The assignments API that accounting programs use (Visma's desktop program, seed 002): create an
assignment (payment reminder, collection demand, enforcement, surveillance) on a debtor's
invoices, list ongoing and completed ones, and list the payments and settlements to book.

An assignment carries an idempotency key (the Idempotency-Key header, or the idempotency_key
field): the same request sent again answers with the same assignment and case (200, not 201);
the same key with another request is a 409."""

from decimal import Decimal
from zoneinfo import ZoneInfo

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.apis import Pagination
from cases.starting import StartType
from collection import selectors
from collection.api_cases import PaymentsApi, SettlementsApi, paged
from collection.assignments import AssignmentConflict, AssignmentRefused, assignment_create
from collection.models import Assignment
from creditors.access import creditor_for_action
from creditors.apierrors import Conflict
from creditors.permissions import Action
from nordic.money import MAX_AMOUNT

HEADER = "Idempotency-Key"


class DebtorSerializer(serializers.Serializer):
    customer_number = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=["business", "consumer"])
    identity_number = serializers.CharField(max_length=32, required=False, allow_blank=True)
    address_line1 = serializers.CharField(max_length=200, required=False, allow_blank=True)
    address_line2 = serializers.CharField(max_length=200, required=False, allow_blank=True)
    postal_code = serializers.CharField(max_length=16, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    country = serializers.CharField(max_length=2, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=64, required=False, allow_blank=True)


class InvoiceSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=58)
    invoice_date = serializers.DateField()
    due_date = serializers.DateField()
    # Bounded as every stored amount is (nordic.money): 12 digits alone let 9 999 999 999.99 in.
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_AMOUNT,
        help_text="The capital claimed.",
    )
    original_amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_AMOUNT,
        required=False,
    )
    text = serializers.CharField(max_length=500, required=False, allow_blank=True)

    def validate(self, attrs):
        if attrs["due_date"] < attrs["invoice_date"]:
            raise serializers.ValidationError({"due_date": "before the invoice date"})
        return attrs


class AssignmentInSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=[t.value for t in StartType])
    currency = serializers.RegexField(r"^[A-Z]{3}$", help_text="ISO 4217, e.g. SEK.")
    debtor = DebtorSerializer()
    invoices = InvoiceSerializer(many=True, allow_empty=False, max_length=100)
    idempotency_key = serializers.CharField(
        max_length=100, required=False, help_text=f"Or the {HEADER} header."
    )
    accept_terms = serializers.BooleanField(
        required=False, default=False, help_text="Required (true) with the first assignment."
    )

    def validate_invoices(self, invoices):
        numbers = [i["number"] for i in invoices]
        if len(set(numbers)) != len(numbers):
            raise serializers.ValidationError("an invoice number appears twice")
        return invoices


class AssignmentOutSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="kind")
    case = serializers.CharField(source="case.number")
    debtor = serializers.CharField(source="case.debtor.name")
    stage = serializers.CharField(source="case.stage")
    status = serializers.CharField(source="case.status")
    outcome = serializers.CharField(source="case.outcome")
    payment_reference = serializers.CharField(source="case.payment_reference")

    class Meta:
        model = Assignment
        fields = [
            "id", "idempotency_key", "type", "case", "debtor", "stage", "status", "outcome",
            "payment_reference", "created_at", "terms_accepted",
        ]  # fmt: skip


class AssignmentsApi(APIView):
    pagination_class = Pagination

    @extend_schema(
        parameters=[
            OpenApiParameter("state", str, enum=["ongoing", "completed"], required=False),
        ],
        responses=AssignmentOutSerializer(many=True),
    )
    def get(self, request, creditor_id):
        """The assignments, newest first: ongoing (case not closed) or completed."""
        creditor = creditor_for_action(request.user, creditor_id, Action.VIEW)
        state = request.query_params.get("state", "")
        if state not in ("", "ongoing", "completed"):
            raise serializers.ValidationError({"state": ["ongoing or completed"]})
        rows = selectors.assignments(creditor=creditor, state=state)
        return paged(self, request, rows, AssignmentOutSerializer)

    @extend_schema(
        parameters=[OpenApiParameter(HEADER, str, OpenApiParameter.HEADER, required=False)],
        request=AssignmentInSerializer,
        responses={200: AssignmentOutSerializer, 201: AssignmentOutSerializer},
    )
    def post(self, request, creditor_id):
        """Hand the invoices over: a case opens and starts at the type's stage. 201 when
        created, 200 when this idempotency key was sent before with the same request."""
        creditor = creditor_for_action(request.user, creditor_id, Action.ASSIGN)
        data = AssignmentInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        body = dict(data.validated_data)
        key = request.headers.get(HEADER) or body.pop("idempotency_key", "")
        body.pop("idempotency_key", None)
        if not key or len(key) > 100:
            raise serializers.ValidationError(
                {"idempotency_key": [f"send 1 to 100 characters, or the {HEADER} header"]}
            )
        try:
            assignment, created = assignment_create(
                creditor=creditor,
                actor=request.user,
                idempotency_key=key,
                kind=body["type"],
                debtor=body["debtor"],
                invoices=[dict(i) for i in body["invoices"]],
                currency=body["currency"],
                accept_terms=body["accept_terms"],
                today=timezone.localdate(timezone=ZoneInfo(creditor.time_zone)),
            )
        except AssignmentConflict as exc:
            raise Conflict(str(exc), code=exc.code) from None
        except AssignmentRefused as exc:
            raise serializers.ValidationError({"accept_terms": [str(exc)]}, code=exc.code) from None
        assignment = selectors.assignments(creditor=creditor).get(pk=assignment.pk)
        return Response(
            AssignmentOutSerializer(assignment).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class AssignmentApi(APIView):
    """One assignment, by its id or by the idempotency key it was sent with (what a program that
    lost the answer to its POST knows): its case's stage, status and outcome now."""

    @extend_schema(responses=AssignmentOutSerializer)
    def get(self, request, creditor_id, assignment_id=None, idempotency_key=None):
        creditor = creditor_for_action(request.user, creditor_id, Action.VIEW)
        try:
            assignment = selectors.assignment_get(
                creditor=creditor, pk=assignment_id, key=idempotency_key
            )
        except Assignment.DoesNotExist:
            raise Http404("No such assignment") from None
        return Response(AssignmentOutSerializer(assignment).data)


class AssignmentByKeyApi(AssignmentApi):
    """The same, found by its idempotency key."""


class AssignmentPaymentsApi(PaymentsApi):
    """Payments on assignments' cases, in id order: book those after the last id booked."""

    assigned = True


class AssignmentSettlementsApi(SettlementsApi):
    """Settlements on assignments' cases, in id order: book those after the last id booked."""

    assigned = True
