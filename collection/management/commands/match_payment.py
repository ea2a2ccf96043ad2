from django.core.management.base import BaseCommand, CommandError

from cases.models import Case
from collection.payments import incoming_payment_match
from settlements.models import IncomingPayment


class Command(BaseCommand):
    help = "Support: book an unmatched incoming payment on a case."

    def add_arguments(self, parser):
        parser.add_argument("external_id", help="the bank transaction id")
        parser.add_argument("case_number")

    def handle(self, external_id, case_number, **opts):
        try:
            incoming = IncomingPayment.objects.get(external_id=external_id)
            case = Case.objects.get(number=case_number)
            incoming = incoming_payment_match(incoming=incoming, case=case)
        except (IncomingPayment.DoesNotExist, Case.DoesNotExist, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Booked {incoming.amount} {incoming.currency} on case {case.number}")
