"""Domain errors that escape a page view become proper error pages.

Views should catch ``DomainError`` where they can show the message next to the form. What
escapes is turned into the matching page instead of a server error: ``NotFound`` -> 404,
``PermissionDenied`` -> 403, ``NotAuthenticated`` -> the sign-in page, any other domain
error -> an error page with its message and status. The API (``/api/``) answers with problem
details on its own and is left alone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from qms.shared.errors import DomainError, NotAuthenticated, NotFound, PermissionDenied


class DomainErrorPagesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not isinstance(exc, DomainError) or request.path.startswith("/api/"):
            return None
        if isinstance(exc, NotFound):
            return render(request, "404.html", {"domain_message": exc.message}, status=404)
        if isinstance(exc, PermissionDenied):
            return render(request, "403.html", {"domain_message": exc.message}, status=403)
        if isinstance(exc, NotAuthenticated):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return render(request, "web/error.html", {"error": exc}, status=exc.status)
