from django.contrib import admin

from letters.models import Letter


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = [
        "case", "stage", "letter_date", "pay_by", "total", "currency", "status", "render_attempts",
    ]  # fmt: skip
    list_filter = ["status", "stage", "creditor"]
    readonly_fields = ["status", "sha256", "rendered_at", "render_attempts", "last_error",
                       "last_attempt_at"]  # fmt: skip
