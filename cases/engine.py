"""Advancing due cases: one planner for a single case or a batch of thousands.

A batch (cases.batch) locks its cases with SKIP LOCKED (PostgreSQL), loads what the rules need in
a handful of queries, plans each case's step in memory and writes all rows in bulk. Two workers
never take the same case, and a case advances at most one step per run: after downtime each
missed stage still gets its letter, one run after the other. The engine plans each letter
(LetterPlan); the layer above (collection.advance) has the letters app write them in the same
transaction and render them after commit, and tells the ERP about the cases a batch closed."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Sum
from django.utils import translation

from cases import closing, interest, ledger
from cases.bulk import insert, update_cases
from cases.describe import WHY as WHY_TEXT
from cases.lifecycle import LETTER_STAGES, move, next_stage
from cases.models import (
    Case,
    CaseEvent,
    DecisionRequest,
    EnforcementApplication,
    Invoice,
    LedgerEntry,
)
from cases.rules.base import Claim, CountryRules
from nordic.calendar import deadline

C = LedgerEntry.Component
S = Case.Stage
ZERO = Decimal("0.00")


@dataclass
class Facts:
    """What one case's step needs, loaded in bulk."""

    case: Case
    invoices: list[Invoice] = field(default_factory=list)
    capital: dict[int, Decimal] = field(default_factory=dict)  # invoice id -> capital owed
    interest_to: dict[int, dt.date] = field(default_factory=dict)  # invoice id -> booked to
    balances: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    charged: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    fee_keys: set[str] = field(default_factory=set)
    last_entry_id: int = 0
    open_decision: DecisionRequest | None = None

    def claim(self) -> Claim:
        creditor = self.case.creditor
        return Claim(
            country=self.case.country,
            debtor_kind=self.case.debtor.kind,
            capital=sum(self.capital.values(), ZERO),
            earliest_due=min(i.due_date for i in self.invoices),
            fees_charged=self.charged[C.FEE],
            reminder_fee_agreed=creditor.reminder_fee_agreed,
            contractual_rate=creditor.contractual_interest_rate,
            backlog=self.case.backlog,
        )

    @property
    def outstanding(self) -> Decimal:
        return sum((self.balances[c] for c in (C.CAPITAL, C.FEE, C.INTEREST)), ZERO)


# The languages letters are written in (letters.texts.LANGUAGES; cases may not import letters).
LETTER_LANGUAGES = ("sv", "nb", "fi", "en")


def letter_language(case: Case) -> str:
    """The debtor's language from the ERP, else the creditor's country's; a debtor whose ERP
    language we do not write letters in gets English."""
    spoken = case.debtor.language
    if not spoken:
        return case.creditor.language
    return spoken if spoken in LETTER_LANGUAGES else "en"


@dataclass
class LetterPlan:
    """A letter the step sends: the letters app writes and renders it (letters.services)."""

    creditor_id: int
    case_id: int
    stage: str
    language: str
    letter_date: dt.date
    pay_by: dt.date
    total: Decimal
    currency: str
    ledger_upto: int  # the letter shows the ledger up to this entry id


@dataclass
class Writes:
    events: list[CaseEvent] = field(default_factory=list)
    entries: list[LedgerEntry] = field(default_factory=list)
    letters: list[LetterPlan] = field(default_factory=list)
    decisions: list[DecisionRequest] = field(default_factory=list)
    enforcement: list[EnforcementApplication] = field(default_factory=list)
    decided: list[DecisionRequest] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    closed: list[Case] = field(default_factory=list)  # to write back to the ERP after commit

    def mark(self) -> tuple[int, ...]:
        return tuple(len(rows) for rows in vars(self).values())

    def rollback(self, mark: tuple[int, ...]) -> None:
        """Drop what was planned since `mark` (a case whose step failed half-way)."""
        for rows, length in zip(vars(self).values(), mark, strict=True):
            del rows[length:]


