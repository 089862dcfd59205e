from django.apps import AppConfig


class MerchantsConfig(AppConfig):
    name = "qms.merchants"
    label = "merchants"
    verbose_name = "Merchants and onboarding"

    def ready(self) -> None:
        from .deadlines import register_handlers
        from .notifications import register_kinds

        register_kinds()
        register_handlers()
        from . import subscriptions  # agreements, standing, re-verification

        subscriptions.register()
