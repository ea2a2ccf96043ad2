"""The creditor portal's overview pages: the dashboard, the case list with its filters and bulk
actions, the import runs. Thin: reads go through selectors that take the creditor (resolved from
the user's memberships: another tenant is a 404), each action through the permission table
(creditors.permissions: a 403) and the case action services (collection.actions)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import reports, selectors
from cases.access import case_for_user
from cases.actions import CASE_ACTIONS
from cases.filters import CaseFilterForm
from cases.lifecycle import InvalidTransition
from cases.services import PAUSE_REASONS
from collection import selectors as sync_selectors
from collection.actions import case_act
from collection.charts import bar_chart
from collection.views import portal_context
from creditors.access import creditor_for_action
from creditors.permissions import Action
from nordic.calendar import local_today
from nordic.formatting import format_date, format_money

_NORDIC = ("sv", "nb", "fi")
PAGE_SIZE = 50
BULK_VERBS = ("pause", "resume", "withdraw")
BULK_LIMIT = 200  # cases per bulk action: one page of a generous size, one request
COUNT_UP_TO = 1000  # the case list counts its matches up to this many past the page asked for


class CountedUpTo(Paginator):
    """A paginator that counts at most `cap` rows (or up to the page after the one asked for):
    counting a third of 100 000 cases for a debtor-name filter cost more than the page itself
    (bench/case_list.py), and nobody pages through a thousand cases, they narrow the filter.
    `capped` says the count is a lower bound ("more than 1 000 cases"); Next still works."""

    def __init__(self, object_list, per_page, *, page, cap: int):
        super().__init__(object_list, per_page)
        try:
            asked = max(int(page), 1)
        except (TypeError, ValueError):
            asked = 1
        self.limit = max(cap, (asked + 1) * per_page)

    @cached_property
    def count(self) -> int:
        # Unordered and LIMITed: PostgreSQL stops at the limit instead of counting every match.
        return self.object_list.order_by()[: self.limit + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.limit


@login_required
def dashboard(request, creditor_id):
    creditor = creditor_for_action(request.user, creditor_id, Action.VIEW)
    today = local_today(creditor.time_zone)
    figures = reports.dashboard(creditor=creditor, today=today)
    # the page's language (as the money filter): labels and amounts read alike
    language = translation.get_language() if translation.get_language() in _NORDIC else "en"
    currency = creditor.currency
    chart = bar_chart(
        [
            (
                _month(m, language),
                total,
                f"{_month(m, language)}: {format_money(total, currency, language)}",
            )
            for m, total in figures.collected_by_month
        ]
    )
    return render(
        request,
        "portal/dashboard.html",
        portal_context(
            request,
            creditor,
            figures=figures,
            chart=chart,
            last_sync=sync_selectors.last_sync(creditor=creditor),
            decisions=selectors.case_list(
                creditor=creditor, filters=selectors.CaseFilter(pending_decision=True)
            ).count(),
        ),
    )


def _month(first: dt.date, language: str) -> str:
    """A month as its language writes it short: 2026-11 (sv), 11.2026 (nb, fi), Nov 2026 (en)."""
    if language == "sv":
        return f"{first:%Y-%m}"
    if language == "en":
        return format_date(first, "en").split(" ", 1)[1][:3] + f" {first.year}"
    return f"{first.month:02d}.{first.year}" if language == "nb" else f"{first.month}.{first.year}"


@login_required
def case_list(request, creditor_id):
    creditor = creditor_for_action(request.user, creditor_id, Action.VIEW)
    form = CaseFilterForm(request.GET)
    filters = form.case_filter()
    cases = selectors.case_list(creditor=creditor, filters=filters)
    asked = request.GET.get("page")
    page = CountedUpTo(cases, PAGE_SIZE, page=asked, cap=COUNT_UP_TO).get_page(asked)
    query = request.GET.copy()
    query.pop("page", None)
    unsorted = query.copy()
    unsorted.pop("sort", None)
    context = portal_context(
        request,
        creditor,
        form=form,
        page=page,
        sort=filters.sort,
        query=query.urlencode(),
        unsorted=unsorted.urlencode(),
        last_sync=sync_selectors.last_sync(creditor=creditor),
        quarantined=sync_selectors.quarantine_open(creditor=creditor)[:20],
    )
    # from the permission map already read for the page (no query per button)
    allowed = context["can"]
    context["bulk_verbs"] = [
        v for v in BULK_VERBS if allowed[CASE_ACTIONS[v].permission.name.lower()]
    ]
    return render(request, "portal/case_list.html", context)


@login_required
@require_POST
def case_bulk(request, creditor_id):
    """Pause, resume or withdraw the ticked cases. The first POST shows what would happen (the
    confirmation step); the second, with confirm=1, runs the action case by case, each through
    its own permission check and service, and reports each case's result on the list."""
    verb = request.POST.get("verb", "")
    if verb not in BULK_VERBS:
        return HttpResponseBadRequest(_("Unknown action."))
    creditor = creditor_for_action(request.user, creditor_id, CASE_ACTIONS[verb].permission)
    numbers = list(dict.fromkeys(request.POST.getlist("case")))[:BULK_LIMIT]
    back = request.POST.get("back", "")
    back_url = reverse("case-list", args=[creditor.pk]) + (f"?{back}" if back else "")
    if not numbers:
        messages.error(request, _("No case was selected."))
        return redirect(back_url)
    if request.POST.get("confirm") != "1":
        cases = selectors.case_list(creditor=creditor).filter(number__in=numbers)
        return render(
            request,
            "portal/case_bulk_confirm.html",
            portal_context(
                request,
                creditor,
                verb=verb,
                cases=cases,
                back=back,
                back_url=back_url,
                pause_reasons=PAUSE_REASONS,
            ),
        )
    for number, ok, text in _bulk_run(request, creditor, verb, numbers):
        (messages.success if ok else messages.error)(request, f"{number}: {text}")
    return redirect(back_url)


def _bulk_run(request, creditor, verb, numbers):
    action = CASE_ACTIONS[verb]
    for number in numbers:
        try:
            case = case_for_user(request.user, creditor.pk, number, action.permission)[1]
            case_act(case=case, verb=verb, actor=request.user, data=request.POST)
        except Http404:
            yield number, False, _("no such case")
        except PermissionDenied:
            yield number, False, _("your role does not allow this")
        except (InvalidTransition, ValueError) as exc:
            yield number, False, str(exc)
        else:
            yield number, True, _(action.done)


@login_required
def sync_runs(request, creditor_id):
    creditor = creditor_for_action(request.user, creditor_id, Action.VIEW)
    page = Paginator(sync_selectors.sync_runs(creditor=creditor), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "portal/sync_runs.html",
        portal_context(
            request,
            creditor,
            page=page,
            quarantined=sync_selectors.quarantine_open(creditor=creditor),
        ),
    )
