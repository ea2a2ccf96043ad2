"""The Celery tasks that run the workflow: thin, they take ids and call services, and retry only
what may succeed later. The task names are the ones they had in cases/, integrations/ and
settlements/ before this app: messages already queued (retries with a countdown, beat's next
tick) still find their task after a deploy."""

from celery import shared_task

from cases.plans import payment_plans_check
from collection.advance import advance_due_batch
from collection.netvisor_transfers import receives_transfers, transfers_sync
from collection.payouts import creditors_due_for_payout, payouts_run
from collection.postings import payout_post
from collection.sync import creditor_sync, creditors_due_for_sync
from collection.writeback import case_reference_write
from creditors.models import Creditor
from integrations.errors import ErpError, ErpRateLimited
from settlements.models import Payout
from settlements.payouts import POST_LEASE

# A call refused for the ERP's rate was not done: the HTTP base waits and tries again in-process
# a few times, then the task comes back after the ERP's wait, for as long as it takes (bounded
# only as a safety net), so a write refused with 429 is delayed, never dropped.
RATE_LIMITED_RETRIES = 1000


def _retry_later(task, exc: ErpError, default: float):
    countdown = getattr(exc, "retry_after", None) or default
    if isinstance(exc, ErpRateLimited):
        return task.retry(exc=exc, countdown=countdown, max_retries=RATE_LIMITED_RETRIES)
    return task.retry(exc=exc, countdown=countdown)


@shared_task(name="integrations.sync_due_creditors")
def sync_due_creditors() -> int:
    count = 0
    for creditor in creditors_due_for_sync():
        sync_creditor.delay(creditor.pk)
        count += 1
    return count


@shared_task(name="integrations.sync_creditor", bind=True, max_retries=3, default_retry_delay=300)
def sync_creditor(self, creditor_id: int) -> None:
    creditor = Creditor.objects.get(pk=creditor_id)
    try:
        creditor_sync(creditor=creditor)
        if receives_transfers(creditor):  # Netvisor: cases come by transfer, payments read
            transfers_sync(creditor=creditor)
    except ErpError as exc:
        # The failure is on the SyncRun and the creditor's page either way.
        if exc.retryable and not self.request.is_eager:
            raise _retry_later(self, exc, 300) from exc


@shared_task(name="cases.advance_due_cases")
def advance_due_cases() -> int:
    """Advance every due case (in batches, each locked so that parallel runs share the work),
    and resume cases whose payment plan was broken."""
    payment_plans_check()
    total = 0
    while taken := advance_due_batch():
        total += taken
    return total


@shared_task(
    name="cases.write_case_reference",
    bind=True,
    max_retries=5,
    default_retry_delay=60,
)
def write_case_reference(self, case_id: int) -> None:
    try:
        case_reference_write(case_id=case_id)
    except ErpError as exc:
        if exc.retryable and not self.request.is_eager:
            raise _retry_later(self, exc, 60) from exc
        raise


@shared_task(name="collection.write_case_references")
def write_case_references(case_ids: list[int]) -> None:
    """The write-back of many cases (a page of the import): one task each, retried on its own."""
    for case_id in case_ids:
        write_case_reference.delay(case_id)


@shared_task(name="settlements.payouts_due")
def payouts_due() -> int:
    """Beat's daily payout run: one task per active creditor."""
    count = 0
    for creditor in creditors_due_for_payout():
        run_payouts.delay(creditor.pk)
        count += 1
    return count


@shared_task(name="settlements.run_payouts")
def run_payouts(creditor_id: int) -> int:
    """Batch, pay, remit and post the creditor's payouts (collection.payouts.payouts_run). A
    voucher the ERP cannot take now stays on its payout, failed with the reason, for the next
    run; nothing here is retried by Celery."""
    return len(payouts_run(creditor=Creditor.objects.get(pk=creditor_id)))


@shared_task(name="settlements.post_settlement")
def post_settlement(settlement_id: int) -> None:
    """Queued before payouts (one voucher per payment): the settlement is booked with its payout's
    voucher now, so a message still queued from before the deploy has nothing left to do."""
    return None


@shared_task(name="settlements.post_payout", bind=True, max_retries=8, default_retry_delay=120)
def post_payout(self, payout_id: int) -> None:
    try:
        payout = payout_post(payout_id=payout_id)
    except ErpError as exc:
        if exc.retryable and not self.request.is_eager:
            raise _retry_later(self, exc, 120) from exc
        if not self.request.is_eager:
            raise
        return  # in-process: the failure is on the payout (voucher failed, last_error)
    if payout.voucher_status == Payout.VoucherStatus.POSTING and not self.request.is_eager:
        # Another attempt holds it: come back when, if its worker died, it may be taken over.
        raise self.retry(countdown=POST_LEASE.total_seconds() + 60)


@shared_task(name="collection.netvisor_activations_lapse")
def netvisor_activations_lapse() -> int:
    """Netvisor Store activations left unfinished for three days lapse (seed 003)."""
    from collection.netvisor_activation import activations_lapse

    return activations_lapse()
