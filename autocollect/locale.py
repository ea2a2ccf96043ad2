"""Which language a request is answered in: the user's own choice (stored per user, or the
language cookie the switcher sets before login), else the browser's Accept-Language, else the
language of the creditor's country, else LANGUAGE_CODE. Django's LocaleMiddleware knows the first
two without the user and the last one not at all, hence this subclass after authentication."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from creditors.access import creditors_for_user
from creditors.preferences import language_codes, user_language
from nordic import countries


def chosen_language(request) -> str | None:
    """The user's explicit choice: the stored preference, else the switcher's cookie."""
    language = user_language(user=request.user)
    if language:
        return language
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return cookie if cookie in language_codes() else None


def browser_language(request) -> str | None:
    """The first language of Accept-Language we have ("nb-NO" -> nb, "no" -> nb); None if none."""
    header = request.headers.get("Accept-Language", "")
    for tag, _quality in parse_accept_lang_header(header):
        if tag == "*":
            continue
        try:
            return translation.get_supported_language_variant(_alias(tag))
        except LookupError:
            continue
    return None


def _alias(tag: str) -> str:
    # Browsers send "no" or "nn" for Norwegian more often than "nb"; we write only Bokmål.
    base = tag.lower().split("-")[0]
    return "nb" if base in ("no", "nn") else tag


def creditor_language(request, creditor_id=None) -> str | None:
    """The language of the creditor in the URL, or of the user's first creditor; only a creditor
    the user may see (the header would tell otherwise that the id exists)."""
    creditors = creditors_for_user(request.user)
    if creditor_id is not None:
        creditors = creditors.filter(pk=creditor_id)
    elif request.user.is_staff:
        return None  # support staff serve every country: no one creditor's language
    country = creditors.order_by("legal_name").values_list("country", flat=True).first()
    if country is None:
        return None
    language = countries.country(country).language
    return language if language in language_codes() else None


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_request(self, request):
        language = chosen_language(request) or browser_language(request)
        request.language_is_fallback = language is None
        self._activate(request, language or settings.LANGUAGE_CODE)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The creditor is known once the URL is resolved; it decides only when neither the user
        # nor the browser did.
        if not request.language_is_fallback or not request.user.is_authenticated:
            return None
        try:
            creditor_id = int(view_kwargs["creditor_id"]) if "creditor_id" in view_kwargs else None
        except (TypeError, ValueError):
            return None
        language = creditor_language(request, creditor_id)
        if language:
            self._activate(request, language)
        return None

    @staticmethod
    def _activate(request, language: str) -> None:
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
