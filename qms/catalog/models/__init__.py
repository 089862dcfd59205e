from .brand import Brand, BrandAuthorisation
from .category import Category, CategoryDocumentRequirement
from .product import Product, Sku

__all__ = [
    "Brand",
    "BrandAuthorisation",
    "Category",
    "CategoryDocumentRequirement",
    "Product",
    "Sku",
]
