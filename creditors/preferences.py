"""What a user chose for themselves, whatever creditor they work for: the portal's language."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from creditors.models import UserPreference


def language_codes() -> tuple[str, ...]:
    return tuple(code for code, _ in settings.LANGUAGES)


def user_language(*, user) -> str | None:
    """The language the user picked, or None: then the browser's or the creditor's applies."""
    if not user.is_authenticated:
        return None
    language = UserPreference.objects.filter(user=user).values_list("language", flat=True).first()
    return language if language in language_codes() else None


@transaction.atomic
def user_language_set(*, user, language: str) -> UserPreference:
    """Store the user's language; "" forgets it (back to the browser's or the creditor's)."""
    if language and language not in language_codes():
        raise ValidationError(f"unknown language {language!r}")
    preference, _ = UserPreference.objects.select_for_update().get_or_create(user=user)
    preference.language = language
    preference.save(update_fields=["language"])
    return preference
