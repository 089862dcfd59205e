from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "qms.documents"
    label = "documents"
    verbose_name = "Qualification documents"

    def ready(self) -> None:
        from qms.shared.deadlines import register_batch_handler

        from . import expiry, notifications

        notifications.register()
        register_batch_handler(expiry.DEADLINE_KIND, expiry.handle_expiry_deadlines)