def load_facts(cases: list[Case]) -> list[Facts]:
    by_id = {c.pk: Facts(case=c) for c in cases}
    ids = list(by_id)
    for inv in Invoice.objects.filter(case_id__in=ids).order_by("due_date", "pk"):
        by_id[inv.case_id].invoices.append(inv)
    rows = (
        LedgerEntry.objects.filter(case_id__in=ids)
        .values("case_id", "invoice_id", "component", "kind")
        .annotate(total=Sum("amount"), last=Max("period_end"), top=Max("id"))
    )
    for r in rows:
        f = by_id[r["case_id"]]
        total = r["total"].quantize(ZERO)  # SQLite sums through floats: back to cents
        f.balances[r["component"]] += total
        if r["kind"] == LedgerEntry.Kind.CHARGE:
            f.charged[r["component"]] += total
        f.last_entry_id = max(f.last_entry_id, r["top"])
        if r["component"] == C.CAPITAL and r["invoice_id"]:
            f.capital[r["invoice_id"]] = f.capital.get(r["invoice_id"], ZERO) + total
        if r["component"] == C.INTEREST and r["invoice_id"] and r["last"]:
            f.interest_to[r["invoice_id"]] = max(
                f.interest_to.get(r["invoice_id"], r["last"]), r["last"]
            )
    for key, case_id in LedgerEntry.objects.filter(
        case_id__in=ids, component=C.FEE, kind=LedgerEntry.Kind.CHARGE
    ).values_list("key", "case_id"):
        by_id[case_id].fee_keys.add(key)
    for decision in DecisionRequest.objects.filter(case_id__in=ids, answer=""):
        by_id[decision.case_id].open_decision = decision
    return list(by_id.values())


def interest_entries(
    facts: Facts, rules: CountryRules, claim: Claim, to: dt.date
) -> list[LedgerEntry]:
    """Book interest on each invoice's capital from where it was booked to, up to `to`."""
    case, rates = facts.case, rules.interest_rates(claim)
    entries = []
    for inv in facts.invoices:
        principal = facts.capital.get(inv.pk, ZERO)
        start = max(inv.due_date, facts.interest_to.get(inv.pk, inv.due_date)) + dt.timedelta(1)
        if principal <= 0 or start > to:
            continue
        amount = interest.interest(
            principal=principal,
            start=start,
            end=to,
            rates=rates,
            day_count=interest.DAY_COUNT[case.country],
        )
        if amount <= 0:
            continue
        entries.append(
            LedgerEntry(
                creditor_id=case.creditor_id,
                case=case,
                kind=LedgerEntry.Kind.CHARGE,
                component=C.INTEREST,
                amount=amount,
                booked_on=to,
                period_end=to,
                invoice=inv,
                key=f"interest:{inv.pk}:{to.isoformat()}",
                description=f"interest {start.isoformat()}..{to.isoformat()}",
                params=_interest_params(start, to, rates),
            )
        )
        facts.interest_to[inv.pk] = to
        facts.balances[C.INTEREST] += amount
    return entries


def _interest_params(start: dt.date, to: dt.date, rates) -> dict:
    """The entry's period, and its rate when one rate covers the whole period."""
    params = {"what": "interest", "from": start.isoformat(), "to": to.isoformat()}
    rate = interest.rate_on(rates, start)
    if rate is not None and rate == interest.rate_on(rates, to):
        params["rate"] = str(rate)
    return params


def plan_step(facts: Facts, rules: CountryRules, today: dt.date, w: Writes) -> str | None:
    """Plan the case's due step into `w`; returns the stage entered (None: only rescheduled)."""
    case = facts.case
    claim = facts.claim()
    if case.stage == S.DECISION:
        return _decision_due(facts, rules, claim, today, w)
    stage = next_stage(case)
    if stage is None:
        case.next_action_on = None
        w.cases.append(case)
        return None
    earliest = rules.earliest(claim, stage, today)
    if case.stage in LETTER_STAGES and case.stage_since:
        earliest = max(
            earliest, case.stage_since + dt.timedelta(rules.gap_after(claim, case.stage, today))
        )
    if today < earliest:
        case.next_action_on = earliest  # too early by law: come back on the first allowed day
        w.cases.append(case)
        return None
    w.entries += interest_entries(facts, rules, claim, today)
    w.events.append(move(case, stage, on=today))
    if stage in LETTER_STAGES:
        for fee in rules.fees(claim, stage, today):
            if fee.key in facts.fee_keys:
                continue
            w.entries.append(
                LedgerEntry(
                    creditor_id=case.creditor_id,
                    case=case,
                    kind=LedgerEntry.Kind.CHARGE,
                    component=C.FEE,
                    amount=fee.amount,
                    booked_on=today,
                    key=fee.key,
                    description=fee.label,
                    params={"what": "fee", "fee": fee.key.partition(":")[2]},
                )
            )
            facts.fee_keys.add(fee.key)
            facts.balances[C.FEE] += fee.amount
        pay_by = deadline(case.country, today, rules.days_to_pay(stage, today))
        w.letters.append(
            LetterPlan(
                creditor_id=case.creditor_id,
                case_id=case.pk,
                stage=stage,
                language=letter_language(case),
                letter_date=today,
                pay_by=pay_by,
                total=facts.outstanding,
                currency=case.currency,
                ledger_upto=facts.last_entry_id,
            )
        )
        gap = rules.gap_after(claim, stage, today)
        case.next_action_on = max(pay_by + dt.timedelta(1), today + dt.timedelta(gap))
    else:
        decide_by = deadline(case.country, today, rules.days_to_pay(stage, today))
        w.decisions.append(
            DecisionRequest(
                creditor_id=case.creditor_id,
                case=case,
                requested_on=today,
                deadline=decide_by,
                options=list(rules.decision_options),
                default_option=case.creditor.default_decision,
            )
        )
        case.next_action_on = decide_by + dt.timedelta(1)
    w.cases.append(case)
    return stage


