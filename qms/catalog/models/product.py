"""A merchant's products and their SKUs."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Product(models.Model):
    merchant_org = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="catalog_products"
    )
    supplier_org = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="catalog_supplied_products",
    )
    category = models.ForeignKey(
        "catalog.Category", on_delete=models.PROTECT, related_name="products"
    )
    brand = models.ForeignKey(
        "catalog.Brand", on_delete=models.PROTECT, null=True, blank=True, related_name="products"
    )
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    markets = models.JSONField(_("markets"), default=list)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("product")
        indexes = [
            models.Index(
                fields=["merchant_org", "-created_at", "-id"], name="product_merchant_idx"
            ),
            models.Index(fields=["category"], name="product_category_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class Sku(models.Model):
    """A sellable variant. ``merchant_org`` repeats the product's so the database can keep
    GTINs and SKU codes unique per merchant. ``gtin14`` is the GTIN zero-padded to 14 digits
    (GTIN-8/12/13/14 of one item compare equal)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="skus")
    merchant_org = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="catalog_skus"
    )
    sku_code = models.CharField(_("SKU code"), max_length=80)
    gtin = models.CharField(_("GTIN"), max_length=14, blank=True)
    gtin14 = models.CharField(max_length=14, null=True, blank=True, editable=False)
    name = models.CharField(_("variant name"), max_length=300, blank=True)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["product_id", "sku_code"]
        verbose_name = _("SKU")
        constraints = [
            models.UniqueConstraint(
                fields=["merchant_org", "sku_code"], name="sku_code_per_merchant_uniq"
            ),
            models.UniqueConstraint(
                fields=["merchant_org", "gtin14"],
                condition=Q(gtin14__isnull=False),
                name="sku_gtin_per_merchant_uniq",
            ),
            models.CheckConstraint(
                condition=Q(gtin="", gtin14__isnull=True) | (~Q(gtin="") & Q(gtin14__isnull=False)),
                name="sku_gtin14_matches_gtin",
            ),
        ]
        indexes = [models.Index(fields=["gtin14"], name="sku_gtin14_idx")]

    def __str__(self) -> str:
        return f"{self.sku_code} ({self.gtin})" if self.gtin else self.sku_code
