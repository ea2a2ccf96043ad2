"""Debtors, invoices, cases and what happens to them. Balances are sums of the case's ledger
entries (see cases/ledger.py); the one stored figure is Case.outstanding, what the debtor owes in
all, kept by cases.ledger.entries_post in the transaction that writes the entries."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from creditors.fields import MoneyField
from creditors.tenancy import TenantModel, TenantQuerySet

MONEY = {"max_digits": 14, "decimal_places": 2}


# The creditor's own index left out where a unique constraint or index led by the creditor
# serves its lookups: every index is one more entry for each row the nightly import writes.
def tenant_unindexed():
    return models.ForeignKey(
        "creditors.Creditor", on_delete=models.PROTECT, related_name="+", db_index=False
    )


class Debtor(TenantModel):
    class Kind(models.TextChoices):
        BUSINESS = "business", _("Business")
        CONSUMER = "consumer", _("Consumer")

    creditor = tenant_unindexed()  # (creditor, erp_id) unique serves it

    erp_id = models.CharField(max_length=64)
    number = models.CharField(max_length=64, blank=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    identity_number = models.CharField(max_length=32, blank=True)  # org or personal number
    address_line1 = models.CharField(max_length=200, blank=True)
    address_line2 = models.CharField(max_length=200, blank=True)
    postal_code = models.CharField(max_length=16, blank=True)
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=2, blank=True)
    email = models.CharField(max_length=254, blank=True)
    phone = models.CharField(max_length=64, blank=True)
    customer_class = models.CharField(max_length=100, blank=True)
    # The customer's language in the ERP (sv, nb, fi, en, ...), "" if it has none: letters are
    # written in it, else in the creditor's country's (cases.engine.letter_language).
    language = models.CharField(max_length=8, blank=True, default="", db_default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["creditor", "erp_id"], name="debtor_unique_erp_id"),
        ]
        # The case list sorted by debtor: debtors read in name order, each joined to its cases
        # of the creditor, until a page is full (cases.selectors.case_list). Not led by the
        # creditor: a filter on the debtor's creditor would put a join in the page's count.
        indexes = [models.Index(fields=["name", "id"], name="debtor_name_idx")]

    def __str__(self):
        return self.name

    @property
    def address_lines(self) -> tuple[str, ...]:
        city = f"{self.postal_code} {self.city}".strip()
        return tuple(x for x in (self.address_line1, self.address_line2, city) if x)


class Case(TenantModel):
    class Stage(models.TextChoices):
        NEW = "new", _("New")
        REMINDER = "reminder", _("Payment reminder")
        NOTICE = "notice", _("Collection notice")  # NO inkassovarsel
        DEMAND = "demand", _("Collection demand")
        DEMAND_2 = "demand_2", _("Second collection demand")  # FI
        DECISION = "decision", _("Creditor decision")
        ENFORCEMENT = "enforcement", _("Enforcement")
        SURVEILLANCE = "surveillance", _("Surveillance")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        PAID = "paid", _("Paid")
        CREDITED = "credited", _("Credited")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        WRITTEN_OFF = "written_off", _("Written Off")
        CLOSED_UNPAID = "closed_unpaid", _("Closed Unpaid")

    creditor = tenant_unindexed()  # the case list's (creditor, ...) indexes serve it
    # Unique by constraint (Meta), not unique=True, which on PostgreSQL adds a second
    # (varchar_pattern_ops) index for LIKE 'x%' that no query asks: numbers match whole.
    number = models.CharField(max_length=16, null=True, blank=True)
    debtor = models.ForeignKey(Debtor, on_delete=models.PROTECT, related_name="cases")
    country = models.CharField(max_length=2)
    currency = models.CharField(max_length=3)
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.NEW)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    payment_reference = models.CharField(max_length=32, null=True, blank=True)  # unique: Meta
    opened_on = models.DateField()
    stage_since = models.DateField(null=True, blank=True)  # the day the current stage began
    next_action_on = models.DateField(null=True, blank=True)
    pause_reason = models.CharField(max_length=32, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Why support staff must look at this case (a letter that keeps failing to render, an invoice
    # gone from the ERP, ...); empty when nothing is wrong. Set through cases.services.case_flag.
    support_flag = models.CharField(max_length=200, blank=True)
    support_flagged_at = models.DateTimeField(null=True, blank=True)
    # Overdue already when the creditor was activated (creditors.import_filter): the creditor
    # may have sent its own fee-bearing reminder, so ours goes out at once and carries no fee.
    backlog = models.BooleanField(default=False)
    # The letter stage the first advance enters instead of the plan's first (an assignment of
    # type collection demand: cases.starting). Empty: the plan's first. db_default: the bulk
    # import's COPY leaves the column out.
    start_stage = models.CharField(max_length=16, blank=True, default="", db_default="")
    # What the debtor owes on the case (capital, fees, interest; an overpayment is owed back):
    # the sum of its ledger entries, stored for the case list's amount filter and sort. Written
    # only by cases.ledger.entries_post (and set with the case's first entries when it opens);
    # cases.ledger.outstanding_mismatches finds a case where the two differ.
    outstanding = MoneyField(default=Decimal("0.00"), db_default=Decimal("0.00"), **MONEY)
    # The deadline of the case's open decision request (None: it awaits no decision), for the
    # case list's pending-decision filter. Set and cleared only by cases.engine.write, in the
    # transaction that opens or answers the decision.
    decision_deadline = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "next_action_on"], name="case_due_idx"),
            # The case list's default order (newest first) read from the index, LIMIT a page
            # (bench/case_list.py)
            models.Index(fields=["creditor", "opened_on", "id"], name="case_list_opened_idx"),
            # The case list's amount filter (a range) and its sort by outstanding
            models.Index(fields=["creditor", "outstanding", "id"], name="case_list_owed_idx"),
            # The sorts by stage, status and next action: the index read in order, LIMIT a page
            # (without them a top-N sort over all the creditor's cases)
            models.Index(fields=["creditor", "stage", "id"], name="case_list_stage_idx"),
            models.Index(fields=["creditor", "status", "id"], name="case_list_status_idx"),
            models.Index(fields=["creditor", "next_action_on", "id"], name="case_list_next_idx"),
            # The pending-decision filter (a range of the creditor's cases awaiting a decision):
            # only those cases, the few with a deadline, are in it
            models.Index(
                fields=["creditor", "decision_deadline", "id"],
                name="case_list_decision_idx",
                condition=models.Q(decision_deadline__isnull=False),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="case_unique_number"),
            models.UniqueConstraint(fields=["payment_reference"], name="case_unique_reference"),
        ]

    def __str__(self):
        return self.number or f"case #{self.pk}"


class Invoice(TenantModel):
    creditor = tenant_unindexed()  # (creditor, erp_id) unique serves it
    debtor = models.ForeignKey(Debtor, on_delete=models.PROTECT, related_name="invoices")
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    erp_id = models.CharField(max_length=64)
    number = models.CharField(max_length=64)
    invoice_date = models.DateField()
    due_date = models.DateField()
    currency = models.CharField(max_length=3)
    original_amount = MoneyField(**MONEY)
    outstanding_amount = MoneyField(**MONEY)  # as the ERP last reported it
    text = models.TextField(blank=True)
    erp_payment_reference = models.CharField(max_length=64, blank=True)
    erp_voucher_id = models.CharField(max_length=64, blank=True)
    synced_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["creditor", "erp_id"], name="invoice_unique_erp_id"),
        ]
        # the case list's search by invoice number (cases.selectors.case_list)
        indexes = [models.Index(fields=["creditor", "number"], name="invoice_number_idx")]

    def __str__(self):
        return self.number


class CaseEventQuerySet(TenantQuerySet):
    def update(self, **kwargs):
        raise ValidationError("case events are append-only")

    def delete(self):
        raise ValidationError("case events are append-only")


class CaseEvent(TenantModel):
    """Append-only history of a case: rows are written once and never changed or deleted."""

    objects = CaseEventQuerySet.as_manager()

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=32)
    from_stage = models.CharField(max_length=16, blank=True)
    to_stage = models.CharField(max_length=16, blank=True)
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, db_index=False
    )

    class Meta:
        ordering = ["at", "pk"]
        # Most events are the system's (no actor): only those with one are indexed
        indexes = [
            models.Index(
                fields=["actor"], name="event_actor_idx", condition=models.Q(actor__isnull=False)
            )
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("case events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("case events are append-only")


class Payment(TenantModel):
    class Source(models.TextChoices):
        COLLECTOR = "collector", _("Paid to us")
        DIRECT = "direct", _("Paid to the creditor")
        CREDIT_NOTE = "credit_note", _("Credit note")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="payments")
    source = models.CharField(max_length=16, choices=Source.choices)
    external_id = models.CharField(max_length=64)  # bank transaction or ERP posting id
    amount = MoneyField(**MONEY)
    currency = models.CharField(max_length=3)
    paid_on = models.DateField()
    reference = models.CharField(max_length=64, blank=True)
    allocation_order = models.CharField(max_length=64)  # e.g. "fee,interest,capital"
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["creditor", "source", "external_id"], name="payment_unique_external_id"
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive"),
        ]


class LedgerEntry(TenantModel):
    """One movement on a case's claim. Debt raised is positive, debt reduced is negative."""

    class Component(models.TextChoices):
        CAPITAL = "capital", _("Capital")
        FEE = "fee", _("Fee")
        INTEREST = "interest", _("Interest")
        OVERPAYMENT = "overpayment", _("Overpayment")  # owed back to the debtor

    class Kind(models.TextChoices):
        CHARGE = "charge", _("Charge")  # capital, fee or interest raised
        PAYMENT = "payment", _("Payment")
        CREDIT = "credit", _("Credit")
        WRITE_OFF = "write_off", _("Write Off")
        # a payment arrived after the write-off
        WRITE_OFF_REVERSAL = "write_off_reversal", _("Write Off Reversal")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    component = models.CharField(max_length=16, choices=Component.choices)
    amount = MoneyField(**MONEY)
    booked_on = models.DateField()
    period_end = models.DateField(null=True, blank=True)  # interest: the last day it covers
    description = models.CharField(max_length=200, blank=True)  # English; old rows' only text
    # What the entry is, as data: {"what": "interest", "from": "2026-10-23", ...}; the reader's
    # language renders it (cases.describe.entry_text), else the description above.
    params = models.JSONField(default=dict, blank=True, db_default={})
    # Makes every posting idempotent: the same business fact always produces the same key.
    key = models.CharField(max_length=128)
    payment = models.ForeignKey(
        Payment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
        db_index=False,
    )
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        ordering = ["booked_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "key"], name="ledger_unique_key"),
        ]
        # A payment's entries, an invoice's capital: most entries have neither (fees, interest),
        # only those that do are indexed
        indexes = [
            models.Index(
                fields=["payment"],
                name="ledger_payment_idx",
                condition=models.Q(payment__isnull=False),
            ),
            models.Index(
                fields=["invoice"],
                name="ledger_invoice_idx",
                condition=models.Q(invoice__isnull=False),
            ),
        ]


