"""Merchant portal pages under /portal/listings/ (namespace ``listings_portal``)."""

from django.urls import path

from . import views_portal as views
from . import views_rules

app_name = "listings_portal"
urlpatterns = [
    path("", views.my_listings, name="list"),
    path("new/", views.create, name="create"),
    path("bulk/", views.bulk, name="bulk"),
    path("rules/", views_rules.portal_rules, name="rules"),
    path("<int:listing_id>/", views.detail, name="detail"),
    path("<int:listing_id>/edit/", views.edit, name="edit"),
    path("<int:listing_id>/withdraw/", views.withdraw, name="withdraw"),
    path("versions/<int:version_id>/appeal/", views.appeal, name="appeal"),
]
