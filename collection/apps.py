from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "collection"

    def ready(self):
        from collection import checks  # noqa: F401  (registers the system check)
