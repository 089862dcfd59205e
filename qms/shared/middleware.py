"""Request id and idempotency for every request."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .context import client_ip_var, new_request_id, request_id_var
from .models import IdempotencyRecord
from .problems import problem_response

REQUEST_ID_HEADER = "X-Request-ID"


class RequestIdMiddleware:
    """Gives every request an id (or keeps a sane one sent by a proxy) and echoes it back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        rid = incoming if incoming.isascii() and 8 <= len(incoming) <= 64 else new_request_id()
        request.request_id = rid  # type: ignore[attr-defined]
        token = request_id_var.set(rid)
        ip_token = client_ip_var.set(request.META.get("REMOTE_ADDR", ""))
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
            client_ip_var.reset(ip_token)
        response[REQUEST_ID_HEADER] = rid
        return response


def _caller_scope(request: HttpRequest) -> str | None:
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        return "t:" + hashlib.sha256(auth[7:].strip().encode()).hexdigest()[:64]
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if session_key:
        return "s:" + hashlib.sha256(session_key.encode()).hexdigest()[:64]
    return None


class IdempotencyMiddleware:
    """``Idempotency-Key`` on POST under ``/api/``: a retried request is answered, not redone.

    The key is reserved in its own short transaction before the view runs, so two concurrent
    requests with one key cannot both run: the second gets 409 ``idempotency_in_progress``.
    Only responses below 500 are stored; a server error frees the key for a retry.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get("Idempotency-Key")
        if request.method != "POST" or not key or not request.path.startswith("/api/"):
            return self.get_response(request)
        if len(key) > 200 or not key.isascii():
            return problem_response(
                status=422,
                code="idempotency_key_invalid",
                title="Invalid Idempotency-Key",
                detail="The Idempotency-Key header must be at most 200 ASCII characters.",
            )
        scope = _caller_scope(request)
        if scope is None:
            return self.get_response(request)
        body_hash = hashlib.sha256(request.body).hexdigest()
        cutoff = timezone.now() - timedelta(hours=settings.QMS_IDEMPOTENCY_TTL_HOURS)
        IdempotencyRecord.objects.filter(scope=scope, key=key, created_at__lt=cutoff).delete()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    scope=scope,
                    key=key,
                    method=request.method,
                    path=request.path,
                    request_hash=body_hash,
                )
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
            if existing is None:  # removed between our insert and read: treat as in progress
                return self._in_progress(key)
            if existing.request_hash != body_hash or existing.path != request.path:
                return problem_response(
                    status=422,
                    code="idempotency_key_reused",
                    title="Idempotency-Key reused with a different request",
                    detail=(
                        "This Idempotency-Key was already used for another request body or path."
                    ),
                    key=key,
                )
            if existing.status_code is None:
                return self._in_progress(key)
            replay = HttpResponse(
                bytes(existing.response_body or b""),
                status=existing.status_code,
                content_type=existing.content_type or "application/json",
            )
            replay["Idempotent-Replayed"] = "true"
            return replay
        response = self.get_response(request)
        if response.status_code >= 500 or getattr(response, "streaming", False):
            record.delete()
        else:
            IdempotencyRecord.objects.filter(pk=record.pk).update(
                status_code=response.status_code,
                response_body=response.content,
                content_type=response.get("Content-Type", ""),
            )
        return response

    @staticmethod
    def _in_progress(key: str) -> HttpResponse:
        return problem_response(
            status=409,
            code="idempotency_in_progress",
            title="A request with this Idempotency-Key is still running",
            detail="Wait for the first request to finish, then retry.",
            key=key,
        )
