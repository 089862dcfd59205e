from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "qms.documents"
    label = "documents"
