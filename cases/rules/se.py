"""Sweden: inkassolagen (1974:182), lag (1981:739) om ersättning för inkassokostnader."""

from cases.rules.base import Claim, CountryRules, Fee


class SwedishRules(CountryRules):
    country = "SE"
    plan = ("reminder", "demand", "decision")  # betalningspåminnelse, inkassokrav
    authority = "Kronofogdemyndigheten (betalningsföreläggande)"

    def fees(self, claim: Claim, stage: str, on) -> list[Fee]:
        if claim.debtor_kind == "business":
            # 4 a §: 450 kr förseningsersättning once interest runs; reminder and collection
            # costs are owed only beyond it, so with our fees it replaces both (IMY, SE-A1).
            if stage == "demand":
                amount = self._value("fee.b2b_compensation", on, claim)
                return [Fee("fee:b2b_compensation", "Förseningsersättning", amount)]
            return []
        if stage == "reminder" and not claim.reminder_fee_agreed:
            return []  # 2 §: a reminder fee must be agreed when the debt arose
        # One fee per stage and case (ledger key), so at most one 60 kr reminder fee.
        return super().fees(claim, stage, on)
