"""Norway: inkassoloven (INKL) §§ 9–10 and inkassoforskriften (INKF) ch. 1."""

from decimal import Decimal

from cases.rules.base import Claim, CountryRules, Fee


class NorwegianRules(CountryRules):
    country = "NO"
    plan = ("reminder", "notice", "demand", "decision")  # purring, inkassovarsel, betalingsoppf.
    authority = "Forliksrådet / namsmannen (utlegg)"

    def fees(self, claim: Claim, stage: str, on) -> list[Fee]:
        # INKF § 1-2: purring and inkassovarsel carry a fee only when sent 14 days or more
        # after the due date. The plan (purring, varsel, betalingsoppfordring) stays inside the
        # § 1-3 limit of fee letters per claim.
        if stage in ("reminder", "notice") and (on - claim.earliest_due).days < 14:
            return []
        return super().fees(claim, stage, on)

    def application_fee(self, on, claim: Claim) -> Decimal:
        return Decimal("0.00")  # rettsgebyr figures are unconfirmed (domain-rules.md § 7)
