"""Reads on letters, always scoped by an explicit creditor."""

from django.db.models import QuerySet

from cases.models import Case
from creditors.models import Creditor
from letters.models import Letter


def case_letters(*, creditor: Creditor, case: Case) -> QuerySet[Letter]:
    """The case's letters, each with its deliveries (and their print batches) at hand."""
    return (
        Letter.objects.for_creditor(creditor)
        .filter(case=case)
        .prefetch_related("deliveries__print_batch")
    )


def letter_get(*, creditor: Creditor, case_number: str, letter_id: int) -> Letter:
    return Letter.objects.for_creditor(creditor).get(case__number=case_number, pk=letter_id)
