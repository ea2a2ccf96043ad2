"""The activation switch on the settings page, with what it sets off. It spans apps (the ERP's
open invoices through the creditor's import filter, the creditor's cases), so it lives here.

Activating: the creditor's ERP is read now and its open invoices run through the import filter as
the first import will, so the page says how many invoices will be imported and how many of them
as backlog (fee-free reminder at once), and why the others stay out. Deactivating: the import
stops and the ongoing cases pause where they stand (creditors.company.creditor_activation_set)."""

import dataclasses
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case
from collection.erp import adapter_for
from creditors.access import creditor_for_action, creditors_for_user
from creditors.company import creditor_activation_set
from creditors.import_filter import SKIP_LABELS, ImportRules
from creditors.models import Creditor
from creditors.permissions import Action, can_map
from integrations.base import ErpBadRecord
from nordic.calendar import local_today


@dataclass
class Preview:
    imported: int = 0
    backlog: int = 0
    skipped: Counter = field(default_factory=Counter)  # by SKIP_LABELS text
    unreadable: int = 0
    error: str = ""

    @property
    def reasons(self) -> list[tuple[str, int]]:
        """The skips, most first (a template cannot call Counter.most_common: a Counter
        answers a missing key, and a template looks keys up first)."""
        return self.skipped.most_common()


def activation_preview(*, creditor: Creditor, today: dt.date | None = None) -> Preview:
    """What the first import after activating now would bring in: the ERP's open invoices
    through the creditor's filter, as if activated today. An ERP that cannot be reached gives
    the reason instead of counts (activating is still allowed: the sync retries)."""
    today = today or local_today(creditor.time_zone)
    rules = ImportRules.for_creditor(creditor)
    if creditor.activated_at is None:  # activated now: what is overdue today is the backlog
        rules = dataclasses.replace(rules, activated_on=today)
    preview = Preview()
    try:
        for record in adapter_for(creditor).list_open_invoices(as_of=today):
            if isinstance(record, ErpBadRecord):
                preview.unreadable += 1
                continue
            skip = rules.skip_reason(record, today)
            if skip is not None:
                preview.skipped[str(SKIP_LABELS[skip.code])] += 1
            else:
                preview.imported += 1
                preview.backlog += rules.is_backlog(record)
    except Exception as exc:  # any ERP failure: shown, the switch stays usable
        preview.error = str(exc) or exc.__class__.__name__
    return preview


def next_import(creditor: Creditor, now: dt.datetime | None = None) -> dt.datetime:
    """When the sync first runs for the creditor once active: at the next quarter-hour tick if
    its last night's slot has no sync yet (as collection.sync.creditors_due_for_sync decides),
    else at the next nightly hour in its own time zone."""
    now = (now or timezone.now()).astimezone(ZoneInfo(creditor.time_zone))
    hour = settings.AUTOCOLLECT_NIGHTLY_SYNC_HOUR
    slot = now.date() if now.hour >= hour else now.date() - dt.timedelta(days=1)
    if creditor.last_synced_on is None or creditor.last_synced_on < slot:
        return now + dt.timedelta(minutes=15 - now.minute % 15)
    night = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    return night if night > now else night + dt.timedelta(days=1)


def _ongoing_cases(creditor: Creditor) -> int:
    return Case.objects.for_creditor(creditor).filter(status=Case.Status.OPEN).count()


@login_required
def creditor_activation(request, creditor_id):
    """GET: what switching on or off sets off (the creditor's admin); POST: switch, with the
    confirmation ticked."""
    creditor = creditor_for_action(request.user, creditor_id, Action.SETTINGS)
    active = creditor.status == Creditor.Status.ACTIVE
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the box to confirm that you have read what happens."))
            return redirect("creditor-activation", creditor_id=creditor.pk)
        try:
            creditor_activation_set(creditor=creditor, actor=request.user, active=not active)
        except ValueError as exc:
            messages.error(request, str(exc))
            return redirect("creditor-activation", creditor_id=creditor.pk)
        if active:
            messages.success(request, _("Deactivated: the import has stopped, cases are paused."))
        else:
            messages.success(request, _("Activated: the import starts as described."))
        return redirect(f"{reverse('creditor-settings', args=[creditor.pk])}#activation")
    return render(
        request,
        "portal/creditor_activation.html",
        {
            "creditor": creditor,
            "my_creditors": creditors_for_user(request.user),
            "can": can_map(request.user, creditor),
            "active": active,
            "preview": None if active else activation_preview(creditor=creditor),
            "rules": ImportRules.for_creditor(creditor),
            "next_import": next_import(creditor),
            "ongoing": _ongoing_cases(creditor),
            "first_activation": creditor.activated_at is None,
        },
    )
