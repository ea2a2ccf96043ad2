from django.urls import path

from creditors import apis, member_apis

urlpatterns = [
    path(
        "creditors/<int:creditor_id>/settings/",
        apis.SettingsApi.as_view(),
        name="api-creditor-settings",
    ),
    path(
        "creditors/<int:creditor_id>/import-overrides/",
        apis.ImportOverridesApi.as_view(),
        name="api-creditor-import-overrides",
    ),
    path(
        "creditors/<int:creditor_id>/import-overrides/<int:override_id>/",
        apis.ImportOverrideApi.as_view(),
        name="api-creditor-import-override",
    ),
    path(
        "creditors/<int:creditor_id>/import-amounts/<str:currency>/",
        apis.ImportAmountApi.as_view(),
        name="api-creditor-import-amount",
    ),
    path(
        "creditors/<int:creditor_id>/payout-account/",
        apis.PayoutAccountApi.as_view(),
        name="api-creditor-payout-account",
    ),
    path(
        "creditors/<int:creditor_id>/users/",
        member_apis.UsersApi.as_view(),
        name="api-creditor-users",
    ),
    path(
        "creditors/<int:creditor_id>/users/<int:membership_id>/",
        member_apis.UserApi.as_view(),
        name="api-creditor-user",
    ),
    path(
        "creditors/<int:creditor_id>/firm-access/<int:firm_membership_id>/",
        member_apis.FirmAccessApi.as_view(),
        name="api-creditor-firm-access",
    ),
    path(
        "creditors/<int:creditor_id>/api-keys/",
        member_apis.ApiKeysApi.as_view(),
        name="api-creditor-api-keys",
    ),
    path(
        "creditors/<int:creditor_id>/api-keys/<int:key_id>/",
        member_apis.ApiKeyApi.as_view(),
        name="api-creditor-api-key",
    ),
]
