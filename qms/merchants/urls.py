"""Staff console pages under /console/merchants/ (namespace ``merchants``)."""

from django.urls import path

from . import views_console as views

app_name = "merchants"
urlpatterns = [
    path("", views.merchant_list, name="merchant_list"),
    path("<int:merchant_id>/", views.merchant_detail, name="merchant_detail"),
    path("<int:merchant_id>/trader-info/verify/", views.trader_verify, name="trader_verify"),
    path("applications/", views.application_queue, name="application_queue"),
    path("applications/<int:application_id>/", views.application_review, name="application_review"),
    path(
        "applications/<int:application_id>/<str:action>/",
        views.application_action,
        name="application_action",
    ),
]
