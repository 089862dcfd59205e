"""Django admin for the catalog. Read-mostly: changes should go through the console/API so
they are audited; the admin is for inspection and emergencies."""

from __future__ import annotations

from django.contrib import admin

from .models import Brand, BrandAuthorisation, Category, CategoryDocumentRequirement, Product, Sku


class RequirementInline(admin.TabularInline):
    model = CategoryDocumentRequirement
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name_zh",
        "name_en",
        "risk_level",
        "deposit_amount",
        "currency",
        "is_active",
        "sort_order",
    )
    list_filter = ("risk_level", "is_active")
    search_fields = ("code", "name_en", "name_zh")
    raw_id_fields = ("parent",)
    inlines = [RequirementInline]


@admin.register(CategoryDocumentRequirement)
class CategoryDocumentRequirementAdmin(admin.ModelAdmin):
    list_display = ("category", "market", "document_type_code", "mandatory")
    list_filter = ("market", "document_type_code", "mandatory")
    search_fields = ("category__code", "document_type_code")


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ("name", "name_zh", "owner_name", "trademark_no", "trademark_country", "status")
    list_filter = ("status", "trademark_country")
    search_fields = ("name", "name_zh", "owner_name", "trademark_no")
    raw_id_fields = ("owner_org",)


@admin.register(BrandAuthorisation)
class BrandAuthorisationAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "brand",
        "grantor_org",
        "grantor_name",
        "grantee_org",
        "valid_from",
        "valid_to",
        "status",
    )
    list_filter = ("status",)
    search_fields = ("brand__name", "grantor_name", "grantee_org__name")
    raw_id_fields = ("brand", "parent", "grantor_org", "grantee_org", "created_by")


class SkuInline(admin.TabularInline):
    model = Sku
    extra = 0
    raw_id_fields = ("merchant_org",)


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("name", "merchant_org", "category", "brand", "created_at")
    search_fields = ("name", "name_en", "skus__sku_code", "skus__gtin")
    raw_id_fields = ("merchant_org", "supplier_org", "category", "brand")
    inlines = [SkuInline]


@admin.register(Sku)
class SkuAdmin(admin.ModelAdmin):
    list_display = ("sku_code", "gtin", "product", "merchant_org", "is_active")
    search_fields = ("sku_code", "gtin", "gtin14")
    raw_id_fields = ("product", "merchant_org")
