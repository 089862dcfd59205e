from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..domain.states import LIVE_STATES, DocState
from .types import DocumentType

STATE_CHOICES = [(s.value, s.value) for s in DocState]


class Document(models.Model):
    """One uploaded qualification document of an organisation, and its review.

    The file is stored under its SHA-256 (``qms.shared.files``); ``file`` holds the storage
    name. ``status`` changes only through ``qms.documents.services``.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("organisation"),
    )
    document_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, related_name="documents", verbose_name=_("type")
    )
    number = models.CharField(_("number"), max_length=100)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    file = models.FileField(_("file"), max_length=300)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=20, choices=STATE_CHOICES, default=DocState.PENDING.value
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason_code = models.CharField(max_length=40, blank=True)
    review_note = models.TextField(blank=True)
    brand_id = models.BigIntegerField(null=True, blank=True)
    category_id = models.BigIntegerField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="doc_org_status_idx"),
            models.Index(fields=["status", "created_at"], name="doc_status_created_idx"),
            models.Index(fields=["status", "expires_on"], name="doc_status_expiry_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in DocState]), name="doc_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("issued_on")),
                name="doc_expiry_after_issue",
            ),
            models.UniqueConstraint(
                fields=["organisation", "document_type", "sha256"],
                condition=Q(status__in=[s.value for s in LIVE_STATES]),
                name="doc_live_file_uniq",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_type.code} {self.number}"


class DocumentStatusChange(models.Model):
    """One change of a document's status: who, when, from what, to what, why."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    action = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    reason_code = models.CharField(max_length=40, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["document", "at"], name="doc_history_idx")]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.from_status or '-'} -> {self.to_status}"
