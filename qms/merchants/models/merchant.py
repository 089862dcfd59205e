"""The merchant: the company that sells on the platform, its shops, contacts, categories
and brands. Keyed by its ``accounts.Organisation`` so scoping is one rule everywhere."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Standing(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACTIVE = "active", _("Active")
    RESTRICTED = "restricted", _("Restricted")
    SUSPENDED = "suspended", _("Suspended")
    TERMINATED = "terminated", _("Terminated")


class RegistrationScheme(models.TextChoices):
    CN_USCC = "cn_uscc", _("PRC unified social credit code")
    EU_TRADE_REGISTER = "eu_trade_register", _("EU trade register")
    OTHER = "other", _("Other")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Merchant(models.Model):
    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="merchant"
    )
    code = models.CharField(max_length=20, unique=True)
    legal_name = models.CharField(max_length=200)
    legal_name_en = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=2, default="CN")
    registration_scheme = models.CharField(
        max_length=20, choices=RegistrationScheme.choices, default=RegistrationScheme.CN_USCC
    )
    registration_number = models.CharField(max_length=40, blank=True)
    legal_representative = models.CharField(max_length=100, blank=True)
    registered_address = models.CharField(max_length=300, blank=True)
    business_scope = models.TextField(blank=True)
    established_on = models.DateField(null=True, blank=True)
    standing = models.CharField(max_length=20, choices=Standing.choices, default=Standing.PENDING)
    standing_changed_at = models.DateTimeField(null=True, blank=True)
    markets = models.JSONField(default=list, blank=True)  # approved markets, e.g. ["CN", "EU"]
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, default=RiskLevel.LOW)
    probation_until = models.DateField(null=True, blank=True)
    conditions = models.TextField(blank=True)
    deposit_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    deposit_currency = models.CharField(max_length=3, default="CNY")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["standing", "created_at"], name="merchant_standing_idx"),
            models.Index(fields=["legal_name"], name="merchant_legal_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(standing__in=Standing.values), name="merchant_standing_valid"
            ),
            models.CheckConstraint(
                condition=Q(registration_scheme__in=RegistrationScheme.values),
                name="merchant_scheme_valid",
            ),
            models.CheckConstraint(
                condition=Q(deposit_amount__gte=0), name="merchant_deposit_gte_0"
            ),
            models.UniqueConstraint(
                fields=["country", "registration_number"],
                condition=~Q(registration_number=""),
                name="merchant_registration_uniq",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.legal_name} ({self.code})"


class Shop(models.Model):
    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="shops")
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=80, unique=True)
    markets = models.JSONField(default=list, blank=True)
    url = models.URLField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class ContactKind(models.TextChoices):
    LEGAL = "legal", _("Legal")
    QUALITY = "quality", _("Quality")
    AFTER_SALES = "after_sales", _("After-sales")
    EMERGENCY = "emergency", _("Emergency (recalls)")


class Contact(models.Model):
    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=20, choices=ContactKind.choices)
    name = models.CharField(max_length=100)
    phone = models.CharField(max_length=40)
    email = models.EmailField()
    validated = models.BooleanField(default=False)
    validated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["merchant", "kind"], name="contact_merchant_kind_uniq"),
            models.CheckConstraint(
                condition=Q(kind__in=ContactKind.values), name="contact_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"


class GrantStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RESTRICTED = "restricted", _("Restricted")


class MerchantCategory(models.Model):
    """A category the merchant may sell in. ``restricted`` when a required document lapsed."""

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="categories")
    category = models.ForeignKey("catalog.Category", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=20, choices=GrantStatus.choices, default=GrantStatus.ACTIVE
    )
    restricted_reason_code = models.CharField(max_length=50, blank=True)
    restricted_since = models.DateTimeField(null=True, blank=True)
    restricted_by_document_type = models.CharField(max_length=60, blank=True)
    granted_at = models.DateTimeField(default=timezone.now)
    application = models.ForeignKey(
        "merchants.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["merchant", "category"], name="merchant_category_uniq"),
            models.CheckConstraint(
                condition=Q(status__in=GrantStatus.values), name="merchant_category_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.merchant_id}:{self.category_id} {self.status}"


class MerchantBrand(models.Model):
    """A brand the merchant was approved to sell (its authorisation lives in catalog)."""

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="brands")
    brand = models.ForeignKey("catalog.Brand", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=20, choices=GrantStatus.choices, default=GrantStatus.ACTIVE
    )
    granted_at = models.DateTimeField(default=timezone.now)
    application = models.ForeignKey(
        "merchants.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["merchant", "brand"], name="merchant_brand_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.merchant_id}:{self.brand_id}"


class SupplierKind(models.TextChoices):
    FACTORY = "factory", _("Factory")
    DISTRIBUTOR = "distributor", _("Distributor")
    BRAND_OWNER = "brand_owner", _("Brand owner")


class Supplier(models.Model):
    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="supplier"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=SupplierKind.choices)
    country = models.CharField(max_length=2, default="CN")
    registration_number = models.CharField(max_length=40, blank=True)
    address = models.CharField(max_length=300, blank=True)
    certifications = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SupplierKind.values), name="supplier_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SupplierRelation(models.TextChoices):
    MANUFACTURES_FOR = "manufactures_for", _("Manufactures for the merchant")
    DISTRIBUTES_TO = "distributes_to", _("Distributes to the merchant")
    LICENSES_BRAND = "licenses_brand", _("Licenses a brand to the merchant")


class MerchantSupplier(models.Model):
    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="supplier_links")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="merchant_links")
    relation = models.CharField(max_length=20, choices=SupplierRelation.choices)
    since = models.DateField()
    until = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["merchant", "supplier", "relation", "since"], name="merchant_supplier_uniq"
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="merchant_supplier_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.merchant_id} <- {self.supplier_id} ({self.relation})"
