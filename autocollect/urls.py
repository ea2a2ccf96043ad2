from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from autocollect import account, api
from autocollect.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Password reset by e-mail: Django's views, our templates in templates/registration/.
    path("password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("me/", account.me, name="me"),
    path("language/", account.language_set, name="language-set"),
    path("api/", include("cases.api_urls")),
    path("api/", include("collection.api_urls")),
    path("api/", include("creditors.api_urls")),
    path("api/", include("autocollect.api")),
    # Our partner API, called by Inexchange (collection.inexchange_api: our design).
    path("api/partner/v1/", include("collection.inexchange_urls")),
    # Last under api/: any other address there is a 404 in the API's error format.
    path("api/", include(api.not_found_urlpatterns)),
    path("support/", include("support.urls")),
    path("onboarding/", include("collection.onboarding_urls")),
    # The Netvisor Store's activation and removal (collection.netvisor_activation: our design).
    path("netvisor/", include("collection.netvisor_activation_urls")),
    path("", include("collection.urls")),
    path("", include("creditors.urls")),
]
