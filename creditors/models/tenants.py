"""Tenants: creditors, the accounting firms that serve them, and who may reach which (members,
firm users with their client access, API keys); and a user's own preferences."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from creditors.encryption import EncryptedJSONField
from creditors.tenancy import TenantModel
from nordic import countries


class AccountingFirm(models.Model):
    name = models.CharField(max_length=200)
    org_number = models.CharField(max_length=32, unique=True)
    # One ERP key that reaches all the firm's client companies (Tripletex accountant token),
    # encrypted at rest and never shown.
    erp_kind = models.CharField(max_length=32, blank=True)
    erp_connection = EncryptedJSONField()

    def __str__(self):
        return self.name


class Creditor(models.Model):
    class Status(models.TextChoices):
        ONBOARDING = "onboarding"
        ACTIVE = "active"
        PAUSED = "paused"
        TERMINATED = "terminated"

    class ErpKind(models.TextChoices):
        # Exactly the ERPs integrations.registry has an adapter for (system check collection.E001).
        TRIPLETEX = "tripletex", "Tripletex"
        INEXCHANGE = "inexchange", "Inexchange"
        NETVISOR = "netvisor", "Netvisor"
        VISMA = "visma", "Visma.net"

    legal_name = models.CharField(max_length=200)
    # An auxiliary business name (aputoiminimi, bifirma, binavn) the creditor trades under: the
    # letters name the creditor by it, with the legal name beside it (seed 003).
    auxiliary_name = models.CharField(max_length=200, blank=True)
    org_number = models.CharField(max_length=32)
    country = models.CharField(max_length=2, choices=countries.CHOICES)
    currency = models.CharField(max_length=3)
    time_zone = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ONBOARDING)
    accounting_firm = models.ForeignKey(
        AccountingFirm, null=True, blank=True, on_delete=models.PROTECT, related_name="creditors"
    )
    erp_kind = models.CharField(max_length=32, choices=ErpKind.choices)
    # Credentials (encrypted at rest, never shown) and the ERP's company id.
    erp_connection = EncryptedJSONField()
    erp_company_id = models.CharField(max_length=64, blank=True)
    # Where settlements are paid out to (validated by country and kind).
    payout_account_kind = models.CharField(max_length=16, blank=True)
    payout_account = models.CharField(max_length=64, blank=True)
    contact_email = models.EmailField(blank=True)
    # Collection terms agreed with the creditor.
    reminder_fee_agreed = models.BooleanField(
        default=False,
        help_text="SE: a reminder fee may only be charged if agreed when the debt arose "
        "(lag 1981:739 2 §)",
    )
    contractual_interest_rate = models.DecimalField(
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        help_text="Percent p.a. agreed with business customers; consumers always pay the "
        "statutory rate",
    )
    default_decision = models.CharField(
        max_length=16,
        default="surveillance",
        choices=[
            ("enforcement", _("Send to enforcement")),
            ("surveillance", _("Surveillance")),
            ("close", _("Close the case")),
        ],
        help_text="What happens when a decision request's deadline passes unanswered",
    )
    # How the money is split between the creditor and us (settlements.split.SPLITS).
    agreement_type = models.CharField(
        max_length=16,
        default="standard",
        choices=[
            ("standard", _("Standard: fees are the collector's")),
            ("fee_share", _("Reminder fees are the creditor's")),
        ],
    )
    kid_algorithm = models.CharField(
        max_length=5,
        default="MOD10",
        choices=[("MOD10", "MOD10"), ("MOD11", "MOD11")],
        help_text="NO: the KID check digit agreed with the bank",
    )
    address_line1 = models.CharField(max_length=200, blank=True)
    postal_code = models.CharField(max_length=16, blank=True)
    city = models.CharField(max_length=100, blank=True)
    # The guides' "skuld avser" / "fakturan avser": what a letter says the debt is for when the
    # ERP invoice carries no text of its own.
    debt_description = models.CharField(max_length=200, blank=True)
    # Where invoices and the agreement go when not to the sender address above (empty: the same).
    invoice_address = models.TextField(blank=True)
    agreement_address = models.TextField(blank=True)
    agreement_signed_at = models.DateTimeField(null=True, blank=True)
    # When the import started: invoices due before it are the backlog (creditors.import_filter).
    activated_at = models.DateTimeField(null=True, blank=True)
    # The nightly slot (local date whose 23:00 run) last synced; see collection.sync.sync_slot
    last_synced_on = models.DateField(null=True, blank=True)
    last_sync_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["country", "org_number"], name="creditor_unique_org"),
        ]

    def __str__(self):
        return self.legal_name

    @property
    def language(self) -> str:
        return countries.country(self.country).language

    @property
    def address_lines(self) -> tuple[str, ...]:
        return tuple(
            x for x in (self.address_line1, f"{self.postal_code} {self.city}".strip()) if x
        )


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Creditor admin")
        USER = "user", _("Creditor user")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    creditor = models.ForeignKey(Creditor, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.USER)
    # How the creditor's users are reached about its cases besides e-mail (the Inexchange
    # activation asks for "e-post och telefonnummer" per user, seed 004).
    phone = models.CharField(max_length=32, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "creditor"], name="membership_unique"),
        ]


class FirmMembership(models.Model):
    """A user of an accounting firm. They reach only the firm's clients they have been given
    access to (FirmClientAccess, Tripletex's "Klienttilgang"); a firm admin hands that out."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Firm admin")
        USER = "user", _("Firm user")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="firm_memberships"
    )
    firm = models.ForeignKey(AccountingFirm, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.USER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "firm"], name="firm_membership_unique"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.firm}"


class FirmClientAccess(models.Model):
    """One firm user's access to one client company of the firm. Read on every request (no
    cache), so a revoke takes effect on the user's next request."""

    firm_membership = models.ForeignKey(
        FirmMembership, on_delete=models.CASCADE, related_name="client_access"
    )
    creditor = models.ForeignKey(Creditor, on_delete=models.CASCADE, related_name="firm_access")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["firm_membership", "creditor"], name="firm_client_access_unique"
            ),
        ]


class ApiKey(TenantModel):
    """A machine client's key to one creditor's API (an accounting program pushing invoices).
    Only its hash is stored; the key is shown once, when created. It acts as its own user, a
    member of this creditor with the key's role, so the permission table applies unchanged and
    the history names the key; revoking it ends that membership (creditors.apikeys)."""

    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)  # shown, and how a key is looked up
    key_hash = models.CharField(max_length=64)  # sha256 of the whole key
    role = models.CharField(max_length=16, choices=Membership.Role.choices)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_key"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix})"


class UserPreference(models.Model):
    """What a user chose for themselves, whatever creditor they work for (creditors.preferences)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference"
    )
    # One of settings.LANGUAGES, or "" for none: the browser's or the creditor's language applies.
    language = models.CharField(max_length=8, blank=True)
