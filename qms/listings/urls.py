"""Staff console pages under /console/listings/ (namespace ``listings``)."""

from django.urls import path

from . import views, views_rules

app_name = "listings"
urlpatterns = [
    path("", views.listing_list, name="listing_list"),
    path("queue/", views.queue, name="queue"),
    path("tasks/<int:task_id>/", views.task_detail, name="task_detail"),
    path("tasks/<int:task_id>/claim/", views.task_claim, name="task_claim"),
    path("tasks/<int:task_id>/release/", views.task_release, name="task_release"),
    path("tasks/<int:task_id>/decide/", views.task_decide, name="task_decide"),
    path("rules/", views_rules.rule_list, name="rule_list"),
    path("rules/performance/", views_rules.rule_performance, name="rule_performance"),
    path("rules/<str:rule_id>/", views_rules.rule_detail, name="rule_detail"),
    path("rescans/", views.rescan_list, name="rescan_list"),
    path("rescans/announce/", views.announce, name="announce"),
    path("rescans/<int:job_id>/", views.rescan_detail, name="rescan_detail"),
    path("rescans/<int:job_id>/progress/", views.rescan_progress, name="rescan_progress"),
    path("<int:listing_id>/", views.listing_detail, name="listing_detail"),
]
