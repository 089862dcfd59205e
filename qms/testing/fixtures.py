"""Shared pytest fixtures, importable by every context's tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from qms.accounts.domain.roles import OrgKind, Role
from qms.accounts.models import Organisation, User
from qms.accounts.services import add_membership, create_organisation, create_user, issue_token

# Every user made by `make_user` has this password (the browser tests log in with it).
TEST_PASSWORD = "correct horse battery"  # noqa: S105


class ApiClient:
    """A test client that speaks JSON with a bearer token, like an outside caller."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def _call(
        self,
        method: str,
        path: str,
        data: Any = None,
        headers: dict[str, str] | None = None,
        **kw: Any,
    ) -> Any:
        extra = dict(self.headers)
        for k, v in (headers or {}).items():
            extra["HTTP_" + k.upper().replace("-", "_")] = v
        fn = getattr(self.client, method)
        if (
            method in {"post", "put", "patch"}
            and "content_type" not in kw
            and not kw.get("multipart")
        ):
            kw["content_type"] = "application/json"
        kw.pop("multipart", None)
        if data is None:
            return fn(path, **extra, **kw)
        return fn(path, data, **extra, **kw)

    def get(self, path: str, **kw: Any) -> Any:
        return self._call("get", path, kw.pop("params", None), **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> Any:
        return self._call("post", path, json if json is not None else {}, **kw)

    def put(self, path: str, json: Any = None, **kw: Any) -> Any:
        return self._call("put", path, json if json is not None else {}, **kw)

    def patch(self, path: str, json: Any = None, **kw: Any) -> Any:
        return self._call("patch", path, json if json is not None else {}, **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self._call("delete", path, None, **kw)


@pytest.fixture
def platform_org(db: Any) -> Organisation:
    return Organisation.objects.get_or_create(kind=OrgKind.PLATFORM.value, name="Platform QA")[0]


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    counter = {"n": 0}

    def _make(
        role: Role | str | None = None,
        organisation: Organisation | None = None,
        username: str | None = None,
        **kw: Any,
    ) -> User:
        counter["n"] += 1
        name = username or f"user{counter['n']}"
        user = create_user(
            actor=None,
            username=name,
            email=f"{name}@example.com",
            password=TEST_PASSWORD,
            check_password=False,
            **kw,
        )
        if role is not None:
            role = Role(role)
            org = organisation
            if org is None:
                from qms.accounts.domain.roles import ROLE_ORG_KIND

                kind = ROLE_ORG_KIND[role]
                org = (
                    Organisation.objects.get_or_create(kind=kind.value, name="Platform QA")[0]
                    if kind is OrgKind.PLATFORM
                    else create_organisation(actor=None, kind=kind, name=f"{name} org")
                )
            add_membership(actor=None, user=user, organisation=org, role=role)
        return user

    return _make


@pytest.fixture
def api_client_for() -> Callable[..., ApiClient]:
    def _for(user: User | None, scopes: list[str] | None = None) -> ApiClient:
        if user is None:
            return ApiClient(None)
        _, secret = issue_token(actor=user, name="test", scopes=scopes)
        return ApiClient(secret)

    return _for


@pytest.fixture
def admin_user(make_user: Callable[..., User]) -> User:
    return make_user(Role.ADMIN, username="admin")


@pytest.fixture
def reviewer(make_user: Callable[..., User]) -> User:
    return make_user(Role.REVIEWER, username="reviewer")
