from django.apps import AppConfig


class SharedConfig(AppConfig):
    name = "qms.shared"
    label = "shared"
    verbose_name = "Shared mechanisms"
