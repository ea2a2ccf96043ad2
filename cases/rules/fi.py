"""Finland: laki saatavien perinnästä (513/1999), as amended 2013 and 2022 (299/2022)."""

from decimal import Decimal

from cases.rules import ZERO
from cases.rules.base import Claim, CountryRules, Fee


class FinnishRules(CountryRules):
    country = "FI"
    plan = ("reminder", "demand", "demand_2", "decision")  # maksumuistutus, maksuvaatimus ×2
    authority = "Käräjäoikeus (summary case), then Ulosottolaitos"

    def fees(self, claim: Claim, stage: str, on) -> list[Fee]:
        fees = super().fees(claim, stage, on)
        if claim.debtor_kind != "consumer" or not fees:
            return fees
        # 10 e §: a consumer's collection costs have a total cap by capital band.
        cap = self._value("cap.fees", on, claim, default=None)
        if cap is None:
            return fees
        room = max(cap - claim.fees_charged, ZERO)
        return [Fee(f.key, f.label, min(f.amount, room)) for f in fees if min(f.amount, room) > 0]

    def application_fee(self, on, claim: Claim) -> Decimal:
        return Decimal("0.00")  # court fees not researched (domain-rules.md § 8 item 7)
