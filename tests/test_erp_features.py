"""An adapter by feature: the workflow asks the creditor's ERP what it has and skips what it lacks
(an ERP without a voucher or write-back API, as Inexchange is, gets neither), over real HTTP to
the Tripletex emulator with a Tripletex adapter variant that lacks those features. The registry
is explicit and gives Creditor.erp_kind its choices (a system check keeps them equal), and a
connection is checked when it is given, not on the first nightly call."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from cases.models import Case, Payment
from collection.checks import erp_kinds_match_the_registry
from collection.onboarding import creditor_onboard
from collection.payments import payment_register
from collection.payouts import payouts_run
from collection.sync import creditor_sync
from creditors.models import Creditor
from creditors.services import OnboardingError
from integrations import registry
from integrations.features import Feature
from integrations.tripletex.adapter import TripletexAdapter
from settlements.models import Payout
from tests.conftest import TT_TODAY

pytestmark = pytest.mark.django_db

LACKING = {
    Feature.WRITE_CASE_REFERENCE,
    Feature.WRITE_CASE_STATUS,
    Feature.POST_VOUCHER,
    Feature.REGISTER_PAYMENT,
    Feature.READ_DIRECT_PAYMENTS,
}


class TripletexWithoutMoneyOrWriteBack(TripletexAdapter):
    """Tripletex as an ERP with no voucher, payment or write-back API would be."""

    features = TripletexAdapter.features - LACKING


def collect_a_payment(creditor, capture):
    """Import (each new case is written back), then a payment to us on the first case, every
    after-commit task run, and the payout run (its voucher posted where the ERP takes one)."""
    with capture(execute=True):
        creditor_sync(creditor=creditor, today=TT_TODAY)
    case = Case.objects.filter(creditor=creditor).order_by("pk").first()
    with capture(execute=True):
        payment_register(
            case=case,
            source=Payment.Source.COLLECTOR,
            external_id="bank-feature-1",
            amount=Decimal("500.00"),
            paid_on=TT_TODAY,
        )
    (payout,) = payouts_run(creditor=creditor, today=TT_TODAY)
    payout.refresh_from_db()
    return payout


def erp_writes(tripletex) -> list[str]:
    return [
        r["path"] for r in tripletex.requests() if r["method"] in ("POST", "PUT") and r["route"]
    ][1:]  # after the session


def test_an_erp_lacking_write_back_and_vouchers_is_not_asked_for_them(
    tripletex, make_creditor, tripletex_connection, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(registry._ADAPTERS, "tripletex", TripletexWithoutMoneyOrWriteBack)
    creditor = make_creditor(erp_connection=tripletex_connection(0))
    payout = collect_a_payment(creditor, django_capture_on_commit_callbacks)
    assert payout.voucher_status == Payout.VoucherStatus.NOT_POSTED and payout.erp_voucher_id == ""
    assert payout.remittance_sent_at and payout.remittance  # the remittance is all it gets
    assert erp_writes(tripletex) == []  # no case write-back, no voucher
    assert not tripletex.case_calls() and not tripletex.requests("/ledger/")


def test_the_same_flow_on_full_tripletex_writes_back_and_posts(
    tripletex, make_creditor, tripletex_connection, django_capture_on_commit_callbacks
):
    creditor = make_creditor(erp_connection=tripletex_connection(0))
    payout = collect_a_payment(creditor, django_capture_on_commit_callbacks)
    assert payout.voucher_status == Payout.VoucherStatus.POSTED and payout.erp_voucher_id
    writes = erp_writes(tripletex)
    assert "/v2/ledger/voucher" in writes and tripletex.case_calls()
    assert [c["path"] for c in tripletex.case_calls() if c["method"] == "POST"]


def test_a_feature_declared_without_its_methods_is_refused_by_the_registry():
    class Boasting(TripletexAdapter):
        slug = "boasting"
        write_case_status = None  # declares WRITE_CASE_STATUS, cannot do it

    assert Boasting.missing_methods() == ["write_case_status: write_case_status"]
    with pytest.raises(TypeError, match="does not implement"):
        registry._check({"boasting": Boasting})


def test_erp_kind_choices_are_the_registry_and_checked(monkeypatch):
    # The same ERPs (the enum's order is the migrations'; the registry's is sorted).
    assert sorted(Creditor.ErpKind.choices) == registry.choices()
    assert erp_kinds_match_the_registry() == []
    call_command("check")  # the check is registered and passes

    class Visma(TripletexAdapter):
        slug, label = "visma_net", "Visma.net"

    monkeypatch.setitem(registry._ADAPTERS, "visma_net", Visma)
    [error] = erp_kinds_match_the_registry()
    assert error.id == "collection.E001" and "visma_net" in error.msg


def onboard(erp_kind, connection):
    return creditor_onboard(
        erp_kind=erp_kind,
        connection=connection,
        country="NO",
        payout_account_kind="no_account",
        payout_account="8601 11 17947",
        contact_email="okonomi@example.no",
    )


def test_a_bad_connection_or_unknown_erp_is_refused_at_onboarding(tripletex):
    with pytest.raises(OnboardingError, match="does not connect to 'fortnox'"):
        onboard("fortnox", {"base_url": tripletex.url})
    bad = {"base_url": tripletex.url, "employee_token": " ", "company_id": -1}
    with pytest.raises(OnboardingError) as err:
        onboard("tripletex", bad)
    assert "employee_token is not a plain token" in str(err.value)
    assert "company_id -1 is not a whole number" in str(err.value)
    with pytest.raises(OnboardingError, match="lacks base_url"):
        onboard("tripletex", {"employee_token": "t"})
    assert tripletex.log == [] and not Creditor.objects.exists()  # refused before any call
