"""Brands and the chains of authorisation from a brand owner down to a merchant."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..domain.constants import AuthorisationStatus, BrandStatus


class Brand(models.Model):
    name = models.CharField(_("name"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    owner_name = models.CharField(_("brand owner"), max_length=300)
    owner_org = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_brands",
        verbose_name=_("owner organisation"),
    )
    trademark_no = models.CharField(_("trademark number"), max_length=60, blank=True)
    trademark_country = models.CharField(_("trademark country"), max_length=8, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=[(s.value, s.value) for s in BrandStatus],
        default=BrandStatus.ACTIVE.value,
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("brand")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="brand_name_ci_uniq"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in BrandStatus]), name="brand_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} / {self.name_zh}" if self.name_zh else self.name


class BrandAuthorisation(models.Model):
    """One link of a chain: the grantor lets ``grantee_org`` sell ``brand`` in ``markets``
    from ``valid_from`` to ``valid_to``. The root link (no ``parent``) is granted by the brand
    owner (``grantor_org`` or ``grantor_name``); every other link is granted by its parent's
    grantee. A link is only good while every link above it is good."""

    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="authorisations")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    grantor_org = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="brand_authorisations_granted",
    )
    grantor_name = models.CharField(_("grantor"), max_length=300, blank=True)
    grantee_org = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="brand_authorisations_received",
    )
    markets = models.JSONField(_("markets"), default=list)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    # Id of the documents.Document (brand_authorisation letter) proving this link. Not a
    # foreign key: documents is a higher layer than catalog.
    document_id = models.PositiveBigIntegerField(_("document"), null=True, blank=True)
    status = models.CharField(
        max_length=10,
        choices=[(s.value, s.value) for s in AuthorisationStatus],
        default=AuthorisationStatus.ACTIVE.value,
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["brand_id", "valid_from", "id"]
        verbose_name = _("brand authorisation")
        indexes = [
            models.Index(fields=["grantee_org", "brand"], name="brandauth_grantee_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="brandauth_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(status="active", revoked_at__isnull=True)
                | Q(status="revoked", revoked_at__isnull=False),
                name="brandauth_status_matches_revoked_at",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=False)
                | Q(grantor_org__isnull=False)
                | ~Q(grantor_name=""),
                name="brandauth_root_has_grantor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.brand} -> org #{self.grantee_org_id} ({', '.join(self.markets)})"

    @property
    def is_root(self) -> bool:
        return self.parent_id is None
