from django.urls import path

from collection import netvisor_activation_views as views

urlpatterns = [
    path("store/", views.handoff, name="netvisor-handoff"),
    path("terms/", views.terms, name="netvisor-terms"),
    path("kyc/", views.kyc, name="netvisor-kyc"),
    path("agreement/", views.agreement, name="netvisor-agreement"),
    path("agreement.pdf", views.agreement_pdf, name="netvisor-agreement-pdf"),
    path("agreement/signed/", views.signed, name="netvisor-signed"),
    path("done/", views.done, name="netvisor-done"),
    path("removal/", views.removal, name="netvisor-removal"),
]
