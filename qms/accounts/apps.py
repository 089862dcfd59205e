from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "qms.accounts"
    label = "accounts"
    verbose_name = "People and permissions"
