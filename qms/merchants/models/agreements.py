"""Quality agreements: versioned texts merchants sign, and the signatures.

States and rules: ``domain/agreements.py``. Writes: ``services_agreements.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..domain.agreements import TemplateStatus


class AgreementTemplate(models.Model):
    """One version of an agreement text (``code`` + ``version``). Frozen once published."""

    class Status(models.TextChoices):
        DRAFT = TemplateStatus.DRAFT.value, _("Draft")
        PUBLISHED = TemplateStatus.PUBLISHED.value, _("Published")
        RETIRED = TemplateStatus.RETIRED.value, _("Retired")

    code = models.SlugField(max_length=50)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    title_zh = models.CharField(max_length=200)
    body_en = models.TextField()
    body_zh = models.TextField()
    text_sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    change_summary = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    effective_at = models.DateTimeField(null=True, blank=True)
    resign_deadline = models.DateField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="agreement_code_version_uniq"),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(status="published"),
                name="agreement_one_published_per_code",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in TemplateStatus]),
                name="agreement_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="agreement_published_has_time",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="agreement_version_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version} ({self.status})"


class AgreementSignature(models.Model):
    """A merchant's acceptance of one exact agreement text, by one of its owners."""

    merchant = models.ForeignKey(
        "merchants.Merchant", on_delete=models.CASCADE, related_name="agreement_signatures"
    )
    template = models.ForeignKey(
        AgreementTemplate, on_delete=models.PROTECT, related_name="signatures"
    )
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(max_length=150)
    signed_at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    language = models.CharField(max_length=10, default="zh-hans")
    text_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-signed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["merchant", "template"], name="agreement_signature_uniq"
            ),
        ]
        indexes = [
            models.Index(fields=["template", "signed_at"], name="agreement_sig_template_idx")
        ]

    def __str__(self) -> str:
        return f"{self.merchant_id} signed {self.template_id}"
