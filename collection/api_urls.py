from django.urls import path

from cases.actions import CASE_ACTIONS
from collection import apis

urlpatterns = [
    path(
        "creditors/<int:creditor_id>/sync-runs/", apis.SyncRunsApi.as_view(), name="api-sync-runs"
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
