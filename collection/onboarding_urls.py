from django.urls import include, path

from collection import onboarding_views as views

urlpatterns = [
    path("", views.start, name="onboarding-start"),
    path("contact/", views.contact, name="onboarding-contact"),
    path("company/", views.company, name="onboarding-company"),
    path("agreement/", views.agreement, name="onboarding-agreement"),
    path("agreement/<int:creditor_id>.pdf", views.agreement_pdf, name="onboarding-agreement-pdf"),
    path("agreement/signed/", views.signed, name="onboarding-signed"),
    path("finish/", views.finish, name="onboarding-finish"),
    # Activation from the Inexchange Store's hand-off (collection.inexchange_activation_views).
    path("inexchange/", include("collection.inexchange_activation_urls")),
    # Registration from Visma Home, signed in through Visma Connect (visma_registration_views).
    path("visma/", include("collection.visma_registration_urls")),
]
