"""Every letter row gets its PDF: a render that fails leaves the letter pending (never sent),
it is retried by the sweep, and one that keeps failing puts its case in support's queue.
Real rendering throughout; the failure is a real one (the collector's details for the country
removed from settings, so the letter's content cannot be built)."""

import datetime as dt
import hashlib
import io

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import Case, CaseEvent
from collection.advance import case_advance
from letters.models import Letter
from letters.services import letter_render
from letters.tasks import render_letters, render_pending_letters

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 2)


@pytest.fixture
def no_collector_for_norway(settings):
    """Break rendering of Norwegian letters the way a bad deploy would; returns the repair."""
    collectors = settings.AUTOCOLLECT_SENDER
    settings.AUTOCOLLECT_SENDER = {k: v for k, v in collectors.items() if k != "NO"}

    def repair():
        settings.AUTOCOLLECT_SENDER = collectors

    return repair


def advance(case, capture):
    """The advance as the beat runs it: the letter row is committed, its render task follows."""
    with capture(execute=True):
        assert case_advance(case_id=case.pk, today=TODAY) == "reminder"
    return Letter.objects.get(case=case)


def age(letter, minutes: int) -> None:
    """Move the letter's creation and last attempt back (the sweep leaves fresh ones alone)."""
    past = timezone.now() - dt.timedelta(minutes=minutes)
    Letter.objects.filter(pk=letter.pk).update(created_at=past, last_attempt_at=past)


def letter_in_api(client, case, letter) -> dict:
    data = client.get(f"/api/creditors/{case.creditor_id}/cases/{case.number}/").json()
    return next(x for x in data["letters"] if x["id"] == letter.pk)


def test_failed_render_stays_pending_and_the_sweep_sends_it(
    make_creditor, make_case, make_user, client, django_capture_on_commit_callbacks, settings,
    no_collector_for_norway,
):  # fmt: skip
    case = make_case(make_creditor())
    letter = advance(case, django_capture_on_commit_callbacks)
    # The stage and its fee are booked, the render failed: the letter is pending, not sent.
    assert letter.status == Letter.Status.PENDING
    assert not letter.file and not letter.sha256 and letter.rendered_at is None
    assert letter.render_attempts == 1
    assert letter.last_error.startswith("SenderMissing")
    client.force_login(make_user(case.creditor))
    assert letter_in_api(client, case, letter)["status"] == "pending"
    page = client.get(f"/c/{case.creditor_id}/cases/{case.number}/").content.decode()
    assert "Pending" in page and "Download PDF" not in page

    no_collector_for_norway()  # the cause is fixed
    assert render_pending_letters() == 0  # a letter just tried is left to its backoff
    age(letter, 60)
    assert render_pending_letters() == 1
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT
    assert letter.render_attempts == 2 and letter.last_error == ""
    with letter.file.open("rb") as fh:
        pdf = fh.read()
    assert pdf.startswith(b"%PDF-") and hashlib.sha256(pdf).hexdigest() == letter.sha256
    assert letter_in_api(client, case, letter)["status"] == "sent"
    page = client.get(f"/c/{case.creditor_id}/cases/{case.number}/").content.decode()
    assert "Download PDF" in page
    assert not Case.objects.get(pk=case.pk).support_flag


def test_a_letter_that_keeps_failing_flags_its_case_once(
    make_creditor, make_case, django_capture_on_commit_callbacks, settings,
    no_collector_for_norway,
):  # fmt: skip
    settings.AUTOCOLLECT_LETTER_RENDER_ATTEMPTS = 3
    case = make_case(make_creditor())
    letter = advance(case, django_capture_on_commit_callbacks)  # attempt 1
    for _ in range(3):  # attempts 2, 3 (the limit: flagged) and 4 (recorded only)
        age(letter, 24 * 60)
        assert render_pending_letters() == 1
    letter.refresh_from_db()
    case.refresh_from_db()
    assert letter.status == Letter.Status.PENDING and letter.render_attempts == 4
    assert case.support_flag.startswith(
        f"The reminder letter of {TODAY} could not be made (3 attempts"
    )
    assert "SenderMissing" in case.support_flag
    assert CaseEvent.objects.filter(case=case, kind="flagged").count() == 1

    no_collector_for_norway()
    age(letter, 24 * 60)
    render_pending_letters()
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT and letter.file


def test_only_the_failed_letters_fail_and_a_sent_letter_is_never_rendered_again(
    make_creditor, make_case, settings, no_collector_for_norway
):
    swedish = case_advance(
        case_id=make_case(make_creditor(country="SE"), today=TODAY).pk, today=TODAY
    )
    assert swedish == "reminder"
    case_no = make_case(make_creditor())
    case_advance(case_id=case_no.pk, today=TODAY)
    se_letter = Letter.objects.get(case__country="SE")
    no_letter = Letter.objects.get(case=case_no)
    with pytest.raises(RuntimeError, match=rf"1 of 2 letters failed: \[{no_letter.pk}\]"):
        render_letters.delay([no_letter.pk, se_letter.pk])
    se_letter.refresh_from_db()
    assert se_letter.status == Letter.Status.SENT
    sent = (se_letter.file.name, se_letter.sha256, se_letter.rendered_at)

    no_collector_for_norway()
    assert render_letters.delay([se_letter.pk, no_letter.pk]).get() == 2
    assert letter_render(letter_id=se_letter.pk).rendered_at == sent[2]
    se_letter.refresh_from_db()
    assert (se_letter.file.name, se_letter.sha256, se_letter.rendered_at) == sent
    assert se_letter.render_attempts == 1


def test_a_file_left_by_a_killed_render_is_replaced_not_duplicated(
    make_creditor, make_case, settings
):
    case = make_case(make_creditor())
    case_advance(case_id=case.pk, today=TODAY)
    letter = Letter.objects.get(case=case)
    # A worker wrote the file and died before its commit: the row is still pending.
    name = letter.file.field.generate_filename(letter, f"{case.number}-{letter.stage}.pdf")
    letter.file.storage.save(name, io.BytesIO(b"half a PDF"))
    letter_render(letter_id=letter.pk)
    letter.refresh_from_db()
    assert letter.file.name == name
    folder = settings.MEDIA_ROOT / name.rsplit("/", 1)[0]
    assert [p.name for p in folder.iterdir()] == [f"{case.number}-{letter.stage}.pdf"]
    with letter.file.open("rb") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == letter.sha256


def test_a_letter_is_never_sent_without_its_pdf(make_creditor, make_case):
    case = make_case(make_creditor())
    case_advance(case_id=case.pk, today=TODAY)
    pending = Letter.objects.filter(case=case)
    with pytest.raises(IntegrityError), transaction.atomic():
        pending.update(status=Letter.Status.SENT, rendered_at=timezone.now(), sha256="0" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        pending.update(status=Letter.Status.SENT, file="letters/x.pdf", sha256="0" * 64)


def test_the_sweep_is_scheduled_and_every_beat_entry_names_a_real_task(settings):
    from autocollect.celery import app

    app.loader.import_default_modules()
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "letters.render_pending_letters" in tasks
    assert tasks <= set(app.tasks)
