from django.apps import AppConfig


class MerchantsConfig(AppConfig):
    name = "qms.merchants"
    label = "merchants"
