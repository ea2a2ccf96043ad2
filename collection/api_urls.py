from django.urls import path

from cases.actions import CASE_ACTIONS
from collection import api_assignments, api_cases, apis, erp_customers_api

urlpatterns = [
    path(
        "creditors/<int:creditor_id>/erp-customers/",
        erp_customers_api.ErpCustomersApi.as_view(),
        name="api-creditor-erp-customers",
    ),
    path(
        "creditors/<int:creditor_id>/sync-runs/", apis.SyncRunsApi.as_view(), name="api-sync-runs"
    ),
    path(
        "creditors/<int:creditor_id>/payments/",
        api_cases.PaymentsApi.as_view(),
        name="api-payments",
    ),
    path(
        "creditors/<int:creditor_id>/settlements/",
        api_cases.SettlementsApi.as_view(),
        name="api-settlements",
    ),
    path(
        "creditors/<int:creditor_id>/payouts/", api_cases.PayoutsApi.as_view(), name="api-payouts"
    ),
    path(
        "creditors/<int:creditor_id>/messages/",
        api_cases.CreditorMessagesApi.as_view(),
        name="api-messages",
    ),
    path(
        "creditors/<int:creditor_id>/assignments/",
        api_assignments.AssignmentsApi.as_view(),
        name="api-assignments",
    ),
    path(
        "creditors/<int:creditor_id>/assignments/<int:assignment_id>/",
        api_assignments.AssignmentApi.as_view(),
        name="api-assignment",
    ),
    path(
        "creditors/<int:creditor_id>/assignments/by-key/<path:idempotency_key>/",
        api_assignments.AssignmentByKeyApi.as_view(),
        name="api-assignment-by-key",
    ),
    path(
        "creditors/<int:creditor_id>/assignments/payments/",
        api_assignments.AssignmentPaymentsApi.as_view(),
        name="api-assignment-payments",
    ),
    path(
        "creditors/<int:creditor_id>/assignments/settlements/",
        api_assignments.AssignmentSettlementsApi.as_view(),
        name="api-assignment-settlements",
    ),
    path(
        "creditors/<int:creditor_id>/cases/<str:number>/events/",
        api_cases.CaseEventsApi.as_view(),
        name="api-case-events",
    ),
    path(
        "creditors/<int:creditor_id>/cases/<str:number>/letters/",
        api_cases.CaseLettersApi.as_view(),
        name="api-case-letters",
    ),
    path(
        "creditors/<int:creditor_id>/cases/<str:number>/letters/<int:letter_id>.pdf",
        api_cases.LetterPdfApi.as_view(),
        name="api-case-letter-pdf",
    ),
    path(
        "creditors/<int:creditor_id>/cases/<str:number>/decisions/",
        api_cases.CaseDecisionsApi.as_view(),
        name="api-case-decisions",
    ),
    path(
        "creditors/<int:creditor_id>/cases/<str:number>/messages/",
        api_cases.CaseMessagesApi.as_view(),
        name="api-case-messages",
    ),
    path(
        "creditors/<int:creditor_id>/cases/<str:number>/",
        apis.CaseDetailApi.as_view(),
        name="api-case-detail",
    ),
    *(
        path(
            f"creditors/<int:creditor_id>/cases/<str:number>/{verb}/",
            apis.CaseActionApi.as_view(verb=verb),
            name=f"api-case-{verb}",
        )
        for verb in CASE_ACTIONS
    ),
]
