"""The cases app's models, by subject: claims.py (debtors, invoices, cases), ledger.py (payments
and ledger entries), course.py (events, decisions, enforcement, payment plans, messages),
figures.py (the dated legal figures). Import them from here."""

from cases.models.claims import MONEY, ZERO, Case, Debtor, Invoice, tenant_unindexed
from cases.models.course import (
    CaseEvent,
    CaseEventQuerySet,
    DecisionRequest,
    EnforcementApplication,
    Message,
    PaymentPlan,
    PlanInstalment,
)
from cases.models.figures import RuleValue
from cases.models.ledger import LedgerEntry, Payment

__all__ = [
    "MONEY",
    "ZERO",
    "Case",
    "CaseEvent",
    "CaseEventQuerySet",
    "DecisionRequest",
    "Debtor",
    "EnforcementApplication",
    "Invoice",
    "LedgerEntry",
    "Message",
    "Payment",
    "PaymentPlan",
    "PlanInstalment",
    "RuleValue",
    "tenant_unindexed",
]
