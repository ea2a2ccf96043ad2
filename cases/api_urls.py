from django.urls import path

from cases import apis

urlpatterns = [
    path("creditors/<int:creditor_id>/cases/", apis.CaseListApi.as_view(), name="api-case-list"),
]
