from django.urls import path

from cases.actions import CASE_ACTIONS
from collection import (
    activation,
    inexchange_views,
    payout_views,
    portal_views,
    settings_views,
    views,
)

urlpatterns = [
    path("", views.home, name="portal-home"),
    path("c/<int:creditor_id>/", portal_views.dashboard, name="dashboard"),
    path("c/<int:creditor_id>/cases/", portal_views.case_list, name="case-list"),
    path("c/<int:creditor_id>/cases/bulk/", portal_views.case_bulk, name="case-bulk"),
    path("c/<int:creditor_id>/imports/", portal_views.sync_runs, name="sync-runs"),
    path("c/<int:creditor_id>/payouts/", payout_views.payout_list, name="payout-list"),
    path(
        "c/<int:creditor_id>/payouts/<int:payout_id>/remittance.pdf",
        payout_views.payout_remittance,
        name="payout-remittance",
    ),
    # The settings page (creditors.views), given the ERP's customers for its import overrides.
    path(
        "c/<int:creditor_id>/settings/",
        settings_views.creditor_settings,
        name="creditor-settings",
    ),
    path(
        "c/<int:creditor_id>/settings/activation/",
        activation.creditor_activation,
        name="creditor-activation",
    ),
    path("c/<int:creditor_id>/cases/<str:number>/", views.case_detail, name="case-detail"),
    # One form target per action (pause, resume, withdraw, write-off, decide); each checks
    # its own permission in views.case_action.
    *(
        path(
            f"c/<int:creditor_id>/cases/<str:number>/{verb}/",
            views.case_action,
            {"verb": verb},
            name=f"case-{verb}",
        )
        for verb in CASE_ACTIONS
    ),
    # A direct payment or a credit note reported by the creditor (collection.inexchange_views).
    path(
        "c/<int:creditor_id>/cases/<str:number>/report-payment/",
        inexchange_views.case_report_payment,
        name="case-report-payment",
    ),
    path(
        "c/<int:creditor_id>/cases/<str:number>/report-credit-note/",
        inexchange_views.case_report_credit_note,
        name="case-report-credit-note",
    ),
    path(
        "c/<int:creditor_id>/cases/<str:number>/messages/",
        views.case_message,
        name="case-message",
    ),
    path(
        "c/<int:creditor_id>/cases/<str:number>/letters/<int:letter_id>.pdf",
        views.letter_download,
        name="letter-download",
    ),
]
