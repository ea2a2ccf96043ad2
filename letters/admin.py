from django.contrib import admin

from letters.models import Letter


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ["case", "stage", "letter_date", "pay_by", "total", "currency"]
    list_filter = ["stage", "creditor"]
