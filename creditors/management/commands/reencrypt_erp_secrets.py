"""Re-encrypt every stored ERP connection with the first of AUTOCOLLECT_FERNET_KEYS.

Rotation: put the new key first in AUTOCOLLECT_FERNET_KEYS (keep the old ones after it), deploy,
run this, then drop the old keys."""

from django.core.management.base import BaseCommand
from django.db import transaction

from creditors.models import AccountingFirm, Creditor


class Command(BaseCommand):
    help = "Re-encrypt all ERP connections with the first AUTOCOLLECT_FERNET_KEYS key."

    def handle(self, *args, **options):
        for model in (Creditor, AccountingFirm):
            with transaction.atomic():
                rows = list(model.objects.select_for_update().only("pk", "erp_connection"))
                # Read with any key, written with the first: the field encrypts on save.
                model.objects.bulk_update(rows, ["erp_connection"], batch_size=500)
            self.stdout.write(f"{model._meta.verbose_name_plural}: {len(rows)} re-encrypted")
