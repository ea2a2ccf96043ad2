"""MoneyField: the one column type for amounts, in a module every app imports without cycles.

It applies nordic.money's rules at the database boundary: values are quantised ROUND_HALF_UP to
the field's decimal places whenever Django converts them (so SQLite and PostgreSQL store the
same cents), forms, the admin and DRF serializers refuse amounts beyond the bound with a
validation error, and a save beyond the bound raises nordic.money.AmountError instead of a
database-specific DataError (or, on SQLite, a row that cannot be read back).
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from nordic.money import MAX_AMOUNT, check_bounds


class MoneyField(models.DecimalField):
    description = "An amount of money, quantised half up and bounded"
    default_validators = [MinValueValidator(-MAX_AMOUNT), MaxValueValidator(MAX_AMOUNT)]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value is None or not value.is_finite():
            return value
        try:
            return value.quantize(Decimal(1).scaleb(-self.decimal_places), rounding=ROUND_HALF_UP)
        except InvalidOperation:  # too many digits to round: the bound check refuses it
            return value

    def get_db_prep_save(self, value, connection):
        if not hasattr(value, "resolve_expression"):
            value = self.to_python(value)
            if value is not None:
                check_bounds(value)
        return super().get_db_prep_save(value, connection)
