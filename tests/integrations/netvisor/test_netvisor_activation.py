"""The Netvisor Store activation (seed 003, issue 12 item 5) through our views with Django's test
client, the company read over real HTTP from the Netvisor emulator: the maintenance break at its
edges (winter, and both DST change days), the three-day lapse at exactly three days, the KYC step
filled by an accounting firm's person on position authorisation, the agreement signed with its
PDF, the credentials sent after the first transfer (and only then, once), and the removal: no new
transfers, open cases completed or stopped."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from netvisor_helpers import TODAY

from cases.models import Case
from collection import netvisor_activation as service
from collection.netvisor_models import NetvisorActivation, NetvisorKyc
from collection.netvisor_transfers import transfers_import
from creditors.models import AgreementSignature, Creditor, CreditorAuditEvent, Membership
from integrations.netvisor.store import handoff_sign, handoff_url

pytestmark = pytest.mark.django_db
HKI = ZoneInfo("Europe/Helsinki")
SECRET = "test-netvisor-handoff"
IBAN = "FI21 1234 5600 0007 85"


def helsinki(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=HKI)


NOON = helsinki(2026, 11, 25, 12, 0)


@pytest.fixture
def clock(monkeypatch):
    """The activation's clock, set by the test (clock.now = ...)."""

    class Clock:
        now = NOON

    c = Clock()
    monkeypatch.setattr(service, "clock", lambda: c.now)
    return c


@pytest.fixture
def store(netvisor, settings, clock):
    settings.NETVISOR_BASE_URL = netvisor.url
    settings.NETVISOR_HANDOFF_SECRET = SECRET
    ours = netvisor.seeded["store"]["integration"]
    settings.NETVISOR_STORE_CUSTOMER_ID = ours["customer_id"]
    settings.NETVISOR_STORE_CUSTOMER_KEY = ours["customer_key"]
    # What "Proceed to activation" in the Store does first (emulator.store): our integration
    # user gets the company. The links below are the Store's redirects, signed as it signs them.
    netvisor.store_configure(handoff_url="", secret=SECRET, integration_user=ours["customer_id"])
    netvisor.store_pages.grant(netvisor.seeded["organisation_id"])
    return netvisor


def store_link(store, clock, action="activate", **fields) -> str:
    values = {
        "action": action,
        "org": store.seeded["organisation_id"],
        "email": "aino@tilitoimisto.example",
        "name": "Aino Virtanen",
        "phone": "040 123 4567",
        "role": "TPK",
        **fields,
    }
    params = handoff_sign(secret=SECRET, now=clock.now.timestamp(), **values)
    return handoff_url(reverse("netvisor-handoff"), params)


def errors(response) -> list[str]:
    found = r'<ul class="errorlist.*?</ul>|role="alert">.*?</div>|<p class="notice".*?</p>'
    return re.findall(found, response.content.decode(), re.S)


KYC = {
    "payout_account": IBAN,
    "authority": "position",
    "firm_name": "Tilitoimisto Virtanen Oy",
    "firm_business_id": "2737599-6",
    "owner-1-name": "Sanna Saimaa",
    "owner-1-birth_date": "1970-04-02",
    "owner-1-nationality": "FI",
    "owner-1-share": "60",
    "pep": "False",
    "purpose": "own_receivables",
}


def activate(client, store, clock, *, kyc=KYC) -> NetvisorActivation:
    assert client.get(store_link(store, clock)).url == reverse("netvisor-terms")
    assert client.post(reverse("netvisor-terms"), {"accept": "on"}).url == reverse("netvisor-kyc")
    response = client.post(reverse("netvisor-kyc"), kyc)
    assert response.status_code == 302, errors(response)
    assert client.get(reverse("netvisor-agreement")).status_code == 200
    signed = client.post(
        reverse("netvisor-agreement"), {"signer_name": "Aino Virtanen", "i_sign": "on"}
    )
    assert signed.status_code == 302, errors(signed)
    assert signed.url == reverse("netvisor-done")
    return NetvisorActivation.objects.get()


