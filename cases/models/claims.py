"""The debtor, its invoices and the case that collects them: the claim. Balances are sums of the
case's ledger entries (cases/models/ledger.py, posted by cases/ledger.py); the one stored figure is
Case.outstanding, what the debtor owes in all, kept by cases.ledger.entries_post in the
transaction that writes the entries."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from creditors.fields import MoneyField
from creditors.tenancy import TenantModel

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


ZERO = Decimal("0.00")
