from django.apps import AppConfig


class CreditorsConfig(AppConfig):
    name = "creditors"
