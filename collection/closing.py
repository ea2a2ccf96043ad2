"""What follows a case's close in this layer, for every path that closes one: a user's action
(collection.actions: write-off, withdrawal, a decision to close), the engine's default decision
(collection.advance: one case or a batch, the same cases.closing close), a credit note that
closes the claim (collection.payments) and the Netvisor removal that stops the open cases
(collection.netvisor_activation). What was paid so far is settled for good
(settlements.services.case_close_settle: once per case; a write-off books the capital lost) and
the ERP is told after commit (collection.writeback).

A payment that pays a case in full is settled by the payment itself (its settlement is made on the
closed case's position), so collection.payments only writes it back."""

from cases.models import Case
from collection.writeback import write_back_after_commit
from settlements.services import case_close_settle


def cases_closed(case_ids) -> None:
    """Settle each closed case (inside the caller's transaction, which holds the cases) and write
    them back to the ERP after commit. A case not closed, or settled at its close before, is left
    as it is, so calling this twice settles nothing more."""
    case_ids = list(dict.fromkeys(case_ids))
    for case_id in case_ids:
        case_close_settle(case=Case(pk=case_id))
    write_back_after_commit(case_ids)