class RuleValue(models.Model):
    """A dated legal figure: fee, rate or waiting time, valid from a date until the next row.

    Values marked unconfirmed in domain-rules.md are stored with confirmed=False so support staff
    can correct them in the admin; code always asks for the row valid on the relevant date."""

    class AppliesTo(models.TextChoices):
        ANY = "any", _("Any")
        CONSUMER = "consumer", _("Consumer")
        BUSINESS = "business", _("Business")

    country = models.CharField(max_length=2)
    rule = models.CharField(max_length=64)
    applies_to = models.CharField(max_length=16, choices=AppliesTo.choices, default=AppliesTo.ANY)
    capital_upto = MoneyField(null=True, blank=True, **MONEY)  # band; null = no upper bound
    valid_from = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=4)
    source = models.CharField(max_length=200)
    confirmed = models.BooleanField(default=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["country", "rule", "applies_to", "capital_upto", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "rule", "applies_to", "capital_upto", "valid_from"],
                name="rule_value_unique",
            ),
        ]

    def __str__(self):
        return f"{self.country} {self.rule} {self.applies_to} from {self.valid_from}: {self.value}"


class DecisionRequest(TenantModel):
    """The creditor is asked what happens next; unanswered by the deadline, its default applies."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    requested_on = models.DateField()
    deadline = models.DateField()
    options = models.JSONField()  # e.g. ["enforcement", "surveillance", "close"]
    default_option = models.CharField(max_length=16)
    answer = models.CharField(max_length=16, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(answer=""), name="one_open_decision_per_case"
            ),
        ]


class EnforcementApplication(TenantModel):
    """What the authority needs, prepared for filing (we do not call the authority)."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="enforcement")
    authority = models.CharField(max_length=100)
    prepared_on = models.DateField()
    debtor_name = models.CharField(max_length=200)
    debtor_identity = models.CharField(max_length=32, blank=True)
    currency = models.CharField(max_length=3)
    capital = MoneyField(**MONEY)
    interest = MoneyField(**MONEY)
    interest_rate = models.DecimalField(max_digits=6, decimal_places=3)
    interest_from = models.DateField()
    fees = MoneyField(**MONEY)
    application_fee = MoneyField(**MONEY)
    claim_description = models.TextField()


class PaymentPlan(TenantModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        BROKEN = "broken", _("Broken")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="payment_plans")
    created_on = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    grace_days = models.PositiveIntegerField(default=5)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="active"),
                name="one_active_plan_per_case",
            ),
        ]


class PlanInstalment(models.Model):
    plan = models.ForeignKey(PaymentPlan, on_delete=models.CASCADE, related_name="instalments")
    due_on = models.DateField()
    amount = MoneyField(**MONEY)

    class Meta:
        ordering = ["due_on"]


class Message(TenantModel):
    """A message between the creditor's staff and us (support), on a case or about the creditor
    in general (case empty). Written through cases.messages.message_post."""

    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_support = models.BooleanField(default=False)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    # Read markers of the other side: the creditor reads support's messages and vice versa.
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["creditor", "case", "created_at"], name="message_thread_idx")
        ]

    def __str__(self):
        return f"message #{self.pk}"


ZERO = Decimal("0.00")
