"""Merchant portal pages under /portal/ (namespace ``portal``)."""

from django.urls import path

from . import views_portal as views
from .views_register import register

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("register/", register, name="register"),
    path("application/", views.application, name="application"),
    path("application/<str:section>/", views.application_section, name="application_section"),
    path("check-registration/", views.check_registration, name="check_registration"),
]
