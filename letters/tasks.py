import logging

from celery import shared_task

from letters.services import letter_render

logger = logging.getLogger("autocollect.letters")


@shared_task(name="letters.render_letters", bind=True, max_retries=3, default_retry_delay=30)
def render_letters(self, letter_ids: list[int]) -> int:
    """Render each letter; one that fails does not hold back the others (it stays pending, is
    rendered on download, and the failure is logged and raised after the rest are done)."""
    failed = []
    for letter_id in letter_ids:
        try:
            letter_render(letter_id=letter_id)
        except Exception:
            logger.exception("letter %s could not be rendered", letter_id)
            failed.append(letter_id)
    if failed:
        raise RuntimeError(f"{len(failed)} of {len(letter_ids)} letters failed: {failed}")
    return len(letter_ids)
