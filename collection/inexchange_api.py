"""Our partner API for Inexchange. OUR DESIGN, not Inexchange's: Inexchange publishes no API for
payments, outstanding amounts, credit notes or case numbers (../shared/erp-apis.md §4), so the
calls go the other way. Inexchange, as the operator whose users switched on "Påminnelse &
Inkasso", calls us:

- `GET  companies/{erp_id}/documents/{document_id}/case/`: our case on the invoice (case number
  as reference, status, stage, what is outstanding), for Inexchange to show beside the invoice;
- `POST companies/{erp_id}/documents/{document_id}/payments/`: a payment the creditor received
  directly on the invoice;
- `POST companies/{erp_id}/documents/{document_id}/credit-notes/`: a credit note against it.

`erp_id` is the company id we enrolled the creditor under (the ErpId we registered it with at
Inexchange), `document_id` Inexchange's outbound document id. Both reports carry the partner's
own id for the movement: the same report again books nothing and answers 200 with the case (201
the first time). Auth: `Authorization: Partner-Key <key>`; a partner reaches only the creditors
enrolled through it (collection.inexchange_partners). A creditor whose operator does not call
this reports the same in the portal (collection.inexchange_views)."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.models import Case
from collection.inexchange_partners import (
    PartnerKeyAuthentication,
    partner_creditor,
    partner_invoice,
)
from collection.inexchange_reports import (
    CaseView,
    ReportRefused,
    credit_note_report,
    payment_report,
)
from nordic.money import MAX_AMOUNT


class CaseOutSerializer(serializers.Serializer):
    document_id = serializers.CharField(help_text="Inexchange's document id.")
    invoice_number = serializers.CharField()
    case_reference = serializers.CharField(help_text="Our case number: show it on the invoice.")
    status = serializers.ChoiceField(choices=Case.Status.choices)
    outcome = serializers.CharField(help_text="How a closed case ended (paid, credited, ...).")
    stage = serializers.CharField()
    stage_label = serializers.CharField()
    currency = serializers.CharField()
    outstanding = serializers.DecimalField(max_digits=14, decimal_places=2)
    payment_reference = serializers.CharField(help_text="Our OCR for payments to us.")
    url = serializers.URLField(help_text="The case in our portal, for the creditor.")


class MovementOutSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="Your id for the payment or credit note.")
    booked = serializers.BooleanField(help_text="False when it had been reported before.")
    case = CaseOutSerializer()


class PaymentInSerializer(serializers.Serializer):
    id = serializers.CharField(max_length=40, help_text="Your id: the same id books once.")
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0.01"), max_value=MAX_AMOUNT
    )
    currency = serializers.RegexField(r"^[A-Z]{3}$", help_text="The invoice's, e.g. SEK.")
    paid_on = serializers.DateField()


class CreditNoteInSerializer(serializers.Serializer):
    id = serializers.CharField(max_length=40, help_text="Your id: the same id books once.")
    number = serializers.CharField(max_length=58, help_text="The credit note's number.")
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0.01"), max_value=MAX_AMOUNT
    )
    currency = serializers.RegexField(r"^[A-Z]{3}$")
    credited_on = serializers.DateField()


class _PartnerApi(APIView):
    authentication_classes = [PartnerKeyAuthentication]
    permission_classes = [IsAuthenticated]

    def invoice(self, request, erp_id: str, document_id: str):
        creditor = partner_creditor(partner=request.auth, erp_id=erp_id)
        return partner_invoice(creditor=creditor, document_id=document_id)

    def case(self, request, invoice) -> dict:
        return CaseView.of(invoice, request.build_absolute_uri("/")).as_dict()


class InexchangeCaseApi(_PartnerApi):
    @extend_schema(responses=CaseOutSerializer, tags=["partner: inexchange"])
    def get(self, request, erp_id, document_id):
        """Our case on the invoice: reference, status, stage and what is outstanding."""
        invoice = self.invoice(request, erp_id, document_id)
        return Response(CaseOutSerializer(self.case(request, invoice)).data)


class InexchangePaymentsApi(_PartnerApi):
    @extend_schema(
        request=PaymentInSerializer,
        responses={200: MovementOutSerializer, 201: MovementOutSerializer},
        tags=["partner: inexchange"],
    )
    def post(self, request, erp_id, document_id):
        """A payment the creditor received directly on the invoice: booked on our case (201),
        or found booked before under the same id (200)."""
        invoice = self.invoice(request, erp_id, document_id)
        data = PaymentInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            booked = payment_report(
                invoice=invoice, source=request.auth.slug, **data.validated_data
            )
        except ReportRefused as exc:
            raise serializers.ValidationError({"non_field_errors": [str(exc)]}) from None
        return self._answer(request, invoice, data.validated_data["id"], booked)

    def _answer(self, request, invoice, movement_id, booked):
        invoice.case.refresh_from_db()
        body = {"id": movement_id, "booked": booked, "case": self.case(request, invoice)}
        code = status.HTTP_201_CREATED if booked else status.HTTP_200_OK
        return Response(MovementOutSerializer(body).data, status=code)


class InexchangeCreditNotesApi(InexchangePaymentsApi):
    @extend_schema(
        request=CreditNoteInSerializer,
        responses={200: MovementOutSerializer, 201: MovementOutSerializer},
        tags=["partner: inexchange"],
    )
    def post(self, request, erp_id, document_id):
        """A credit note against the invoice: lowers the claim; one that credits it in full
        closes the case as credited (201), or found booked before under the same id (200)."""
        invoice = self.invoice(request, erp_id, document_id)
        data = CreditNoteInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            booked = credit_note_report(
                invoice=invoice, source=request.auth.slug, **data.validated_data
            )
        except ReportRefused as exc:
            raise serializers.ValidationError({"non_field_errors": [str(exc)]}) from None
        return self._answer(request, invoice, data.validated_data["id"], booked)
