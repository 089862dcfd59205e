from django.apps import AppConfig


class GenerateConfig(AppConfig):
    name = "qms.generate"
    label = "generate"
    verbose_name = "Demo data generator"
