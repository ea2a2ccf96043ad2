"""The user's own page and the language switcher in the header: what a user sets for
themselves, on no creditor in particular."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from creditors.preferences import language_codes, user_language, user_language_set


@login_required
def me(request):
    return render(request, "account/me.html", {"chosen_language": user_language(user=request.user)})


@require_POST
def language_set(request):
    """Stored for a logged-in user (every device), and as Django's language cookie, which also
    carries the choice made on the login page. "" forgets it: the browser's language applies."""
    language = request.POST.get("language", "")
    if language and language not in language_codes():
        return HttpResponseBadRequest("unknown language")
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=language)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = redirect(target)
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
    return response
