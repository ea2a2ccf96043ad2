"""The creditors app's models, by subject: tenants.py (creditors, accounting firms and who may
reach which), setup.py (the import filter and the voucher's accounts), trail.py (audit events,
support access, signed agreements). Import them from here."""

from creditors.models.setup import (
    AccountSetup,
    ImportFilter,
    ImportFilterAmount,
    ImportFilterOverride,
)
from creditors.models.tenants import (
    AccountingFirm,
    ApiKey,
    Creditor,
    FirmClientAccess,
    FirmMembership,
    Membership,
    UserPreference,
)
from creditors.models.trail import AgreementSignature, CreditorAuditEvent, SupportAccessLog

__all__ = [
    "AccountSetup",
    "AccountingFirm",
    "AgreementSignature",
    "ApiKey",
    "Creditor",
    "CreditorAuditEvent",
    "FirmClientAccess",
    "FirmMembership",
    "ImportFilter",
    "ImportFilterAmount",
    "ImportFilterOverride",
    "Membership",
    "SupportAccessLog",
    "UserPreference",
]
