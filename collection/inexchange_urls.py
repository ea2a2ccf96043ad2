"""Our partner API for Inexchange, under /api/partner/v1/ (collection.inexchange_api)."""

from django.urls import path

from collection import inexchange_api

DOCUMENT = "companies/<str:erp_id>/documents/<str:document_id>/"

urlpatterns = [
    path(f"{DOCUMENT}case/", inexchange_api.InexchangeCaseApi.as_view(), name="partner-case"),
    path(
        f"{DOCUMENT}payments/",
        inexchange_api.InexchangePaymentsApi.as_view(),
        name="partner-payments",
    ),
    path(
        f"{DOCUMENT}credit-notes/",
        inexchange_api.InexchangeCreditNotesApi.as_view(),
        name="partner-credit-notes",
    ),
]
