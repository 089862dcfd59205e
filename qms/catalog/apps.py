from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "qms.catalog"
    label = "catalog"
