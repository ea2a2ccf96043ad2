from django.contrib import admin

from letters.models import Delivery, Letter, PrintBatch


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = [
        "case", "stage", "letter_date", "pay_by", "total", "currency", "status", "render_attempts",
    ]  # fmt: skip
    list_filter = ["status", "stage", "creditor"]
    readonly_fields = ["status", "sha256", "rendered_at", "render_attempts", "last_error",
                       "last_attempt_at"]  # fmt: skip


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["letter", "channel", "status", "attempts", "sent_at", "next_attempt_at"]
    list_filter = ["channel", "status", "creditor"]
    search_fields = ["message_id", "letter__case__number"]
    readonly_fields = [f.name for f in Delivery._meta.fields]


@admin.register(PrintBatch)
class PrintBatchAdmin(admin.ModelAdmin):
    list_display = ["creditor", "batch_date", "letter_count", "pages", "created_at"]
    list_filter = ["creditor"]
    readonly_fields = [f.name for f in PrintBatch._meta.fields]
