"""The Netvisor service's activation through the Store (seed 003, collection.netvisor_activation):
one row per activation begun, its KYC answers, and what was decided when the service was removed.
Imported by collection.models (the models of an app are found there)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from creditors.tenancy import TenantModel


class NetvisorActivation(models.Model):
    """An activation from the Netvisor Store: waiting until the agreement is signed, then active;
    a waiting one lapses after three days (it is begun again from the Store); an active one ends
    when the service is removed in the Store."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for activation")
        ACTIVE = "active", _("Active")
        LAPSED = "lapsed", _("Lapsed")
        REMOVED = "removed", _("Removed")

    class Removal(models.TextChoices):
        COMPLETE = "complete", _("Complete the open cases")
        STOP = "stop", _("Stop the open cases")

    org_number = models.CharField(max_length=32)  # the company's Y-tunnus
    company_name = models.CharField(max_length=200)
    creditor = models.ForeignKey(
        "creditors.Creditor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="netvisor_activations",
    )
    # The Netvisor user who activated the service in the Store: they get the portal credentials
    # after the first transfer (seed 003 "Amili collection service credentials").
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    user_name = models.CharField(max_length=200)
    user_phone = models.CharField(max_length=32, blank=True)
    netvisor_role = models.CharField(max_length=16, blank=True)  # KH, TPK, ... as the Store says
    handoff_nonce = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.WAITING)
    started_at = models.DateTimeField()
    terms_accepted_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    lapsed_at = models.DateTimeField(null=True, blank=True)
    credentials_sent_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removal_choice = models.CharField(max_length=16, choices=Removal.choices, blank=True)
    removal_answered_at = models.DateTimeField(null=True, blank=True)
    removal_answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["status", "started_at"], name="nv_activation_due")]

    def __str__(self):
        return f"{self.company_name} ({self.status})"


class NetvisorKyc(TenantModel):
    """The know-your-customer answers a Finnish collection agency must have before it acts for a
    company (rahanpesulaki 444/2017 ch. 3: the customer's beneficial owners, whether any of them
    is a politically exposed person, the purpose and nature of the relationship), with who gave
    them and on what authority: the company's own representative, or an accounting firm's person
    on position authorisation (seed 003: Netvisor KYC accepts it)."""

    class Authority(models.TextChoices):
        OWN = "own", _("I represent the company")
        POSITION = "position", _("Accounting firm, on position authorisation")

    activation = models.OneToOneField(
        NetvisorActivation, on_delete=models.PROTECT, related_name="kyc"
    )
    # [{"name", "birth_date", "nationality", "share"}]: persons owning or controlling over 25 %
    beneficial_owners = models.JSONField(default=list)
    no_owner_over_25 = models.BooleanField(default=False)
    pep = models.BooleanField()
    pep_details = models.TextField(blank=True)
    purpose = models.CharField(max_length=32)
    purpose_details = models.TextField(blank=True)
    authority = models.CharField(max_length=16, choices=Authority.choices)
    firm_name = models.CharField(max_length=200, blank=True)
    firm_business_id = models.CharField(max_length=16, blank=True)
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filled_by_name = models.CharField(max_length=200)
    filled_by_email = models.EmailField()
    filled_at = models.DateTimeField()
