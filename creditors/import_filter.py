"""The import filter: which of a creditor's overdue ERP invoices become cases."""

import datetime as dt

from creditors.models import Creditor, ImportFilter
from integrations.base import ErpInvoice


def skip_reason(
    *, creditor: Creditor, rules: ImportFilter, invoice: ErpInvoice, today: dt.date
) -> str | None:
    """None when the invoice is to be imported, else why not (shown to the creditor)."""
    if not rules.enabled:
        return "import is switched off"
    if invoice.is_credit_note or invoice.outstanding <= 0:
        return "nothing outstanding"
    if invoice.currency != creditor.currency:
        return f"currency {invoice.currency} is not {creditor.currency}"
    if (today - invoice.due_date).days < rules.days_after_due:
        return f"less than {rules.days_after_due} days past due"
    if rules.earliest_due_date and invoice.due_date < rules.earliest_due_date:
        return f"due before {rules.earliest_due_date}"
    if invoice.outstanding < rules.min_amount:
        return f"below the minimum amount {rules.min_amount}"
    if rules.max_amount is not None and invoice.outstanding > rules.max_amount:
        return f"above the maximum amount {rules.max_amount}"
    return None
