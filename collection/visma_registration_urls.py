"""The registration from Visma Home under /onboarding/visma/ (visma_registration_views): Visma
Home's link lands on the first URL."""

from django.urls import path

from collection import visma_registration_views as views

urlpatterns = [
    path("", views.home, name="visma-home"),
    path("callback/", views.callback, name="visma-callback"),
    path("register/", views.register, name="visma-register"),
    path("agreement/", views.agreement, name="visma-agreement"),
    path("agreement/<int:creditor_id>.pdf", views.agreement_pdf, name="visma-agreement-pdf"),
    path("agreement/signed/", views.signed, name="visma-signed"),
    path("login/", views.pick, name="visma-login"),
]
