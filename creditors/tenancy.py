"""The one query path to tenant-owned rows: `Model.objects.for_creditor(creditor)`.

Selectors take the creditor explicitly and start from here; views never query models directly
(a test enforces that), so forgetting the scope means writing code that review will see.
"""

from django.db import models


class TenantQuerySet(models.QuerySet):
    def for_creditor(self, creditor):
        if creditor is None:
            raise ValueError("a tenant-scoped query needs a creditor")
        return self.filter(creditor=creditor)


class TenantModel(models.Model):
    """Abstract base for every row a creditor owns."""

    creditor = models.ForeignKey("creditors.Creditor", on_delete=models.PROTECT, related_name="+")

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True
