from django.apps import AppConfig


class ListingsConfig(AppConfig):
    name = "qms.listings"
    label = "listings"
    verbose_name = "Listings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import rules, wiring

        rules.register_starting_rules()
        wiring.register()
