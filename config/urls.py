from django.conf import settings
from django.conf.urls.static import static
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.generic import RedirectView

from config.api import api, api_not_found
from qms.merchants import urls_agreements as merchant_pages

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/", RedirectView.as_view(url="/api/docs", permanent=False)),
    path("api/", api.urls),
    # Anything else under /api/ is a problem-details 404, never an HTML page.
    re_path(r"^api/", api_not_found),
    path("i18n/", include("django.conf.urls.i18n")),
    path("console/audit/", include("qms.shared.urls_audit")),
    path("notifications/", include("qms.shared.urls_notifications")),
    path("", include("qms.documents.urls")),
    path("console/catalog/", include("qms.catalog.urls")),
    path("shops/", include("qms.merchants.urls_public")),
    # onboarding pages (qms.merchants.urls, .urls_portal) plus agreements/standing pages
    path("console/merchants/", include(merchant_pages.console)),
    path("console/listings/", include("qms.listings.urls")),
    path("portal/listings/", include("qms.listings.urls_portal")),
    path("portal/", include(merchant_pages.portal)),
    path("", include("qms.accounts.urls")),
    path("", include("qms.web.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
