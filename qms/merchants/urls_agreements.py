"""Agreement, standing and re-verification pages, added to the ``merchants`` (console, under
/console/merchants/) and ``portal`` (under /portal/) namespaces next to the onboarding pages.

``config/urls.py`` includes ``console`` and ``portal`` (each: the pages of ``urls.py`` or
``urls_portal.py`` plus these), so every merchants page keeps the app's namespaces.
"""

from django.urls import URLPattern, path

from . import urls as console_urls
from . import urls_portal
from . import views_agreements as agreements
from . import views_standing as standing

console_urlpatterns: list[URLPattern] = [
    path("agreements/", agreements.template_list, name="agreement_list"),
    path("agreements/new/", agreements.template_create, name="agreement_create"),
    path("agreements/<int:template_id>/", agreements.template_detail, name="agreement_detail"),
    path(
        "agreements/<int:template_id>/publish/",
        agreements.template_publish,
        name="agreement_publish",
    ),
    path("agreements/<int:template_id>/coverage/", agreements.coverage, name="agreement_coverage"),
    path("<int:merchant_id>/standing/", standing.standing_panel, name="standing_panel"),
    path("reverifications/", standing.reverification_queue, name="reverification_queue"),
    path(
        "reverifications/<int:task_id>/complete/",
        standing.reverification_complete,
        name="reverification_complete",
    ),
]

portal_urlpatterns: list[URLPattern] = [
    path("agreement/", agreements.portal_agreement, name="agreement"),
]

console = ([*console_urls.urlpatterns, *console_urlpatterns], "merchants")
portal = ([*urls_portal.urlpatterns, *portal_urlpatterns], "portal")
