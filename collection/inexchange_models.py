"""The partners that call our partner API (collection.inexchange_api) and the companies each
registered with us: Inexchange, as the operator whose users switched on "Påminnelse & Inkasso",
reaches only the creditors enrolled through it. Imported by collection.models (Django finds
models there)."""

from django.db import models

from creditors.models import Creditor


class Partner(models.Model):
    """A partner's credential: shown once when made, stored as a hash, revocable."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=32, unique=True)  # "inexchange"
    prefix = models.CharField(max_length=16, unique=True)  # the key's public part, for logs
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "collection"

    def __str__(self):
        return f"{self.name} ({self.prefix})"


class PartnerCompany(models.Model):
    """A creditor enrolled through a partner, under the company id the partner knows it by
    (for Inexchange: the ErpId we registered the company with)."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="companies")
    creditor = models.OneToOneField(
        Creditor, on_delete=models.CASCADE, related_name="partner_company"
    )
    erp_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "collection"
        constraints = [
            models.UniqueConstraint(fields=["partner", "erp_id"], name="partner_company_erp_id")
        ]

    def __str__(self):
        return f"{self.erp_id} via {self.partner.slug}"


class StoreHandoff(models.Model):
    """A hand-off from the Inexchange Store accepted once (integrations.inexchange.handoff: our
    design): its nonce may not be used again, and the row says who came when."""

    nonce = models.CharField(max_length=64, unique=True)
    erp_id = models.CharField(max_length=64)
    org_number = models.CharField(max_length=32)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "collection"
