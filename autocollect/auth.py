"""Log in by e-mail address or username, with the same password check as Django's ModelBackend.

django-axes stays first in AUTHENTICATION_BACKENDS and locks by what `axes_username` returns: the
account's username whether it was typed as the username or as its e-mail, so that a guesser
cannot double the allowed attempts by switching between the two."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


def user_for_login(identifier: str):
    """The active-or-not user the login identifier names: the username exactly, else the e-mail
    address (case-insensitive) when exactly one user has it; None otherwise. An e-mail shared
    by several users logs none of them in: which one was meant cannot be known."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    users = get_user_model()._default_manager
    user = users.filter(**{get_user_model().USERNAME_FIELD: identifier}).first()
    if user is None and "@" in identifier:
        matches = list(users.filter(email__iexact=identifier)[:2])
        user = matches[0] if len(matches) == 1 else None
    return user


class EmailOrUsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = user_for_login(username)
        if user is None:
            # Spend the time a password check takes, as ModelBackend does, so that a missing
            # user does not answer faster than a wrong password.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def axes_username(request, credentials) -> str:
    """What axes counts failures against (AXES_USERNAME_CALLABLE): the account's username when
    the identifier names one, else the identifier as typed, lower-cased."""
    if credentials:
        typed = credentials.get("username")
    else:
        typed = getattr(request, "data", request.POST).get("username")
    user = user_for_login(typed or "")
    if user is not None:
        return user.get_username()
    return (typed or "").strip().lower()
