"""Our case in Visma.net's words: the debtCollectionCase* fields of the customer invoice. The
allowed values are not documented (erp-apis.md 6): these are ours, written and read only here."""

from integrations.base import CaseStatus

CASE_TYPE = "DebtCollection"

STATUS_MAP = {
    CaseStatus.ONGOING: "Ongoing",
    CaseStatus.PAID: "Paid",
    CaseStatus.CREDITED: "Credited",
    CaseStatus.WITHDRAWN: "Withdrawn",
    CaseStatus.WRITTEN_OFF: "WrittenOff",
    CaseStatus.CLOSED_UNPAID: "Closed",
}


def meaning(status: str | None) -> CaseStatus | None:
    return next((c for c, word in STATUS_MAP.items() if word == status), None)
