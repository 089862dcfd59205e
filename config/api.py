"""The one NinjaAPI. Each context contributes a Router; errors are RFC 9457 problem details."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from qms.accounts.api import router as accounts_router
from qms.accounts.auth import api_auth
from qms.shared.errors import DomainError
from qms.shared.problems import domain_error_response, problem_response

api = NinjaAPI(
    title="qms API",
    version="1",
    description=(
        "Quality management for e-commerce marketplaces. Authenticate with "
        "`Authorization: Bearer <token>` (issue one under /api/v1/accounts/tokens or in the "
        "console). Errors are RFC 9457 problem details with a stable `code`. Lists use cursor "
        "pagination (`cursor`, `limit`; follow `next_cursor`). POST accepts `Idempotency-Key`."
    ),
    auth=api_auth,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return domain_error_response(request, exc)


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {
            "loc": [str(p) for p in e.get("loc", [])],
            "msg": e.get("msg", ""),
            "type": e.get("type", ""),
        }
        for e in exc.errors
    ]
    first = errors[0] if errors else {"loc": [], "msg": "invalid"}
    where = ".".join(first["loc"][1:] or first["loc"]) or "request"
    return problem_response(
        status=422,
        code="validation_failed",
        title="The input is not valid",
        detail=f"{where}: {first['msg']}",
        instance=request.path,
        errors=errors,
    )


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(
        status=401,
        code="not_authenticated",
        title="Authentication required",
        detail="Send `Authorization: Bearer <token>` or log in.",
        instance=request.path,
    )


@api.exception_handler(OverflowError)
def _overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    # An id larger than the database's integers cannot name an existing object.
    return problem_response(
        status=404,
        code="not_found",
        title="Not found",
        detail="No object has this id.",
        instance=request.path,
    )


@api.exception_handler(DataError)
def _data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    return problem_response(
        status=422,
        code="value_out_of_range",
        title="The input is not valid",
        detail="A value is out of the range the database can store.",
        instance=request.path,
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(
        status=404,
        code="not_found",
        title="Not found",
        detail=str(exc) or "Not found.",
        instance=request.path,
    )


@api.exception_handler(DjangoPermissionDenied)
def _forbidden(request: HttpRequest, exc: DjangoPermissionDenied) -> HttpResponse:
    return problem_response(
        status=403,
        code="permission_denied",
        title="You may not do this",
        detail=str(exc) or "Permission denied.",
        instance=request.path,
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem_response(
        status=exc.status_code,
        code=f"http_{exc.status_code}",
        title=str(exc.message),
        detail=str(exc.message),
        instance=request.path,
    )


@csrf_exempt
def api_not_found(request: HttpRequest) -> HttpResponse:
    """Paths under /api/ that match no operation (or whose id is not a number)."""
    return problem_response(
        status=404,
        code="not_found",
        title="Not found",
        detail="No API operation at this path.",
        instance=request.path,
    )


api.add_router("/v1/accounts", accounts_router)
# Context routers are registered in config/api_routers.py so this file stays short.
from config.api_routers import register  # noqa: E402

register(api)
