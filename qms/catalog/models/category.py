"""The category tree and the documents each category requires per market."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..domain.constants import DEFAULT_CURRENCY, MARKETS, RISK_LEVELS, RiskLevel


class Category(models.Model):
    """A node of the category tree. ``code`` is the full path (``"food/tea"``), so a child's
    code is always its parent's code plus ``/`` and one segment."""

    code = models.CharField(_("code"), max_length=120, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    risk_level = models.CharField(
        _("risk level"),
        max_length=10,
        choices=[(r.value, r.value) for r in RiskLevel],
        default=RiskLevel.MEDIUM.value,
    )
    deposit_amount = models.DecimalField(_("deposit"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default=DEFAULT_CURRENCY)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        indexes = [models.Index(fields=["parent", "sort_order"], name="cat_parent_sort_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(risk_level__in=RISK_LEVELS), name="cat_risk_valid"),
            models.CheckConstraint(condition=Q(deposit_amount__gte=0), name="cat_deposit_nonneg"),
            models.CheckConstraint(
                condition=~Q(code="") & ~Q(code__startswith="/") & ~Q(code__endswith="/"),
                name="cat_code_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_en}"

    @property
    def depth(self) -> int:
        return self.code.count("/")

    def name(self, language: str = "en") -> str:
        return self.name_zh if language.startswith("zh") else self.name_en


class CategoryDocumentRequirement(models.Model):
    """A document type a merchant must (or should) hold to sell in ``category`` on ``market``.
    Requirements inherit down the tree; a child may restate one to change ``mandatory``."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="requirements")
    market = models.CharField(_("market"), max_length=8)
    document_type_code = models.CharField(_("document type"), max_length=60)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["category_id", "market", "document_type_code"]
        verbose_name = _("category document requirement")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "market", "document_type_code"], name="catreq_uniq"
            ),
            models.CheckConstraint(condition=Q(market__in=MARKETS), name="catreq_market_valid"),
        ]
        indexes = [models.Index(fields=["document_type_code", "market"], name="catreq_doc_mkt_idx")]

    def __str__(self) -> str:
        return f"{self.category.code} {self.market}: {self.document_type_code}"
