import pytest
from django.core.exceptions import ValidationError

from cases.messages import (
    case_thread,
    creditor_thread,
    message_post,
    messages_mark_read,
    messages_unread,
)


@pytest.mark.django_db
def test_case_and_creditor_threads_are_separate_and_tenant_scoped(
    make_creditor, make_case, make_user
):
    a, b = make_creditor(), make_creditor()
    case = make_case(a)
    user = make_user(a)
    staff = make_user(staff=True)
    m1 = message_post(creditor=a, case=case, author=user, body="  Can you pause this?  ")
    m2 = message_post(creditor=a, case=case, author=staff, body="Done.", from_support=True)
    general = message_post(creditor=a, author=user, body="New payout account from May.")

    assert list(case_thread(creditor=a, case=case)) == [m1, m2]
    assert m1.body == "Can you pause this?"
    assert list(creditor_thread(creditor=a)) == [general]
    assert not case_thread(creditor=b, case=case).exists()
    with pytest.raises(ValidationError):
        message_post(creditor=b, case=case, author=user, body="wrong tenant")
    with pytest.raises(ValidationError):
        message_post(creditor=a, case=case, author=user, body="   ")


@pytest.mark.django_db
def test_read_markers_are_per_side_and_per_thread(make_creditor, make_case, make_user):
    a = make_creditor()
    case = make_case(a)
    user, staff = make_user(a), make_user(staff=True)
    message_post(creditor=a, case=case, author=user, body="question")
    message_post(creditor=a, author=user, body="general question")
    message_post(creditor=a, case=case, author=staff, body="answer", from_support=True)

    assert messages_unread(creditor=a, for_support=True).count() == 2
    assert messages_mark_read(creditor=a, case=case, for_support=True) == 1
    assert [m.body for m in messages_unread(creditor=a, for_support=True)] == ["general question"]
    assert [m.body for m in messages_unread(creditor=a, for_support=False)] == ["answer"]
