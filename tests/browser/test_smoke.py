"""The harness itself: a creditor admin logs in through the form and sees the case list."""

import pytest
from django.contrib.auth import get_user_model

from creditors.models import Membership
from tests.browser.conftest import PASSWORD, log_in, shows

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_creditor_admin_logs_in_and_sees_the_case_list(page, screenshot, make_creditor):
    creditor = make_creditor("Fjordvik Rørlegger AS")
    user = get_user_model().objects.create_user("kari", password=PASSWORD)
    Membership.objects.create(user=user, creditor=creditor, role=Membership.Role.ADMIN)

    log_in(page, "kari")

    assert f"/c/{creditor.pk}/cases/" in page.url
    shows(page, "Fjordvik Rørlegger AS")
    screenshot("case-list")
