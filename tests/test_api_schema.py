"""The whole API fuzzed from outside with schemathesis, as a platform admin and a merchant owner.

Each operation of the live OpenAPI document gets a handful of deterministic examples (valid and
invalid input) sent through the WSGI application. Checked on every response:
- no 5xx;
- a documented status code has the documented body and content type;
- every error (4xx) is an RFC 9457 problem (`application/problem+json`) with a snake_case `code`
  and the HTTP status repeated in `status`.

Failures name the operation and the input (schemathesis prints a reproducing curl command).
A third test sends every operation once without credentials: nothing is served, and the refusal
is a problem too. The whole file runs in about a minute on two workers.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from qms.accounts.domain.roles import Role
from qms.accounts.services import issue_token
from qms.shared.management.commands.export_openapi import openapi_document
from qms.testing.openapi import Operation, operations

# Examples per operation and phase; with ~2 phases and two callers this keeps the run near a minute.
# QMS_FUZZ_EXAMPLES=200 digs deeper into one area: pytest tests/test_api_schema.py -k rules
MAX_EXAMPLES = int(os.environ.get("QMS_FUZZ_EXAMPLES", "5"))
SEED = 20261125
PROBLEM_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


class ProblemDetailsError(AssertionError):
    """An error response that is not an RFC 9457 problem with a stable code."""


@schemathesis.check
def errors_are_problem_details(ctx: Any, response: Any, case: Any) -> bool | None:
    if response.status_code < 400:
        return None
    content_type = response.headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    where = f"{case.method.upper()} {case.formatted_path} -> {response.status_code}"
    if not content_type.startswith("application/problem+json"):
        raise ProblemDetailsError(
            f"{where}: error with Content-Type {content_type!r}, expected application/problem+json"
        )
    body = response.json()
    if not isinstance(body, dict) or not PROBLEM_CODE.match(str(body.get("code", ""))):
        raise ProblemDetailsError(f"{where}: problem without a snake_case `code`: {body!r}")
    if body.get("status") != response.status_code:
        raise ProblemDetailsError(
            f"{where}: problem `status` {body.get('status')!r} differs from the HTTP status"
        )
    return None


CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    errors_are_problem_details,
]


def _config() -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "suppress-health-check": ["all"],
            "generation": {
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
                "no-shrink": True,
            },
            "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        }
    )


@pytest.fixture
def in_process_wsgi(db: Any) -> Iterator[None]:
    """Requests share the test's transaction (as with django.test.Client): keep the connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _bearer(user: Any) -> dict[str, str]:
    _, secret = issue_token(actor=user, name="schemathesis", scopes=["read", "write"])
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def admin_headers(make_user: Any) -> dict[str, str]:
    return _bearer(make_user(Role.ADMIN, username="fuzz-admin"))


@pytest.fixture
def owner_headers(make_user: Any) -> dict[str, str]:
    return _bearer(make_user(Role.MERCHANT_OWNER, username="fuzz-owner"))


# Built at collection from the live document, so new operations are covered without edits.
DOCUMENT = openapi_document()
schema = schemathesis.openapi.from_dict(DOCUMENT, config=_config())
schema.app = get_wsgi_application()


@pytest.mark.slow
@schema.parametrize()
def test_api_as_platform_admin(
    case: Any, admin_headers: dict[str, str], in_process_wsgi: None
) -> None:
    case.call_and_validate(headers=admin_headers, checks=CHECKS)


@pytest.mark.slow
@schema.parametrize()
def test_api_as_merchant_owner(
    case: Any, owner_headers: dict[str, str], in_process_wsgi: None
) -> None:
    case.call_and_validate(headers=owner_headers, checks=CHECKS)


# Operations open to anonymous callers on purpose, with the reason.
PUBLIC_OPERATIONS: dict[tuple[str, str], str] = {
    ("POST", "/api/v1/merchants/register"): "merchant sign-up: creates the first account",
}


@pytest.mark.parametrize("op", operations(DOCUMENT), ids=lambda op: op.label)
def test_api_without_credentials_answers_a_problem(op: Operation, db: Any) -> None:
    """Nothing but the listed public operations is served without credentials: every other
    operation says 401 `not_authenticated` (no session means no CSRF question either)."""
    path = op.path.format(**dict.fromkeys(op.path_params, 1))
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, op.method.lower())(path)
    where = f"{op.method} {path} -> {response.status_code}"
    if (op.method, op.path) in PUBLIC_OPERATIONS:
        # An empty body reaches parsing and validation, not authentication.
        assert response.status_code in {400, 422}, where
        assert response["Content-Type"].startswith("application/problem+json"), where
        return
    assert response.status_code == 401, f"{where}: answered without credentials"
    assert response["Content-Type"].startswith("application/problem+json"), where
    if response.status_code == 401:
        assert response.json()["code"] == "not_authenticated", where
