"""Listings and their versions. Every edit is a new version; the live one stays live until a
newer one is approved. Text is stored exactly as the merchant wrote it (HTML included) and
escaped on display."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..domain.review_states import ListingState, VersionState

VERDICTS = ("approve", "reject", "review")


class Listing(models.Model):
    merchant_org = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="listings"
    )
    merchant = models.ForeignKey(
        "merchants.Merchant", on_delete=models.PROTECT, related_name="listings"
    )
    external_id = models.CharField(_("your id"), max_length=100, blank=True)
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sku = models.ForeignKey(
        "catalog.Sku", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    category = models.ForeignKey("catalog.Category", on_delete=models.PROTECT, related_name="+")
    brand = models.ForeignKey(
        "catalog.Brand", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    markets = models.JSONField(_("markets"), default=list)
    gtin = models.CharField(_("GTIN"), max_length=14, blank=True)
    live_version = models.ForeignKey(
        "listings.ListingVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    latest_version = models.ForeignKey(
        "listings.ListingVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(
        max_length=20,
        choices=[(s.value, s.value) for s in ListingState],
        default=ListingState.PENDING.value,
    )
    # Set when the platform takes the listing down: every new version then goes to a reviewer,
    # even without a rule hit, until a reviewer approves one (or an appeal overturns it).
    review_hold = models.CharField(_("review hold"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["merchant_org", "-created_at", "-id"], name="listing_org_idx"),
            models.Index(fields=["state", "id"], name="listing_state_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in ListingState]), name="listing_state_valid"
            ),
            models.UniqueConstraint(
                fields=["merchant_org", "external_id"],
                condition=~Q(external_id=""),
                name="listing_external_id_uniq",
            ),
        ]

    def __str__(self) -> str:
        return f"L{self.pk}"


class ListingVersion(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=300)
    # the title folded against evasion (qms.listings.domain.normalise.fold): duplicate search
    title_key = models.CharField(max_length=300, blank=True, db_index=True)
    # near-duplicate search (qms.listings.domain.similarity): the title's 64-bit SimHash stored
    # as a signed bigint (0 for a title that folds to nothing) and its 4 bands of 16 bits
    title_fingerprint = models.BigIntegerField(default=0)
    title_band0 = models.PositiveIntegerField(default=0)
    title_band1 = models.PositiveIntegerField(default=0)
    title_band2 = models.PositiveIntegerField(default=0)
    title_band3 = models.PositiveIntegerField(default=0)
    description = models.TextField(_("description"), blank=True)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    images = models.JSONField(_("images"), default=list, blank=True)
    price = models.DecimalField(_("price"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    state = models.CharField(
        max_length=20,
        choices=[(s.value, s.value) for s in VersionState],
        default=VersionState.SUBMITTED.value,
    )
    verdict = models.CharField(max_length=10, blank=True)  # the machine's verdict
    hits = models.JSONField(default=list, blank=True)
    skipped_rules = models.JSONField(default=list, blank=True)
    risk_score = models.PositiveSmallIntegerField(default=0)
    checked_at = models.DateTimeField(null=True, blank=True)
    reason_codes = models.JSONField(default=list, blank=True)  # the human decision's reasons
    decision_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    first_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["listing_id", "-number"]
        indexes = [
            models.Index(fields=["state", "created_at"], name="lversion_state_idx"),
            models.Index(fields=["title_band0"], name="lversion_band0_idx"),
            models.Index(fields=["title_band1"], name="lversion_band1_idx"),
            models.Index(fields=["title_band2"], name="lversion_band2_idx"),
            models.Index(fields=["title_band3"], name="lversion_band3_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["listing", "number"], name="lversion_number_uniq"),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in VersionState]),
                name="lversion_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(verdict__in=["", *VERDICTS]), name="lversion_verdict_valid"
            ),
            models.CheckConstraint(condition=Q(risk_score__lte=100), name="lversion_risk_range"),
            models.CheckConstraint(
                condition=Q(title_band0__lte=0xFFFF)
                & Q(title_band1__lte=0xFFFF)
                & Q(title_band2__lte=0xFFFF)
                & Q(title_band3__lte=0xFFFF),
                name="lversion_title_band_range",
            ),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=0), name="lversion_price_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return f"L{self.listing_id} v{self.number}"

    def as_check_input(self, *, market: str) -> dict[str, object]:
        """The version in the listing batch format (what the rule engine reads)."""
        listing = self.listing
        return {
            "id": str(listing.pk),
            "market": market,
            "category": listing.category.code,
            "title": self.title,
            "description": self.description,
            "attributes": dict(self.attributes or {}),
            "brand": listing.brand.name if listing.brand is not None else "",
            "gtin": listing.gtin,
            "price": str(self.price) if self.price is not None else None,
            "currency": self.currency,
        }


class ListingStatusChange(models.Model):
    """One row per state change of a version (the history shown to merchant and reviewer)."""

    version = models.ForeignKey(ListingVersion, on_delete=models.CASCADE, related_name="history")
    from_state = models.CharField(max_length=20)
    to_state = models.CharField(max_length=20)
    action = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.version_id}: {self.from_state} -> {self.to_state}"


class ListingImage(models.Model):
    """An image a merchant uploaded, stored by content, with its perceptual hash."""

    merchant_org = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=200)  # storage name
    sha256 = models.CharField(max_length=64)
    phash = models.CharField(max_length=16, blank=True)
    mime = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    original_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["merchant_org", "sha256"], name="limage_sha_uniq")
        ]
        indexes = [models.Index(fields=["phash"], name="limage_phash_idx")]

    def __str__(self) -> str:
        return self.original_name or self.sha256[:12]

    def ref(self) -> dict[str, object]:
        return {
            "id": self.pk,
            "name": self.name,
            "sha256": self.sha256,
            "phash": self.phash,
            "mime": self.mime,
            "width": self.width,
            "height": self.height,
        }


class ListingHit(models.Model):
    """One rule hit of a submitted version, per rule and market: what the rule-performance
    figures count (how often a rule fires, how often reviewers overrule it). Written when a
    submission is checked; ``ListingVersion.hits`` keeps the full detail (spans, messages)."""

    version = models.ForeignKey(ListingVersion, on_delete=models.CASCADE, related_name="+")
    merchant_org = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    rule_id = models.CharField(max_length=120)
    kind = models.CharField(max_length=40)
    market = models.CharField(max_length=2)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_at", "rule_id"], name="listing_hit_when_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "rule_id", "market"], name="listing_hit_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule_id}@{self.version_id}"
