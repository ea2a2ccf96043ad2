from django.urls import path

from support import views

urlpatterns = [
    path("", views.ticket_list, name="support-tickets"),
    path("tickets/<int:ticket_id>/", views.ticket_detail, name="support-ticket"),
    path("tickets/<int:ticket_id>/assign/", views.ticket_assign, name="support-ticket-assign"),
    path("tickets/<int:ticket_id>/reply/", views.ticket_reply, name="support-ticket-reply"),
    path("tickets/<int:ticket_id>/close/", views.ticket_close, name="support-ticket-close"),
    path("payments/", views.payment_list, name="support-payments"),
    path("payments/<int:incoming_id>/", views.payment_detail, name="support-payment"),
    path("payments/<int:incoming_id>/match/", views.payment_match, name="support-payment-match"),
]
