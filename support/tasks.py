from celery import shared_task

from support.refresh import tickets_refresh


@shared_task(name="support.tickets_refresh")
def tickets_refresh_task() -> dict[str, int]:
    return tickets_refresh()
