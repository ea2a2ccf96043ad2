"""Support tickets, support staff's access log and the signed agreements in the Django admin:
listed and opened, never added, changed or deleted there (the access log and the signatures are
the audit trail; tickets change through the console's services, which record who and when)."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from creditors.models import AgreementSignature, SupportAccessLog
from support.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(make_creditor, make_user):
    creditor = make_creditor("Fjordvik AS")
    staff = make_user(staff=True)
    ticket = Ticket.objects.create(
        kind=Ticket.Kind.MESSAGE, source="creditor:1", creditor=creditor,
        subject="Where is my money?", opened_at=timezone.now(),
    )  # fmt: skip
    log = SupportAccessLog.objects.create(user=staff, creditor=creditor, method="GET", path="/c/1/")
    signature = AgreementSignature(
        creditor=creditor, sha256="a" * 64, signer_name="Kari Nordmann", method="development",
        signed_at=timezone.now() - dt.timedelta(days=1),
    )  # fmt: skip
    signature.pdf.save("agreement-test.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    signature.save()
    return {"ticket": ticket, "supportaccesslog": log, "agreementsignature": signature}


@pytest.mark.parametrize(
    "app, model, shown",
    [
        ("support", "ticket", "Where is my money?"),
        ("creditors", "supportaccesslog", "/c/1/"),
        ("creditors", "agreementsignature", "Kari Nordmann"),
    ],
)
def test_listed_and_read_only(admin_client, rows, app, model, shown):
    obj = rows[model]
    changelist = admin_client.get(reverse(f"admin:{app}_{model}_changelist"))
    assert changelist.status_code == 200 and shown in changelist.content.decode()
    page = admin_client.get(reverse(f"admin:{app}_{model}_change", args=[obj.pk]))
    assert page.status_code == 200 and shown in page.content.decode()
    assert 'name="_save"' not in page.content.decode()  # nothing to save
    assert admin_client.get(reverse(f"admin:{app}_{model}_add")).status_code == 403
    delete = reverse(f"admin:{app}_{model}_delete", args=[obj.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_a_ticket_links_to_the_console(admin_client, rows):
    page = admin_client.get(reverse("admin:support_ticket_changelist")).content.decode()
    assert reverse("support-ticket", args=[rows["ticket"].pk]) in page
