"""A URL configuration where every page the navigation names exists, plus views that raise
domain errors: the shell is tested without depending on the other contexts' progress."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, include, path

from qms.shared.errors import Conflict, NotFound, PermissionDenied

NAMES = {
    "catalog": ["category_list", "brand_list", "product_list"],
    "merchants": ["merchant_list", "application_queue", "agreement_list", "reverification_queue"],
    "documents": ["review_queue", "expiring", "my_documents"],
    "audit": ["list"],
    "notifications": ["inbox"],
    "portal": ["home", "application", "agreement"],
    "listings": ["listing_list", "queue", "rescan_list"],
    "listings_portal": ["list"],
    "accounts": ["users", "team", "tokens"],
}
PREFIX = {
    "catalog": "console/catalog/",
    "merchants": "console/merchants/",
    "documents": "console/documents/",
    "audit": "console/audit/",
    "notifications": "notifications/",
    "portal": "portal/",
    "listings": "console/listings/",
    "listings_portal": "portal/listings/",
    "accounts": "accounts/",
}


def page(request: HttpRequest) -> HttpResponse:
    return render(request, "web/account.html", {"memberships": []})


def raise_not_found(request: HttpRequest) -> HttpResponse:
    raise NotFound("No such merchant.", code="merchant_not_found")


def raise_denied(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("Your role does not allow this action.")


def raise_conflict(request: HttpRequest) -> HttpResponse:
    raise Conflict(
        "Another reviewer decided this application a moment ago.", code="already_decided"
    )


def _namespace(ns: str) -> URLResolver:
    # The first name of each namespace lives at its prefix, the rest below it, so that
    # /console/merchants/application-queue/ is "under" /console/merchants/.
    patterns = [
        path("" if i == 0 else f"{n.replace('_', '-')}/", page, name=n)
        for i, n in enumerate(NAMES[ns])
    ]
    return path(PREFIX[ns], include((patterns, ns)))


urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("errors/not-found/", raise_not_found),
    path("errors/denied/", raise_denied),
    path("errors/conflict/", raise_conflict),
    *[_namespace(ns) for ns in NAMES],
    path("", include("qms.web.urls")),
]
