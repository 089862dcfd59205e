"""Public pages under /shops/ (namespace ``shops``): no login."""

from django.urls import path

from . import views_public as views

app_name = "shops"
urlpatterns = [
    path("<slug:slug>/", views.shop_page, name="shop"),
]
