from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "qms.web"
    label = "web"
    verbose_name = "Console and portal pages"
