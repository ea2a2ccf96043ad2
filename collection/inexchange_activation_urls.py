"""The Inexchange activation under /onboarding/inexchange/ (inexchange_activation_views): the
Store's hand-off lands on the first URL."""

from django.urls import path

from collection import inexchange_activation_views as views

urlpatterns = [
    path("", views.handoff, name="inexchange-handoff"),
    path("start/", views.start, name="inexchange-start"),
    path("business/", views.business, name="inexchange-business"),
    path("users/", views.users, name="inexchange-users"),
    path("review/", views.review, name="inexchange-review"),
    path("review/<int:creditor_id>.pdf", views.agreement_pdf, name="inexchange-agreement-pdf"),
    path("review/signed/", views.signed, name="inexchange-signed"),
]
