"""``qms generate``, the demo logins, and the pieces of ``qms serve``."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from qms.accounts.models import Membership, User
from qms.generate.demo import PEOPLE, ensure_demo_logins, logins_table, password_for
from qms.generate.serving import child_commands, collectstatic_if_needed
from qms.merchants.models import Application, Merchant

pytestmark = pytest.mark.django_db


def test_generate_command_reports_what_it_wrote() -> None:
    out = StringIO()
    call_command(
        "generate",
        "--seed",
        "4",
        "--merchants",
        "6",
        "--as-of",
        "2026-11-25",
        "--no-progress",
        stdout=out,
    )
    text = out.getvalue()
    assert "rows in" in text
    assert "documents.Document" in text
    assert Merchant.objects.count() == 6


def test_demo_logins_cover_every_role_and_can_sign_in() -> None:
    call_command(
        "generate",
        "--seed",
        "42",
        "--merchants",
        "40",
        "--as-of",
        "2026-11-25",
        "--no-progress",
        stdout=StringIO(),
    )
    logins = ensure_demo_logins()
    assert [x.username for x in logins] == [p[0] for p in PEOPLE]
    for login in logins:
        assert Client().login(username=login.username, password=login.password)
    applicant_org = Membership.objects.get(user__username="applicant").organisation
    assert Application.objects.get(merchant__organisation=applicant_org).state == "submitted"
    merchant_org = Membership.objects.get(user__username="merchant").organisation
    assert Merchant.objects.get(organisation=merchant_org).standing == "active"
    assert Membership.objects.get(user__username="staff").organisation == merchant_org
    assert not Membership.objects.filter(user__username="consumer").exists()
    users = User.objects.count()
    assert len(ensure_demo_logins()) == len(logins)  # idempotent
    assert User.objects.count() == users
    table = logins_table(logins, "http://127.0.0.1:8123/")
    assert "http://127.0.0.1:8123/" in table
    assert password_for("reviewer") in table


DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@override_settings(TASKS=DB_TASKS)
def test_serve_starts_the_worker_and_the_scheduler() -> None:
    labels = {label: argv[-1] for label, argv in child_commands()}
    assert labels == {"task worker": "db_worker", "deadline scheduler": "run_scheduler"}


def test_static_files_are_collected_only_when_they_changed(tmp_path: Path) -> None:
    with override_settings(STATIC_ROOT=tmp_path / "static"):
        assert collectstatic_if_needed(lambda _msg: None) is True
        assert collectstatic_if_needed(lambda _msg: None) is False
        assert any((tmp_path / "static").rglob("*.js"))
