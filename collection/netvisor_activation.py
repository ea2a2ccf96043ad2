"""Activating and removing the Netvisor service through the Netvisor Store (seed 003, issue 12
item 5). The Store's hand-off is our design (integrations.netvisor.store); the rules are the
guide's:

- The activation is refused from 22:00 to 05:00 Finnish time (our maintenance break), at the
  hand-off and at every step after it, with that reason.
- Terms first, then the KYC step (collection.netvisor_models.NetvisorKyc: beneficial owners, the
  PEP question, the purpose), which an accounting firm's person may fill on position
  authorisation: who filled it and on what authority is recorded. Then the agreement is signed
  through creditors.signing (AgreementSignature with its PDF), which finishes the activation.
- An activation left unfinished waits three days and then lapses (beat task
  collection.netvisor_activations_lapse, and checked whenever the activation is used); a lapsed
  activation is begun again from the Store.
- The portal credentials go to the user who activated the service after the first transfer
  arrives: an e-mail with a link to set a password (Django's password reset token).
- Removing the service stops new transfers at once and asks whether the open cases are completed
  (they go on to the end) or stopped (each is withdrawn); the answer is carried out.

Time comes from `clock()` (tests replace it) or a `now` argument.
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from cases.models import Case
from cases.services import case_withdraw
from collection.closing import cases_closed
from collection.netvisor_models import NetvisorActivation, NetvisorKyc
from collection.onboarding import creditor_onboard, erp_company_read
from creditors.models import Creditor, Membership
from creditors.services import Company, OnboardingError, audit_add, creditor_activate
from integrations.errors import ErpError
from integrations.netvisor.store import StoreHandoff

logger = logging.getLogger("collection.netvisor")
HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")
BREAK_FROM, BREAK_UNTIL = dt.time(22, 0), dt.time(5, 0)
LAPSE_AFTER = dt.timedelta(days=3)


def clock() -> dt.datetime:
    """Now. Tests set this module attribute to a function of their own."""
    return timezone.now()


class ActivationRefused(Exception):
    """The activation cannot go on; `str()` is the reason shown to the person."""


def in_maintenance_break(now: dt.datetime) -> bool:
    """From 22:00 until 05:00 Helsinki time, summer or winter (seed 003)."""
    local = now.astimezone(HELSINKI).time()
    return local >= BREAK_FROM or local < BREAK_UNTIL


def maintenance_check(now: dt.datetime) -> None:
    if in_maintenance_break(now):
        raise ActivationRefused(
            _(
                "The service cannot be activated between 22:00 and 05:00 Finnish time: that is "
                "our maintenance break. Start the activation again from the Netvisor Store after "
                "05:00."
            )
        )


def _lapse_if_due(activation: NetvisorActivation, now: dt.datetime) -> bool:
    if activation.status == NetvisorActivation.Status.WAITING and (
        now >= activation.started_at + LAPSE_AFTER
    ):
        activation.status = NetvisorActivation.Status.LAPSED
        activation.lapsed_at = now
        activation.save(update_fields=["status", "lapsed_at"])
        return True
    return False


def activations_lapse(*, now: dt.datetime | None = None) -> int:
    """Every activation waiting for three days or more lapses; how many did."""
    now = now or clock()
    due = NetvisorActivation.objects.filter(
        status=NetvisorActivation.Status.WAITING, started_at__lte=now - LAPSE_AFTER
    )
    return due.update(status=NetvisorActivation.Status.LAPSED, lapsed_at=now)


def activation_start(
    *, handoff: StoreHandoff, now: dt.datetime | None = None
) -> NetvisorActivation:
    """A new activation from the Store's hand-off (refused in the maintenance break). A hand-off
    is used once; one still waiting for the company lapses first if due, else it goes on."""
    now = now or clock()
    maintenance_check(now)
    if NetvisorActivation.objects.filter(
        org_number=handoff.org, status=NetvisorActivation.Status.ACTIVE
    ).exists():
        raise ActivationRefused(_("The service is active for this company already."))
    waiting = NetvisorActivation.objects.filter(
        org_number=handoff.org, status=NetvisorActivation.Status.WAITING
    ).first()
    if (
        waiting is not None
        and not _lapse_if_due(waiting, now)
        and waiting.user.email == (handoff.email.lower())
    ):
        return waiting
    company = _company_read(handoff.org)
    user = _user_for(handoff)
    try:
        with transaction.atomic():
            return NetvisorActivation.objects.create(
                org_number=handoff.org,
                company_name=company.name,
                user=user,
                user_name=handoff.name,
                user_phone=handoff.phone,
                netvisor_role=handoff.role,
                handoff_nonce=handoff.nonce,
                started_at=now,
            )
    except IntegrityError:
        raise ActivationRefused(_("This link from the Netvisor Store was used already.")) from None


def _company_read(org_number: str) -> Company:
    """The company as Netvisor has it, through the rights the Store granted our user."""
    try:
        return erp_company_read(erp_kind="netvisor", connection=store_connection(org_number))
    except (ErpError, OnboardingError) as exc:
        logger.warning("Netvisor company %s not read at activation: %s", org_number, exc)
        raise ActivationRefused(
            _("We could not read your company from Netvisor just now. Try again in a minute.")
        ) from None


def _user_for(handoff: StoreHandoff):
    """The Netvisor user's account here: found by e-mail, else made without a usable password
    (they set one from the e-mail sent after the first transfer)."""
    email = handoff.email.strip().lower()
    users = get_user_model().objects
    user = users.filter(email__iexact=email).first()
    if user is None:
        first, _sep, last = handoff.name.strip().partition(" ")
        user = users.create_user(username=email, email=email, first_name=first, last_name=last)
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def activation_get(pk: int, *, now: dt.datetime | None = None) -> NetvisorActivation:
    """The activation, lapsed first if its three days are up (the check on access)."""
    activation = NetvisorActivation.objects.select_related("creditor", "user").get(pk=pk)
    _lapse_if_due(activation, now or clock())
    return activation


def waiting_check(activation: NetvisorActivation, now: dt.datetime) -> None:
    maintenance_check(now)
    if _lapse_if_due(activation, now) or activation.status == NetvisorActivation.Status.LAPSED:
        raise ActivationRefused(
            _(
                "This activation was not finished within 3 days and has lapsed. Start it again "
                "from the Netvisor Store."
            )
        )
    if activation.status != NetvisorActivation.Status.WAITING:
        raise ActivationRefused(_("This activation is finished already."))


def terms_accept(*, activation: NetvisorActivation, now: dt.datetime | None = None) -> None:
    now = now or clock()
    waiting_check(activation, now)
    activation.terms_accepted_at = activation.terms_accepted_at or now
    activation.save(update_fields=["terms_accepted_at"])


def store_connection(org_number: str) -> dict:
    """Our integration user's connection to the company (the Store granted it)."""
    return {
        "base_url": settings.NETVISOR_BASE_URL,
        "customer_id": settings.NETVISOR_STORE_CUSTOMER_ID,
        "customer_key": settings.NETVISOR_STORE_CUSTOMER_KEY,
        "organisation_id": org_number,
        "language": "FI",
    }


