"""Records written once and never changed: who changed what on a creditor, which support staff
viewed its data, and the collection agreement as it was signed."""

from django.conf import settings
from django.db import models

from creditors.models.tenants import Creditor
from creditors.tenancy import TenantModel


class CreditorAuditEvent(TenantModel):
    """Who changed what on a creditor: payout account, settings, users, firm access. Written in
    the same transaction as the change; values in full (support must see what an account was
    changed from when a payout goes astray)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=32)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]


class SupportAccessLog(models.Model):
    """One view of a creditor's data by support staff (creditors.audit): who, which creditor, what
    they asked for and when. Written where every portal and API view resolves its creditor
    (creditors.access), so no view can forget it; never changed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    creditor = models.ForeignKey(Creditor, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=8, blank=True)
    path = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["creditor", "at"], name="support_access_creditor_idx")]


class AgreementSignature(TenantModel):
    """The collection agreement as the creditor signed it: the PDF they were shown, its SHA-256,
    who signed, by which method (creditors.signing) and when. Never changed once written: a new
    agreement is a new row. A firm signing for several clients in one act writes one row per
    client, each with that client's own PDF, and the same signer, method, time and reference."""

    pdf = models.FileField(upload_to="agreements/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    signer_name = models.CharField(max_length=200)
    method = models.CharField(max_length=32)
    reference = models.CharField(max_length=200, blank=True)  # the provider's transaction id
    signed_at = models.DateTimeField()
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-signed_at", "-pk"]
