import datetime as dt
import logging

from celery import shared_task
from django.utils import timezone

from letters.delivery import deliveries_due, delivery_send, letter_deliver
from letters.models import Letter
from letters.printing import print_batch_build, print_batches_due
from letters.services import letter_render, letters_due_for_render

logger = logging.getLogger("autocollect.letters")
RETRY_BASE_SECONDS = 30  # 30 s, 1, 2, 4, 8 min: well inside the broker's visibility timeout
SWEEP_CHUNK = 50


@shared_task(
    name="letters.render_letters",
    bind=True,
    max_retries=5,
    # A worker killed mid-render must not lose the message: it is acknowledged only when done,
    # and requeued when the worker process dies (a sent letter is skipped on the next run).
    acks_late=True,
    reject_on_worker_lost=True,
)
def render_letters(self, letter_ids: list[int]) -> int:
    """Render each letter; one that fails does not hold back the others. The failed ones (and
    only those) are retried with backoff; after that the sweep (render_pending_letters) keeps
    trying, and support is told through the case's flag."""
    failed = []
    for letter_id in letter_ids:
        try:
            letter_render(letter_id=letter_id)
        except Letter.DoesNotExist:
            logger.warning("letter %s is gone, nothing to render", letter_id)
        except Exception:
            logger.exception("letter %s could not be rendered", letter_id)
            failed.append(letter_id)
        else:
            letter_deliver(letter_id=letter_id)  # records its own failure for the sweep
    if not failed:
        return len(letter_ids)
    # Eagerly (no broker) a retry would run again at once: leave it to the sweep.
    if not self.request.is_eager and self.request.retries < self.max_retries:
        countdown = RETRY_BASE_SECONDS * 2**self.request.retries
        raise self.retry(args=[failed], countdown=countdown)
    raise RuntimeError(f"{len(failed)} of {len(letter_ids)} letters failed: {failed}")


@shared_task(name="letters.render_pending_letters")
def render_pending_letters() -> int:
    """The periodic sweep: every letter row gets its PDF eventually, whatever happened to the
    task that should have rendered it (broker lost, retries used up, a cause since fixed)."""
    ids = letters_due_for_render(now=timezone.now())
    for start in range(0, len(ids), SWEEP_CHUNK):
        chunk = ids[start : start + SWEEP_CHUNK]
        try:
            render_letters.delay(chunk)
        except Exception:  # eagerly, a failure raises here: the next chunk still goes
            logger.exception("sweep: letters %s are still pending", chunk)
    return len(ids)


@shared_task(name="letters.send_delivery", acks_late=True, reject_on_worker_lost=True)
def send_delivery(delivery_id: int) -> str:
    """Send one e-mail delivery (or its retry); a sent one is not sent again."""
    return delivery_send(delivery_id=delivery_id).status


@shared_task(name="letters.deliver_pending")
def deliver_pending() -> int:
    """The periodic sweep: sent letters whose delivery never started (a lost task, a letter
    rendered by a download), and failed e-mails whose backoff has passed (bounded by
    AUTOCOLLECT_DELIVERY_ATTEMPTS; then the letter goes by post)."""
    letter_ids, delivery_ids = deliveries_due(now=timezone.now())
    for letter_id in letter_ids:
        letter_deliver(letter_id=letter_id)
    for delivery_id in delivery_ids:
        send_delivery.delay(delivery_id)
    return len(letter_ids) + len(delivery_ids)


@shared_task(name="letters.build_print_batches")
def build_print_batches() -> int:
    """Hourly: each creditor's print batch once its local batch hour has come."""
    due = print_batches_due(now=timezone.now())
    for creditor_id, day in due:
        build_print_batch.delay(creditor_id, day.isoformat())
    return len(due)


@shared_task(name="letters.build_print_batch", acks_late=True, reject_on_worker_lost=True)
def build_print_batch(creditor_id: int, day: str) -> int:
    """One creditor's batch for one day (made once: a second run finds it made)."""
    batch = print_batch_build(creditor_id=creditor_id, day=dt.date.fromisoformat(day))
    return batch.letter_count if batch else 0