@transaction.atomic
def kyc_record(
    *, activation: NetvisorActivation, answers: dict, now: dt.datetime | None = None
) -> NetvisorKyc:
    """The creditor from the company data in Netvisor (payout account given here) and the KYC
    answers, with who filled them and on what authority. Terms must be accepted first."""
    now = now or clock()
    waiting_check(activation, now)
    if activation.terms_accepted_at is None:
        raise ActivationRefused(_("Accept the service terms first."))
    creditor = creditor_onboard(
        erp_kind="netvisor",
        connection=store_connection(activation.org_number),
        country="FI",
        payout_account_kind="iban",
        payout_account=answers["payout_account"],
        contact_email=activation.user.email,
    )
    activation.creditor = creditor
    activation.company_name = creditor.legal_name
    activation.save(update_fields=["creditor", "company_name"])
    position = answers["authority"] == NetvisorKyc.Authority.POSITION
    kyc, _created = NetvisorKyc.objects.update_or_create(
        activation=activation,
        defaults={
            "creditor": creditor,
            "beneficial_owners": answers["beneficial_owners"],
            "no_owner_over_25": answers["no_owner_over_25"],
            "pep": answers["pep"],
            "pep_details": answers.get("pep_details", ""),
            "purpose": answers["purpose"],
            "purpose_details": answers.get("purpose_details", ""),
            "authority": answers["authority"],
            "firm_name": answers.get("firm_name", "") if position else "",
            "firm_business_id": answers.get("firm_business_id", "") if position else "",
            "filled_by": activation.user,
            "filled_by_name": activation.user_name,
            "filled_by_email": activation.user.email,
            "filled_at": now,
        },
    )
    on = f" for {kyc.firm_name} ({kyc.firm_business_id})" if position else ""
    audit_add(
        creditor=creditor,
        actor=activation.user,
        action="kyc_filled",
        new=f"{kyc.filled_by_name} <{kyc.filled_by_email}>, {kyc.authority}{on}",
    )
    return kyc


def signing_check(*, activation: NetvisorActivation, now: dt.datetime | None = None) -> None:
    """May the agreement be signed now (KYC done, waiting, not in the break)?"""
    waiting_check(activation, now or clock())
    if activation.creditor_id is None or not NetvisorKyc.objects.filter(activation=activation):
        raise ActivationRefused(_("Answer the customer due diligence questions first."))


@transaction.atomic
def activation_complete(*, activation: NetvisorActivation, now: dt.datetime | None = None) -> None:
    """After the agreement is signed: the creditor is active, transfers are taken from now."""
    now = now or clock()
    signing_check(activation=activation, now=now)
    activation.creditor.refresh_from_db()  # signed just now by creditors.signing
    creditor_activate(creditor=activation.creditor)
    activation.status = NetvisorActivation.Status.ACTIVE
    activation.completed_at = now
    activation.save(update_fields=["status", "completed_at"])


