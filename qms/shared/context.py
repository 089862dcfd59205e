"""Per-request context (request id, client address) for audit rows written deep in services."""

from __future__ import annotations

import contextvars
import uuid

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("qms_request_id", default="")
client_ip_var: contextvars.ContextVar[str] = contextvars.ContextVar("qms_client_ip", default="")


def current_request_id() -> str:
    return request_id_var.get()


def current_client_ip() -> str:
    return client_ip_var.get()


def new_request_id() -> str:
    return uuid.uuid4().hex
