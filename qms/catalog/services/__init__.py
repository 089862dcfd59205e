"""Writes of the catalog context. Import from here: ``from qms.catalog import services``."""

from .brands import (
    create_brand,
    grant_brand_authorisation,
    reinstate_brand,
    revoke_brand_authorisation,
    suspend_brand,
    update_brand,
)
from .categories import (
    create_category,
    remove_category_requirement,
    set_category_requirement,
    update_category,
)
from .products import (
    clean_gtin,
    create_product,
    create_sku,
    delete_product,
    delete_sku,
    update_product,
    update_sku,
)
from .reference_data import REFERENCE_PATH, LoadReport, load_reference_catalog, read_reference_file

__all__ = [
    "REFERENCE_PATH",
    "LoadReport",
    "clean_gtin",
    "create_brand",
    "create_category",
    "create_product",
    "create_sku",
    "delete_product",
    "delete_sku",
    "grant_brand_authorisation",
    "load_reference_catalog",
    "read_reference_file",
    "reinstate_brand",
    "remove_category_requirement",
    "revoke_brand_authorisation",
    "set_category_requirement",
    "suspend_brand",
    "update_brand",
    "update_category",
    "update_product",
    "update_sku",
]
