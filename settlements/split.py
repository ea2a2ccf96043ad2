"""What a case's money means between the creditor and us: one pure function per agreement type.

The debtor's side (which ledger component a payment pays first: perintälaki 7 § or agency
practice) is the ledger's (cases.ledger.allocation_order). The creditor's side is decided here,
and differs from it on purpose: whatever the debtor's order, the creditor is paid its capital and
late interest first, and we keep the reminder and collection fees only out of money beyond that
(seed 002: "behåller ... avgiften efter det att kapitalet och eventuell dröjsmålsränta har förts
över till ditt konto").

The functions are cumulative: given everything the case has been paid so far (`Position`, read
from the ledger), they say what the creditor's side should add up to (`Target`). The service
books the difference to what was settled before as the settlement's lines, so a later payment, a
payment directly to the creditor, a write-off or a withdrawal corrects earlier settlements instead
of needing rules of its own. Plain Python and Decimal: no ORM, no Django.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0.00")
CENT = Decimal("0.01")

# Line kinds. Cash lines add up to the payout (positive: we owe the creditor; negative: the
# creditor owes us, netted). Booking lines move no money: they only correct the creditor's books.
CAPITAL = "capital"  # capital paid over, per invoice (credits the receivable)
INTEREST = "interest"  # late interest paid over
FEE_INCOME = "fee_income"  # fees that are the creditor's under its agreement
BYPASS_FEES = "bypass_fees"  # our fees the debtor paid to the creditor directly: claimed
REMINDER_FEE_VAT = "reminder_fee_vat"  # VAT on the reminder fees we keep, invoiced (seed 002)
LOSS = "loss"  # capital written off, per invoice: receivable -> loss account
DIRECT_INTEREST = "direct_interest"  # interest the creditor received directly: receivable -> income
DIRECT_FEE_INCOME = "direct_fee_income"  # the creditor's fees it received directly: likewise
CASH_KINDS = (CAPITAL, INTEREST, FEE_INCOME, BYPASS_FEES, REMINDER_FEE_VAT)
BOOKING_KINDS = (LOSS, DIRECT_INTEREST, DIRECT_FEE_INCOME)

Key = tuple[str, int | None]  # (kind, invoice id or None)


@dataclass(frozen=True)
class Position:
    """A case's money so far, from its ledger. Amounts are positive.

    `capital_claim` and `interest_claim` are what the creditor's claim is: while the case is open,
    what was charged less what was credited (paid or not); once it is closed (paid, written off,
    withdrawn, credited), only what was paid, as nothing more will come in on it.
    """

    money_to_us: Decimal  # payments to our account, overpayments excluded (they go back)
    money_direct: Decimal  # payments the creditor received itself (bypass), overpayment excluded
    capital_claim: tuple[tuple[int, Decimal], ...]  # (invoice id, capital), oldest invoice first
    interest_claim: Decimal
    reminder_fee_claim: Decimal  # reminder fees charged less credited (closed: paid)
    fees_paid: Decimal  # fees of every kind the debtor has paid (to us or to the creditor)
    reminder_fees_paid: Decimal  # of which reminder fees (the oldest fees are paid first)
    written_off: tuple[tuple[int, Decimal], ...] = ()  # (invoice id, capital written off)
    last_invoice: int | None = None  # where money beyond the capital is booked in the ERP


@dataclass(frozen=True)
class Terms:
    """The agreement's terms that the split needs."""

    vat_rate: Decimal | None = None  # percent VAT on kept reminder fees; None: no VAT invoiced


@dataclass(frozen=True)
class Target:
    lines: dict[Key, Decimal] = field(default_factory=dict)
    fees_kept: Decimal = ZERO  # what we keep of the money, before VAT

    def cash(self) -> Decimal:
        return sum((v for (k, _), v in self.lines.items() if k in CASH_KINDS), ZERO)


def _take(amount: Decimal, parts: list[tuple[Key, Decimal]]) -> list[tuple[Key, Decimal]]:
    """`amount` spread over `parts` in order, each part at most its size."""
    out, left = [], amount
    for key, size in parts:
        share = min(left, size)
        if share > 0:
            out.append((key, share))
            left -= share
    return out


