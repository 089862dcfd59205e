from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.category_list, name="category_list"),
    path("categories/<int:category_id>/", views.category_detail, name="category_detail"),
    path(
        "categories/<int:category_id>/requirements/", views.set_requirement, name="set_requirement"
    ),
    path(
        "categories/<int:category_id>/requirements/<int:requirement_id>/remove/",
        views.remove_requirement,
        name="remove_requirement",
    ),
    path("brands/", views.brand_list, name="brand_list"),
    path("brands/<int:brand_id>/", views.brand_detail, name="brand_detail"),
    path(
        "brands/<int:brand_id>/authorisations/<int:authorisation_id>/revoke/",
        views.revoke_authorisation,
        name="revoke_authorisation",
    ),
    path("products/", views.product_list, name="product_list"),
    path("products/<int:product_id>/", views.product_detail, name="product_detail"),
]
