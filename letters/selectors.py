"""Reads on letters, always scoped by an explicit creditor."""

from django.db.models import QuerySet

from cases.models import Case
from creditors.models import Creditor
from letters.models import Letter


def case_letters(*, creditor: Creditor, case: Case) -> QuerySet[Letter]:
    return Letter.objects.for_creditor(creditor).filter(case=case)


def letter_get(*, creditor: Creditor, case_number: str, letter_id: int) -> Letter:
    return Letter.objects.for_creditor(creditor).get(case__number=case_number, pk=letter_id)
