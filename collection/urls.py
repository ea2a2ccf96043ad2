from django.urls import path

from cases.actions import CASE_ACTIONS
from collection import activation, views

urlpatterns = [
    path("", views.home, name="portal-home"),
    path("c/<int:creditor_id>/cases/", views.case_list, name="case-list"),
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
    path(
        "c/<int:creditor_id>/cases/<str:number>/letters/<int:letter_id>.pdf",
        views.letter_download,
        name="letter-download",
    ),
]