def _add(lines: dict[Key, Decimal], key: Key, amount: Decimal) -> None:
    if amount:
        lines[key] = lines.get(key, ZERO) + amount


def _waterfall(pos: Position, creditor_parts: list[tuple[Key, Decimal]]) -> tuple[dict, Decimal]:
    """The creditor is paid its parts in order (capital by invoice, interest, its fees) out of
    all the money, before we keep anything; the money the creditor received itself counts first
    against the same parts (as it booked it against the invoice). Returns the lines and what is
    left for us (fees kept)."""
    money = pos.money_to_us + pos.money_direct
    claim = sum((size for _, size in creditor_parts), ZERO)
    to_creditor = min(money, claim)
    due = _take(to_creditor, creditor_parts)  # the creditor's share, part by part
    direct = dict(_take(pos.money_direct, due))  # of which it holds already
    lines: dict[Key, Decimal] = {}
    for key, share in due:
        _add(lines, key, share - direct.get(key, ZERO))
    # Direct money on interest or the creditor's fees was booked on the receivable by the
    # creditor: move it to the income account.
    for (kind, _), amount in direct.items():
        if kind == INTEREST:
            _add(lines, (DIRECT_INTEREST, pos.last_invoice), amount)
        elif kind == FEE_INCOME:
            _add(lines, (DIRECT_FEE_INCOME, pos.last_invoice), amount)
    # The creditor holds direct money beyond its share: that is our fees, claimed.
    held_beyond = pos.money_direct - sum(direct.values(), ZERO)
    _add(lines, (BYPASS_FEES, pos.last_invoice), -held_beyond)
    for invoice, amount in pos.written_off:
        _add(lines, (LOSS, invoice), amount)
    return lines, money - to_creditor


def _vat(amount: Decimal, rate: Decimal | None) -> Decimal:
    if not rate or amount <= 0:
        return ZERO
    return (amount * rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def split_standard(pos: Position, terms: Terms) -> Target:
    """The standard agreement (seeds 001, 002): capital and late interest are the creditor's;
    reminder and collection fees are ours, kept once the creditor's capital and interest are paid
    over; the VAT on the reminder fees we keep is invoiced to the creditor (netted here) where the
    terms carry a rate."""
    parts = [((CAPITAL, inv), amt) for inv, amt in pos.capital_claim]
    parts.append(((INTEREST, None), pos.interest_claim))
    lines, kept = _waterfall(pos, parts)
    reminder_kept = min(kept, pos.reminder_fees_paid)
    _add(lines, (REMINDER_FEE_VAT, None), -_vat(reminder_kept, terms.vat_rate))
    return Target(lines=lines, fees_kept=kept)


def split_fee_share(pos: Position, terms: Terms) -> Target:
    """Reminders in the creditor's own name (seed 001: "hvis avtalen din medfører at du får rente-
    eller gebyrinntekter"): the reminder fees are the creditor's fee income, paid over after its
    capital and interest; we keep the collection fees only. No VAT: we keep no reminder fee."""
    parts = [((CAPITAL, inv), amt) for inv, amt in pos.capital_claim]
    parts.append(((INTEREST, None), pos.interest_claim))
    parts.append(((FEE_INCOME, None), pos.reminder_fee_claim))
    lines, kept = _waterfall(pos, parts)
    return Target(lines=lines, fees_kept=kept)


SPLITS: dict[str, Callable[[Position, Terms], Target]] = {
    "standard": split_standard,
    "fee_share": split_fee_share,
}


def delta(target: Target, settled: dict[Key, Decimal]) -> dict[Key, Decimal]:
    """The lines that bring what was settled up to the target (zero lines left out)."""
    keys = list(dict.fromkeys([*target.lines, *settled]))
    out = {}
    for key in keys:
        change = target.lines.get(key, ZERO) - settled.get(key, ZERO)
        if change:
            out[key] = change
    return out
