"""Our case number and status on the case's invoices in the creditor's ERP. Every path in this
layer that opens or closes a case calls write_back_after_commit: the domain apps below record the
change, this layer tells the ERP (no signal in between)."""

from django.conf import settings
from django.db import transaction

from cases.models import Case
from collection.erp import adapter_for

ERP_STATUS = {  # what the ERP shows for our case
    "": "ONGOING",
    Case.Outcome.PAID: "SETTLED",
    Case.Outcome.CREDITED: "SETTLED",
    Case.Outcome.WITHDRAWN: "WITHDRAWN",
    Case.Outcome.WRITTEN_OFF: "WRITTEN_OFF",
    Case.Outcome.CLOSED_UNPAID: "CLOSED_UNPAID",
}


def case_reference_write(*, case_id: int) -> None:
    """Show our case number (and whether the case is ongoing or done) on its invoices in the ERP."""
    case = Case.objects.select_related("creditor").get(pk=case_id)
    adapter = adapter_for(case.creditor)
    url = f"{settings.AUTOCOLLECT_PORTAL_URL}/c/{case.creditor_id}/cases/{case.number}/"
    for invoice in case.invoices.all():
        adapter.write_case_reference(
            invoice_erp_id=invoice.erp_id,
            voucher_id=invoice.erp_voucher_id,
            case_number=case.number,
            status=ERP_STATUS.get(case.outcome, "ONGOING"),
            url=url,
        )


def write_back_after_commit(case_ids) -> None:
    """Write the cases' reference and status to the ERP once the change is committed."""
    from collection import tasks

    for case_id in case_ids:
        # robust: an ERP that is down must not fail the committed work; the task retries.
        transaction.on_commit(
            lambda case_id=case_id: tasks.write_case_reference.delay(case_id), robust=True
        )
