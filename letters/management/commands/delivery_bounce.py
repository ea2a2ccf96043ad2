"""Record that a sent letter came back: a bounced e-mail (by its Message-ID, as the mail
provider's bounce report or the returned message names it) or returned post (by the delivery's
id, shown on the case page and in the admin).

    manage.py delivery_bounce --message-id '<delivery-12.ab12...@autocollect.example>' \\
        --reason '550 5.1.1 user unknown'
    manage.py delivery_bounce --delivery 34 --reason 'Returned: addressee unknown'

An e-mail is then sent by post (in the creditor's next print batch); returned post puts the case
in support's queue. Recording the same bounce twice changes nothing (letters.delivery)."""

from django.core.management.base import BaseCommand, CommandError

from letters.delivery import DeliveryError, delivery_bounce
from letters.models import Delivery


class Command(BaseCommand):
    help = "Record a bounced e-mail or returned post for a letter's delivery."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--message-id", default="", help="the bounced e-mail's Message-ID")
        which.add_argument("--delivery", type=int, help="the delivery's id (returned post)")
        parser.add_argument("--reason", required=True, help="why it came back")

    def handle(self, *args, message_id, delivery, reason, **options):
        try:
            d = delivery_bounce(delivery_id=delivery, message_id=message_id, reason=reason)
        except Delivery.DoesNotExist:
            raise CommandError("no such delivery") from None
        except DeliveryError as exc:
            raise CommandError(str(exc)) from None
        after = d.letter.deliveries.exclude(pk=d.pk).first()
        then = f"; {after.channel} delivery {after.pk} is {after.status}" if after else ""
        self.stdout.write(f"delivery {d.pk} ({d.channel}) of letter {d.letter_id}: bounced{then}")
