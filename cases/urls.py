from django.urls import path

from cases import views

urlpatterns = [
    path("", views.home, name="portal-home"),
    path("c/<int:creditor_id>/cases/", views.case_list, name="case-list"),
    path("c/<int:creditor_id>/cases/<str:number>/", views.case_detail, name="case-detail"),
    path("c/<int:creditor_id>/cases/<str:number>/decide/", views.case_decide, name="case-decide"),
    path(
        "c/<int:creditor_id>/cases/<str:number>/letters/<int:letter_id>.pdf",
        views.letter_download,
        name="letter-download",
    ),
]
