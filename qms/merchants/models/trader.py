"""EU Digital Services Act Art. 30 ("traceability of traders") data of a merchant."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Changing any of these resets verification and queues a re-check.
TRADER_FIELDS = (
    "name",
    "address",
    "phone",
    "email",
    "identity_document_id",
    "payment_account_holder",
    "payment_account_iban",
    "trade_register_name",
    "trade_register_number",
    "self_certified",
)


class TraderVerification(models.TextChoices):
    UNVERIFIED = "unverified", _("Unverified")
    VERIFIED = "verified", _("Verified")
    FAILED = "failed", _("Failed")


class TraderInfo(models.Model):
    merchant = models.OneToOneField(
        "merchants.Merchant", on_delete=models.CASCADE, related_name="trader_info"
    )
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300)
    phone = models.CharField(max_length=40)
    email = models.EmailField()
    # A documents.Document of type identity_document belonging to the merchant's organisation.
    identity_document_id = models.BigIntegerField(null=True, blank=True)
    payment_account_holder = models.CharField(max_length=200, blank=True)
    payment_account_iban = models.CharField(max_length=34, blank=True)
    trade_register_name = models.CharField(max_length=200, blank=True)
    trade_register_number = models.CharField(max_length=60, blank=True)
    self_certified = models.BooleanField(default=False)
    self_certified_at = models.DateTimeField(null=True, blank=True)
    self_certification_text_hash = models.CharField(max_length=64, blank=True)
    verification_status = models.CharField(
        max_length=20, choices=TraderVerification.choices, default=TraderVerification.UNVERIFIED
    )
    verification_reasons = models.JSONField(default=list, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    recheck_requested_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(verification_status__in=TraderVerification.values),
                name="trader_verification_valid",
            ),
            models.CheckConstraint(
                condition=~Q(verification_status="verified") | Q(verified_at__isnull=False),
                name="trader_verified_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.verification_status})"