def transfers_stopped(creditor: Creditor) -> bool:
    """Was the service removed in the Store (and not activated again)? A creditor onboarded
    otherwise (by hand, the demo) has no activation and takes transfers."""
    rows = NetvisorActivation.objects.filter(creditor=creditor)
    return (
        rows.filter(status=NetvisorActivation.Status.REMOVED).exists()
        and not rows.filter(status=NetvisorActivation.Status.ACTIVE).exists()
    )


def credentials_send(*, creditor: Creditor, now: dt.datetime | None = None) -> bool:
    """After the first transfer: the activating user becomes the creditor's admin and gets an
    e-mail with a link to set a password. Once; True when sent now."""
    now = now or clock()
    with transaction.atomic():
        activation = (
            NetvisorActivation.objects.select_for_update()
            .filter(
                creditor=creditor,
                status=NetvisorActivation.Status.ACTIVE,
                credentials_sent_at__isnull=True,
            )
            .select_related("user")
            .first()
        )
        if activation is None:
            return False
        user = activation.user
        membership, _created = Membership.objects.get_or_create(
            user=user, creditor=creditor, defaults={"role": Membership.Role.ADMIN}
        )
        if activation.user_phone and not membership.phone:
            membership.phone = activation.user_phone
            membership.save(update_fields=["phone"])
        activation.credentials_sent_at = now
        activation.save(update_fields=["credentials_sent_at"])
        link = settings.AUTOCOLLECT_PORTAL_URL.rstrip("/") + reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        with translation.override(creditor.language):
            subject = _("Your AutoCollect credentials for %(name)s") % {"name": creditor.legal_name}
            body = render_to_string(
                "netvisor/credentials_email.txt",
                {"user": user, "creditor": creditor, "link": link, "username": user.username},
            )
        message = EmailMessage(subject=subject, body=body, to=[user.email])
        transaction.on_commit(lambda: message.send(fail_silently=False))
    return True


@transaction.atomic
def service_remove(*, handoff: StoreHandoff, now: dt.datetime | None = None) -> NetvisorActivation:
    """The service is removed in the Store: no more transfers from now (the question of the
    open cases is asked next)."""
    now = now or clock()
    activation = (
        NetvisorActivation.objects.select_for_update()
        .filter(org_number=handoff.org)
        .exclude(creditor=None)
        .order_by("-started_at")
        .first()
    )
    if activation is None or activation.status not in (
        NetvisorActivation.Status.ACTIVE,
        NetvisorActivation.Status.REMOVED,
    ):
        raise ActivationRefused(_("The service is not active for this company."))
    if activation.status == NetvisorActivation.Status.ACTIVE:
        activation.status = NetvisorActivation.Status.REMOVED
        activation.removed_at = now
        activation.save(update_fields=["status", "removed_at"])
        audit_add(
            creditor=activation.creditor,
            actor=None,
            action="netvisor_removed",
            new=f"removed in the Netvisor Store by {handoff.name} <{handoff.email}>",
        )
    return activation


def open_cases(creditor: Creditor):
    return Case.objects.for_creditor(creditor).exclude(status=Case.Status.CLOSED)


@transaction.atomic
def removal_answer(
    *, activation: NetvisorActivation, choice: str, actor=None, now: dt.datetime | None = None
) -> int:
    """Complete: the open cases go on to their end. Stop: each open case is withdrawn (fees and
    interest cancelled) and the creditor paused. How many cases were stopped."""
    now = now or clock()
    activation = NetvisorActivation.objects.select_for_update().get(pk=activation.pk)
    if activation.status != NetvisorActivation.Status.REMOVED:
        raise ActivationRefused(_("The service is not removed."))
    if activation.removal_choice:
        raise ActivationRefused(_("This was answered already."))
    if choice not in NetvisorActivation.Removal.values:
        raise ValueError(choice)
    creditor = activation.creditor
    stopped = []
    if choice == NetvisorActivation.Removal.STOP:
        today = now.astimezone(zoneinfo.ZoneInfo(creditor.time_zone)).date()
        for case in open_cases(creditor):
            case_withdraw(case=case, today=today, actor=actor, why="netvisor_removed")
            stopped.append(case.pk)
        creditor.status = Creditor.Status.PAUSED
        creditor.save(update_fields=["status"])
        cases_closed(stopped)  # what was paid settled, the ERP told
    activation.removal_choice = choice
    activation.removal_answered_at = now
    activation.removal_answered_by = actor
    activation.save(update_fields=["removal_choice", "removal_answered_at", "removal_answered_by"])
    audit_add(creditor=creditor, actor=actor, action="netvisor_removal_answer", new=choice)
    return len(stopped)
