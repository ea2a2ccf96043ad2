from django.urls import path

from creditors import apikey_views, views

urlpatterns = [
    # "creditor-settings" (views.creditor_settings) is routed by collection.urls, which gives it
    # the ERP's customers for the settings per customer.
    path("c/<int:creditor_id>/settings/company/", views.company_change, name="creditor-company"),
    path(
        "c/<int:creditor_id>/settings/account-setup/",
        views.account_setup_change,
        name="creditor-account-setup",
    ),
    path(
        "c/<int:creditor_id>/settings/payout-account/",
        views.payout_account_change,
        name="creditor-payout-account",
    ),
    path(
        "c/<int:creditor_id>/settings/agreement-type/",
        views.agreement_type_change,
        name="creditor-agreement-type",
    ),
    path(
        "c/<int:creditor_id>/settings/import-overrides/",
        views.import_override_set,
        name="creditor-import-override-set",
    ),
    path(
        "c/<int:creditor_id>/settings/import-overrides/<int:override_id>/remove/",
        views.import_override_remove,
        name="creditor-import-override-remove",
    ),
    path(
        "c/<int:creditor_id>/settings/import-amounts/",
        views.import_amount_set,
        name="creditor-import-amount-set",
    ),
    path(
        "c/<int:creditor_id>/settings/import-amounts/<str:currency>/remove/",
        views.import_amount_remove,
        name="creditor-import-amount-remove",
    ),
    path("c/<int:creditor_id>/api-keys/", apikey_views.api_key_list, name="creditor-api-keys"),
    path(
        "c/<int:creditor_id>/api-keys/<int:key_id>/revoke/",
        apikey_views.api_key_revoke,
        name="creditor-api-key-revoke",
    ),
    path("c/<int:creditor_id>/users/", views.creditor_users, name="creditor-users"),
    path("c/<int:creditor_id>/users/add/", views.member_add, name="creditor-user-add"),
    path(
        "c/<int:creditor_id>/users/<int:membership_id>/remove/",
        views.member_remove,
        name="creditor-user-remove",
    ),
    path(
        "c/<int:creditor_id>/firm-access/<int:firm_membership_id>/grant/",
        views.firm_access_change,
        {"grant": True},
        name="creditor-firm-access-grant",
    ),
    path(
        "c/<int:creditor_id>/firm-access/<int:firm_membership_id>/revoke/",
        views.firm_access_change,
        {"grant": False},
        name="creditor-firm-access-revoke",
    ),
]
