from celery import shared_task

from letters.services import letter_render


@shared_task(name="letters.render_letters", bind=True, max_retries=3, default_retry_delay=30)
def render_letters(self, letter_ids: list[int]) -> int:
    for letter_id in letter_ids:
        letter_render(letter_id=letter_id)
    return len(letter_ids)
