"""The dated legal figures (fees, rates, waiting times) per country that the rules read; shared
by every creditor, not tenant data."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.claims import MONEY
from creditors.fields import MoneyField


class RuleValue(models.Model):
    """A dated legal figure: fee, rate or waiting time, valid from a date until the next row.

    Values marked unconfirmed in domain-rules.md are stored with confirmed=False so support staff
    can correct them in the admin; code always asks for the row valid on the relevant date."""

    class AppliesTo(models.TextChoices):
        ANY = "any", _("Any")
        CONSUMER = "consumer", _("Consumer")
        BUSINESS = "business", _("Business")

    country = models.CharField(max_length=2)
    rule = models.CharField(max_length=64)
    applies_to = models.CharField(max_length=16, choices=AppliesTo.choices, default=AppliesTo.ANY)
    capital_upto = MoneyField(null=True, blank=True, **MONEY)  # band; null = no upper bound
    valid_from = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=4)
    source = models.CharField(max_length=200)
    confirmed = models.BooleanField(default=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["country", "rule", "applies_to", "capital_upto", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "rule", "applies_to", "capital_upto", "valid_from"],
                name="rule_value_unique",
            ),
        ]

    def __str__(self):
        return f"{self.country} {self.rule} {self.applies_to} from {self.valid_from}: {self.value}"