# --- the maintenance break -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("local", "refused"),
    [
        (helsinki(2026, 11, 25, 21, 59), False),
        (helsinki(2026, 11, 25, 22, 0), True),
        (helsinki(2026, 11, 26, 4, 59), True),
        (helsinki(2026, 11, 26, 5, 0), False),
        # Summer time starts 29 March 2026 at 03:00 (EET -> EEST): the break is still local.
        (helsinki(2026, 3, 29, 4, 59), True),
        (helsinki(2026, 3, 29, 5, 0), False),
        (helsinki(2026, 3, 29, 21, 59), False),
        (helsinki(2026, 3, 29, 22, 0), True),
        # Summer time ends 25 October 2026 at 04:00 EEST (back to 03:00 EET).
        (helsinki(2026, 10, 25, 4, 59), True),
        (helsinki(2026, 10, 25, 5, 0), False),
    ],
)
def test_the_maintenance_break_is_22_to_05_finnish_time(local, refused):
    assert service.in_maintenance_break(local.astimezone(dt.UTC)) is refused


def test_the_break_in_utc_moves_with_summer_time():
    # 05:00 in Helsinki is 02:00 UTC in summer, 03:00 UTC in winter.
    assert not service.in_maintenance_break(dt.datetime(2026, 3, 29, 2, 0, tzinfo=dt.UTC))
    assert service.in_maintenance_break(dt.datetime(2026, 3, 28, 2, 0, tzinfo=dt.UTC))


def test_activation_is_refused_in_the_break_with_the_reason(client, store, clock):
    clock.now = helsinki(2026, 11, 25, 22, 0)
    response = client.get(store_link(store, clock))
    assert "between 22:00 and 05:00 Finnish time" in response.content.decode()
    assert "maintenance break" in response.content.decode()
    assert not NetvisorActivation.objects.exists()

    clock.now = helsinki(2026, 11, 25, 21, 59)
    assert client.get(store_link(store, clock)).url == reverse("netvisor-terms")
    clock.now = helsinki(2026, 11, 25, 22, 0)  # the steps after the hand-off too
    response = client.post(reverse("netvisor-terms"), {"accept": "on"})
    assert "maintenance break" in response.content.decode()
    assert NetvisorActivation.objects.get().terms_accepted_at is None


def test_a_forged_or_reused_store_link_is_refused(client, store, clock):
    link = store_link(store, clock)
    assert client.get(link.replace("Aino", "Eino")).status_code == 403
    assert client.get(link).status_code == 302
    NetvisorActivation.objects.update(status=NetvisorActivation.Status.LAPSED)
    assert "used already" in client.get(link).content.decode()


# --- the three-day lapse -------------------------------------------------------------------


def test_an_unfinished_activation_lapses_at_exactly_three_days(client, store, clock):
    client.get(store_link(store, clock))
    client.post(reverse("netvisor-terms"), {"accept": "on"})
    activation = NetvisorActivation.objects.get()
    just_before = NOON + dt.timedelta(days=3) - dt.timedelta(seconds=1)
    assert service.activations_lapse(now=just_before) == 0
    assert service.activation_get(activation.pk, now=just_before).status == "waiting"
    assert service.activations_lapse(now=NOON + dt.timedelta(days=3)) == 1
    activation.refresh_from_db()
    assert (activation.status, activation.lapsed_at) == ("lapsed", NOON + dt.timedelta(days=3))


def test_a_lapsed_activation_is_refused_and_begun_again_from_the_store(client, store, clock):
    client.get(store_link(store, clock))
    clock.now = NOON + dt.timedelta(days=3)  # lapses on access, no task needed
    response = client.get(reverse("netvisor-kyc"))
    assert "not finished within 3 days and has lapsed" in response.content.decode()
    assert NetvisorActivation.objects.get().status == "lapsed"
    # The Store again: a new activation, terms first.
    assert client.get(store_link(store, clock)).url == reverse("netvisor-terms")
    assert client.get(reverse("netvisor-kyc")).url == reverse("netvisor-terms")
    assert sorted(NetvisorActivation.objects.values_list("status", flat=True)) == [
        "lapsed",
        "waiting",
    ]


