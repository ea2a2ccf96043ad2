"""Our case status in Tripletex's words: a voucherStatus of type DEBT_COLLECTION on the invoice's
voucher, whose (status, message) pair says whether the collection is ongoing or done. Only this
package speaks these words; above it the status is the neutral CaseStatus."""

from integrations.base import CaseStatus

CASE_TYPE = "DEBT_COLLECTION"

# The domain's case status -> (VoucherStatus.status, VoucherStatus.message).
STATUS_MAP = {
    CaseStatus.ONGOING: ("PROCESSING", "ONGOING"),
    CaseStatus.PAID: ("DONE", "SETTLED"),
    CaseStatus.CREDITED: ("DONE", "SETTLED"),
    CaseStatus.WITHDRAWN: ("DONE", "WITHDRAWN"),
    CaseStatus.WRITTEN_OFF: ("DONE", "WITHDRAWN"),
    CaseStatus.CLOSED_UNPAID: ("DONE", "WITHDRAWN"),
}


def meanings(status: str, message: str) -> frozenset[CaseStatus]:
    """The case statuses a (status, message) pair in Tripletex can stand for."""
    return frozenset(c for c, pair in STATUS_MAP.items() if pair == (status, message))
