"""Our case number and status on the case's invoices in the creditor's ERP. Every path in this
layer that opens or closes a case calls write_back_after_commit: the domain apps below record the
change, this layer tells the ERP (no signal in between). The case's outcome becomes the neutral
CaseStatus here; each adapter says it in its ERP's words. An ERP that takes neither the
reference nor the status (Inexchange) is not called."""

from django.conf import settings
from django.db import transaction

from cases.models import Case
from collection.erp import adapter_for
from integrations.base import CaseStatus, InvoiceRef
from integrations.features import Feature

CASE_STATUS = {  # the case's outcome -> what the ERP is told
    "": CaseStatus.ONGOING,
    Case.Outcome.PAID: CaseStatus.PAID,
    Case.Outcome.CREDITED: CaseStatus.CREDITED,
    Case.Outcome.WITHDRAWN: CaseStatus.WITHDRAWN,
    Case.Outcome.WRITTEN_OFF: CaseStatus.WRITTEN_OFF,
    Case.Outcome.CLOSED_UNPAID: CaseStatus.CLOSED_UNPAID,
}
WRITES = (Feature.WRITE_CASE_REFERENCE, Feature.WRITE_CASE_STATUS)


def case_status(case: Case) -> CaseStatus:
    return CASE_STATUS.get(case.outcome, CaseStatus.ONGOING)


def case_reference_write(*, case_id: int) -> None:
    """Show our case number (and whether the case is ongoing or done) on its invoices in the ERP,
    as far as the ERP takes them."""
    case = Case.objects.select_related("creditor").get(pk=case_id)
    adapter = adapter_for(case.creditor)
    if not any(adapter.has(f) for f in WRITES):
        return
    url = f"{settings.AUTOCOLLECT_PORTAL_URL}/c/{case.creditor_id}/cases/{case.number}/"
    status = case_status(case)
    for invoice in case.invoices.all():
        ref = InvoiceRef(invoice.erp_id, invoice.erp_voucher_id)  # the adapter's locator
        if adapter.has(Feature.WRITE_CASE_REFERENCE):
            adapter.write_case_reference(invoice=ref, case_number=case.number, url=url)
        if adapter.has(Feature.WRITE_CASE_STATUS):
            adapter.write_case_status(invoice=ref, case_number=case.number, status=status, url=url)


def write_back_after_commit(case_ids) -> None:
    """Write the cases' reference and status to the ERP once the change is committed."""
    from collection import tasks

    case_ids = list(case_ids)
    if len(case_ids) > 1:
        # One message for a page of the import (a task enqueues the cases' own), not thousands
        # sent from the importing process.
        transaction.on_commit(lambda: tasks.write_case_references.delay(case_ids), robust=True)
        return
    for case_id in case_ids:
        # robust: an ERP that is down must not fail the committed work; the task retries.
        transaction.on_commit(
            lambda case_id=case_id: tasks.write_case_reference.delay(case_id), robust=True
        )