# --- KYC by an accounting firm, the agreement, the credentials ----------------------------


def test_kyc_needs_owners_pep_purpose_and_the_firms_authority(client, store, clock):
    client.get(store_link(store, clock))
    client.post(reverse("netvisor-terms"), {"accept": "on"})
    bad = {
        **KYC,
        "owner-1-name": "",
        "owner-1-birth_date": "",
        "owner-1-nationality": "",
        "owner-1-share": "",
        "pep": "True",
        "firm_business_id": "2737599-5",
        "purpose": "other",
    }
    page = client.post(reverse("netvisor-kyc"), bad).content.decode()
    assert "confirm that no one owns over 25 per cent" in page
    assert "who is politically exposed" in page
    assert "what you use the service for" in page
    assert "business ID (1234567-8)" in page
    assert not NetvisorKyc.objects.exists() and not Creditor.objects.exists()


def test_a_firm_user_fills_kyc_on_position_authorisation_and_signs(client, store, clock):
    activation = activate(client, store, clock)
    kyc = NetvisorKyc.objects.get()
    assert (kyc.authority, kyc.firm_name, kyc.firm_business_id) == (
        "position",
        "Tilitoimisto Virtanen Oy",
        "27375996",
    )
    assert (kyc.filled_by, kyc.filled_by_name, kyc.filled_by_email) == (
        activation.user,
        "Aino Virtanen",
        "aino@tilitoimisto.example",
    )
    assert kyc.beneficial_owners == [
        {"name": "Sanna Saimaa", "birth_date": "1970-04-02", "nationality": "FI", "share": "60"}
    ]
    assert kyc.pep is False and kyc.filled_at == NOON
    creditor = activation.creditor
    assert (creditor.legal_name, creditor.country, creditor.status) == (
        "Saimaan Sähkö Oy",
        "FI",
        Creditor.Status.ACTIVE,
    )
    assert (activation.status, activation.completed_at) == ("active", NOON)
    signature = AgreementSignature.objects.get(creditor=creditor)
    assert signature.signed_by == activation.user and signature.pdf.read().startswith(b"%PDF")
    audit = CreditorAuditEvent.objects.get(creditor=creditor, action="kyc_filled")
    assert "position for Tilitoimisto Virtanen Oy (27375996)" in audit.new_value
    # No portal access yet: no password, no membership until the first transfer.
    assert not activation.user.has_usable_password()
    assert not Membership.objects.filter(user=activation.user).exists()
    assert mail.outbox == []


def test_credentials_go_to_the_activating_user_after_the_first_transfer(
    client, store, clock, django_capture_on_commit_callbacks
):
    activation = activate(client, store, clock)
    with django_capture_on_commit_callbacks(execute=True):
        run = transfers_import(creditor=activation.creditor, today=TODAY)
    assert run.imported == 3
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["aino@tilitoimisto.example"]
    assert "Saimaan Sähkö Oy" in message.subject  # Finnish creditor: the text is in Finnish
    link = re.search(r"https?://\S+/password-reset/\S+", message.body).group(0)
    membership = Membership.objects.get(user=activation.user, creditor=activation.creditor)
    assert (membership.role, membership.phone) == ("admin", "040 123 4567")

    # The link sets a password, and the user logs in with it.
    path = link.split("://", 1)[1].split("/", 1)[1]
    form = client.get("/" + path, follow=True)
    assert form.status_code == 200 and b"new_password1" in form.content
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Saimaa-portal-2026!", "new_password2": "Saimaa-portal-2026!"},
    )
    user = get_user_model().objects.get(pk=activation.user.pk)
    assert user.check_password("Saimaa-portal-2026!")

    # Once only.
    with django_capture_on_commit_callbacks(execute=True):
        transfers_import(creditor=activation.creditor, today=TODAY)
    assert len(mail.outbox) == 1


