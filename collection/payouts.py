"""Payouts end to end, per creditor on beat's schedule: the settlements waiting for a payout
batched (settlements.payouts.payout_batch_create), each payout paid, its remittance rendered and
e-mailed to the contact person, and its voucher posted into the ERP (collection.postings), where
the ERP takes vouchers and the creditor's bookkeeping is on. Every step is idempotent: a payout
paid is not paid again, a remittance sent is not sent again, a voucher posted is found by its
external number; a step that fails is taken up by the next run."""

import datetime as dt
import hashlib
import logging

from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from collection.erp import erp_has
from collection.postings import payout_post, payouts_retry
from collection.remittance import remittance_render
from creditors.models import AccountSetup, Creditor
from integrations.errors import ErpError
from integrations.features import Feature
from nordic.calendar import local_today
from settlements.models import Payout
from settlements.payouts import payout_batch_create, payout_pay

logger = logging.getLogger("autocollect.settlements")


def payouts_run(*, creditor: Creditor, today: dt.date | None = None) -> list[Payout]:
    """Batch the creditor's waiting settlements, pay and remit each new payout, post its
    voucher; then take up earlier payouts whose remittance or voucher did not get through."""
    today = today or local_today(creditor.time_zone)
    created = payout_batch_create(creditor=creditor, today=today)
    for payout in created:
        payout_pay(payout=payout)
    unsent = Payout.objects.for_creditor(creditor).filter(
        status=Payout.Status.PAID, remittance_sent_at__isnull=True
    )
    for payout in unsent.order_by("pk"):
        try:
            remittance_send(payout=payout)
        except Exception:  # the mail server down: the next run sends it
            logger.exception("remittance of payout %s not sent", payout.pk)
    payouts_retry(creditor=creditor)
    return created


def _books_in_erp(creditor: Creditor) -> bool:
    setup = AccountSetup.objects.get_or_create(creditor=creditor)[0]
    return setup.enabled and erp_has(creditor, Feature.POST_VOUCHER)


def remittance_send(*, payout: Payout) -> Payout:
    """Render the remittance (once: the PDF kept is the one sent) and e-mail it to the creditor's
    contact person. Sent once; a creditor without a contact keeps it on the payout page."""
    with transaction.atomic():
        payout = Payout.objects.select_for_update().select_related("creditor").get(pk=payout.pk)
        if payout.remittance_sent_at:
            return payout
        creditor = payout.creditor
        remittance = remittance_render(payout, booked_in_erp=_books_in_erp(creditor))
        if not payout.remittance:
            pdf = remittance.pdf
            payout.remittance.save(f"{payout.external_number}.pdf", ContentFile(pdf), save=False)
            payout.remittance_sha256 = hashlib.sha256(pdf).hexdigest()
        else:
            pdf = payout.remittance.open("rb").read()
        if creditor.contact_email:
            message = EmailMessage(
                subject=remittance.subject, body=remittance.body, to=[creditor.contact_email]
            )
            message.attach(f"{payout.external_number}.pdf", pdf, "application/pdf")
            message.send()
            payout.remittance_sent_to = creditor.contact_email
        payout.remittance_sent_at = timezone.now()
        payout.save(
            update_fields=[
                "remittance",
                "remittance_sha256",
                "remittance_sent_to",
                "remittance_sent_at",
            ]
        )
    return payout


def payout_post_now(*, payout_id: int) -> Payout:
    """Post one payout's voucher now (support's retry); an ERP failure stays on the payout."""
    try:
        return payout_post(payout_id=payout_id)
    except ErpError:
        return Payout.objects.get(pk=payout_id)


def creditors_due_for_payout() -> list[Creditor]:
    return list(Creditor.objects.filter(status=Creditor.Status.ACTIVE).order_by("pk"))
