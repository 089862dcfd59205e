"""RFC 9457 problem details: the one error shape of the API."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse

from .context import current_request_id
from .errors import DomainError

PROBLEM_TYPE_BASE = "https://qms.dev/problems/"
PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem_body(
    *, status: int, code: str, title: str, detail: str, instance: str = "", **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code.replace("_", "-"),
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if instance:
        body["instance"] = instance
    rid = current_request_id()
    if rid:
        body["request_id"] = rid
    body.update({k: v for k, v in extra.items() if k not in body})
    return body


def problem_response(
    *, status: int, code: str, title: str, detail: str, instance: str = "", **extra: Any
) -> HttpResponse:
    body = problem_body(
        status=status, code=code, title=title, detail=detail, instance=instance, **extra
    )
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, default=str),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    if status == 429 and "retry_after" in extra:
        response["Retry-After"] = str(extra["retry_after"])
    return response


def domain_error_response(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return problem_response(
        status=exc.status,
        code=exc.code,
        title=exc.title,
        detail=exc.message,
        instance=request.path,
        **exc.details,
    )
