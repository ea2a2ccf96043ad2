"""The Celery settings (read by autocollect.celery under the CELERY_ namespace): the broker, or
none and every task in-process; redelivery of what a dead worker held; the beat schedule."""

import os

from celery.schedules import crontab

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "") or None
# Without a broker every task runs in-process, at once, as a plain function call.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://localhost/"
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "autocollect")
CELERY_TASK_ACKS_LATE = True
# A task whose worker process dies (killed, OOM) is requeued, not acknowledged and lost; a
# worker that dies whole leaves its unacknowledged messages to the broker, which redelivers them
# after the visibility timeout (longer than any retry countdown, or those run twice; tests
# shorten it through the environment to see the redelivery).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
_VISIBILITY_TIMEOUT = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": _VISIBILITY_TIMEOUT,
    # Workers look for expired messages every interval x throttle seconds (kombu: 10 x 10);
    # a short timeout gets a matching short look-up, else redelivery waits for the 100 s.
    "unacked_restore_interval": min(10, max(1, _VISIBILITY_TIMEOUT // 10)),
    "unacked_restore_throttle": 1 if _VISIBILITY_TIMEOUT < 1000 else 10,
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    # Runs every 15 minutes; each creditor is synced once per local day after 23:00 in its own
    # time zone (SE/NO and FI differ by an hour), and missed nights catch up on the next tick.
    "sync-due-creditors": {
        "task": "integrations.sync_due_creditors",
        "schedule": crontab(minute="*/15"),
    },
    "advance-due-cases": {
        "task": "cases.advance_due_cases",
        "schedule": crontab(minute="*/10"),
    },
    # Every letter row gets its PDF: renders what a lost or failed task left pending.
    "render-pending-letters": {
        "task": "letters.render_pending_letters",
        "schedule": crontab(minute="*/15"),
    },
    # Deliveries (letters.delivery): sent letters whose delivery never started, e-mail retries.
    "deliver-pending-letters": {
        "task": "letters.deliver_pending",
        "schedule": crontab(minute="*/10"),
    },
    # Each creditor's daily print batch, once its local AUTOCOLLECT_PRINT_BATCH_HOUR has come.
    "build-print-batches": {
        "task": "letters.build_print_batches",
        "schedule": crontab(minute=5),
    },
    # Payouts: each active creditor's waiting settlements paid out, remitted and booked, daily
    # (early morning UTC, after every creditor's nightly sync); failed vouchers retried.
    "payouts-due": {
        "task": "settlements.payouts_due",
        "schedule": crontab(minute=30, hour=5),
    },
    # Netvisor Store activations unfinished for three days lapse (also checked on each use).
    "netvisor-activations-lapse": {
        "task": "collection.netvisor_activations_lapse",
        "schedule": crontab(minute="*/15"),
    },
    # The support console's tickets, from their sources (also refreshed when the console opens).
    "refresh-support-tickets": {
        "task": "support.tickets_refresh",
        "schedule": crontab(minute="*/5"),
    },
}