def _decision_due(facts, rules, claim, today, w) -> str | None:
    decision = facts.open_decision
    case = facts.case
    if decision is None or decision.deadline >= today:
        case.next_action_on = decision.deadline + dt.timedelta(1) if decision else None
        w.cases.append(case)
        return None
    decision.answer = decision.default_option
    w.decided.append(decision)
    return apply_decision(
        facts,
        rules,
        claim,
        decision.answer,
        today,
        w,
        why="default_applied",
    )


def apply_decision(facts, rules, claim, option, today, w, *, actor=None, why="") -> str | None:
    """`why`: a code of cases.describe.WHY (who decided), stored with the event."""
    case = facts.case
    with translation.override("en"):  # the stored text is English; the data is rendered
        note = str(WHY_TEXT[why]) if why else ""
    w.entries += interest_entries(facts, rules, claim, today)
    if option == "close":
        message = f"Closed unpaid by decision. {note}".strip()
        w.events.append(
            closing.close(
                case,
                outcome=Case.Outcome.CLOSED_UNPAID,
                message=message,
                actor=actor,
                why=why or "closed_by_decision",
            )
        )
        w.cases.append(case)
        w.closed.append(case)
        return None
    w.events.append(move(case, option, on=today, actor=actor, message=note, data={"why": why}))
    case.next_action_on = None
    if option == S.ENFORCEMENT:
        w.enforcement.append(enforcement_application(facts, rules, claim, today))
    w.cases.append(case)
    return option


def enforcement_application(facts, rules, claim, today) -> EnforcementApplication:
    case = facts.case
    rates = rules.interest_rates(claim)
    return EnforcementApplication(
        creditor_id=case.creditor_id,
        case=case,
        authority=rules.authority,
        prepared_on=today,
        debtor_name=case.debtor.name,
        debtor_identity=case.debtor.identity_number,
        currency=case.currency,
        capital=facts.balances[C.CAPITAL],
        interest=facts.balances[C.INTEREST],
        interest_rate=interest.rate_on(rates, today) or ZERO,
        interest_from=claim.earliest_due + dt.timedelta(1),
        fees=facts.balances[C.FEE],
        application_fee=rules.application_fee(today, claim),
        claim_description="; ".join(
            f"invoice {i.number} of {i.invoice_date}, due {i.due_date}" for i in facts.invoices
        ),
    )


def write(w: Writes) -> None:
    """Save a batch's case rows; the planned letters get the ledger id they show up to. The
    letters themselves and the ERP write-back of `w.closed` are the caller's. The entries move
    their cases' outstanding in memory; the batch's case update below stores it."""
    saved = {c.pk for c in w.cases}
    if any(e.case_id not in saved for e in w.entries):
        raise ValueError("an entry's case is not among the cases the batch saves")
    if any(d.case_id not in saved for d in (*w.decisions, *w.decided)):
        raise ValueError("a decision's case is not among the cases the batch saves")
    # the case list's pending-decision filter reads the open decision's deadline off the case
    deadlines = {d.case_id: None for d in w.decided} | {d.case_id: d.deadline for d in w.decisions}
    for case in w.cases:
        if case.pk in deadlines:
            case.decision_deadline = deadlines[case.pk]
    ledger.entries_post(w.entries, caller_saves_cases=True)
    insert(CaseEvent, w.events)
    DecisionRequest.objects.bulk_create(w.decisions)
    EnforcementApplication.objects.bulk_create(w.enforcement)
    if w.decided:
        DecisionRequest.objects.bulk_update(w.decided, ["answer", "answered_by", "answered_at"])
    top = defaultdict(int)
    for e in w.entries:
        top[e.case_id] = max(top[e.case_id], e.pk or 0)
    for letter in w.letters:
        letter.ledger_upto = max(letter.ledger_upto, top[letter.case_id])
    update_cases(w.cases)
