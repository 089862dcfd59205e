"""Django admin for listings: read-only inspection. Every change goes through the services
(console, portal, API) so it is checked, audited and notified."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    Appeal,
    Listing,
    ListingImage,
    ListingStatusChange,
    ListingVersion,
    RescanFinding,
    RescanJob,
    ReviewTask,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Listing)
class ListingAdmin(ReadOnlyAdmin):
    list_display = ("id", "merchant_org", "category", "state", "live_version", "created_at")
    list_filter = ("state",)
    search_fields = ("external_id", "gtin")
    raw_id_fields = ("merchant_org", "merchant", "category", "brand", "product", "sku")


@admin.register(ListingVersion)
class ListingVersionAdmin(ReadOnlyAdmin):
    list_display = ("id", "listing", "number", "state", "verdict", "risk_score", "created_at")
    list_filter = ("state", "verdict")
    search_fields = ("title",)


@admin.register(ReviewTask)
class ReviewTaskAdmin(ReadOnlyAdmin):
    list_display = ("id", "version", "kind", "state", "risk_score", "claimed_by", "decision")
    list_filter = ("kind", "state", "decision")


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ("id", "version", "state", "created_at")
    list_filter = ("state",)


@admin.register(RescanJob)
class RescanJobAdmin(ReadOnlyAdmin):
    list_display = ("id", "reason", "state", "processed", "total", "flagged", "created_at")


@admin.register(RescanFinding)
class RescanFindingAdmin(ReadOnlyAdmin):
    list_display = ("id", "job", "listing", "state", "due_at")
    list_filter = ("state",)


admin.site.register(ListingStatusChange, ReadOnlyAdmin)
admin.site.register(ListingImage, ReadOnlyAdmin)