def test_no_credentials_before_a_transfer_is_taken(store, client, clock):
    activation = activate(client, store, clock)
    assert service.credentials_send(creditor=activation.creditor) is True  # the first time
    assert service.credentials_send(creditor=activation.creditor) is False


# --- removal -------------------------------------------------------------------------------


@pytest.fixture
def removed(client, store, clock, django_capture_on_commit_callbacks):
    activation = activate(client, store, clock)
    with django_capture_on_commit_callbacks(execute=True):
        transfers_import(creditor=activation.creditor, today=TODAY)
    assert client.get(store_link(store, clock, action="remove")).url == reverse("netvisor-removal")
    page = client.get(reverse("netvisor-removal")).content.decode()
    assert "3 cases are still open with us" in page
    return activation


def test_removal_stops_new_transfers(removed):
    activation = NetvisorActivation.objects.get(pk=removed.pk)
    assert (activation.status, activation.removed_at) == ("removed", NOON)
    assert transfers_import(creditor=activation.creditor, today=TODAY) is None


def test_removal_completing_the_open_cases_keeps_them_going(client, removed):
    client.post(reverse("netvisor-removal"), {"choice": "complete"})
    assert (
        "go on until they are completed" in client.get(reverse("netvisor-removal")).content.decode()
    )
    cases = Case.objects.filter(creditor=removed.creditor)
    assert cases.count() == 3 and not cases.filter(status=Case.Status.CLOSED).exists()
    creditor = Creditor.objects.get(pk=removed.creditor_id)
    assert creditor.status == Creditor.Status.ACTIVE


def test_removal_stopping_the_open_cases_withdraws_each(
    client, removed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("netvisor-removal"), {"choice": "stop"})
    cases = Case.objects.filter(creditor=removed.creditor)
    assert sorted(cases.values_list("status", "outcome")) == [("closed", "withdrawn")] * 3
    # Each withdrawal settles what was paid, as every close does (collection.closing).
    from settlements.models import Settlement

    closes = Settlement.objects.filter(case__in=cases, kind=Settlement.Kind.CLOSE)
    assert sorted(closes.values_list("case_id", flat=True)) == sorted(c.pk for c in cases)
    assert Creditor.objects.get(pk=removed.creditor_id).status == Creditor.Status.PAUSED
    answered = NetvisorActivation.objects.get(pk=removed.pk)
    assert (answered.removal_choice, answered.removal_answered_at) == ("stop", NOON)
    # Answered once: a second answer changes nothing.
    client.post(reverse("netvisor-removal"), {"choice": "complete"})
    assert NetvisorActivation.objects.get(pk=removed.pk).removal_choice == "stop"


def test_a_company_our_user_was_not_granted_is_refused_at_the_hand_off(client, store, clock):
    # The Store grants our integration user the company; without that Netvisor refuses us.
    response = client.get(store_link(store, clock, org=store.seeded["store"]["organisation_id"]))
    assert "could not read your company from Netvisor" in response.content.decode()
    assert not NetvisorActivation.objects.exists()


def test_the_company_is_read_from_netvisor_at_the_hand_off(client, store, clock):
    client.get(store_link(store, clock))
    page = client.get(reverse("netvisor-terms")).content.decode()
    assert "Saimaan Sähkö Oy" in page
    assert NetvisorActivation.objects.get().company_name == "Saimaan Sähkö Oy"


def test_the_refusal_reads_in_finnish_for_a_finnish_browser(client, store, clock):
    clock.now = helsinki(2026, 11, 25, 23, 30)
    page = client.get(store_link(store, clock), HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert "klo 22.00–05.00 Suomen aikaa: silloin on huoltokatkomme" in page
