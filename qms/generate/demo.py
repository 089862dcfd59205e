"""Demo logins: one person per role, with memorable passwords, attached to generated data."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from qms.accounts.domain.roles import OrgKind, Role
from qms.accounts.models import Membership, Organisation, User
from qms.accounts.services import add_membership, create_organisation, create_user
from qms.merchants.models import Application, Merchant

from .demo_listing_drafts import listable

PLATFORM_ORG = "Marketplace Quality Team 平台质量部"
LAB_ORG = "Shenzhen Product Testing Lab 深圳产品检测实验室"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    what: str


# (username, role, organisation kind, what the person can try)
PEOPLE: tuple[tuple[str, Role | None, str, str], ...] = (
    ("admin", Role.ADMIN, "platform", "everything, user and token management"),
    ("quality", Role.QUALITY_MANAGER, "platform", "standing, agreements, categories"),
    ("reviewer", Role.REVIEWER, "platform", "the application, document and listing review queues"),
    ("approver", Role.QUALITY_MANAGER, "platform", "second approval of high-risk applications"),
    ("inspector", Role.INSPECTOR, "platform", "read-only merchants, catalogue, documents"),
    ("auditor", Role.AUDITOR, "platform", "the audit trail and exports"),
    ("support", Role.CS_AGENT, "platform", "customer service view of merchants"),
    ("lab", Role.LAB_USER, "lab", "the testing laboratory's view"),
    ("applicant", Role.MERCHANT_OWNER, "pending", "a merchant whose application awaits review"),
    ("merchant", Role.MERCHANT_OWNER, "active", "an active merchant's portal and its listings"),
    ("staff", Role.MERCHANT_STAFF, "active", "a merchant employee (no signing)"),
    ("consumer", None, "none", "a shopper with no organisation"),
)


def password_for(username: str) -> str:
    return f"{username}-demo-2026"


def _org(kind: str, name: str) -> Organisation:
    org = Organisation.objects.filter(kind=kind, name=name).first()
    return org or create_organisation(actor=None, kind=kind, name=name)


def _merchant_org(state: str) -> Organisation | None:
    """The organisation of a generated merchant: ``pending`` (application submitted) or
    ``active`` (approved, active standing, with a shop, able to sell in a granted category)."""
    if state == "pending":
        app = (
            Application.objects.filter(state="submitted", merchant__country="CN")
            .select_related("merchant__organisation")
            .order_by("id")
            .first()
        )
        return app.merchant.organisation if app else None
    kept = (
        Membership.objects.filter(user__username="merchant", role=Role.MERCHANT_OWNER.value)
        .select_related("organisation")
        .first()
    )
    if kept is not None:  # a demo database from before: the login keeps its merchant
        return kept.organisation
    active = list(
        Merchant.objects.filter(standing="active", country="CN", shops__isnull=False)
        .select_related("organisation")
        .distinct()
        .order_by("id")
    )
    # the one with the most texts it may list (agreement signed, documents held), so that the
    # demo shows live listings of it; the first one when none may sell
    merchant = max(active, key=lambda m: (listable(m), -m.pk), default=None)
    return merchant.organisation if merchant else None


@transaction.atomic
def ensure_demo_logins() -> list[DemoLogin]:
    """Create (or find) the demo people. Idempotent; passwords are reset to the memorable one."""
    orgs: dict[str, Organisation | None] = {
        "platform": _org(OrgKind.PLATFORM, PLATFORM_ORG),
        "lab": _org(OrgKind.LAB, LAB_ORG),
        "pending": _merchant_org("pending"),
        "active": _merchant_org("active"),
        "none": None,
    }
    out: list[DemoLogin] = []
    for username, role, where, what in PEOPLE:
        password = password_for(username)
        user = User.objects.filter(username=username).first()
        if user is None:
            user = create_user(
                actor=None,
                username=username,
                email=f"{username}@qms-demo.example",
                password=password,
                display_name=username.capitalize(),
                preferred_language="en",
                check_password=False,
            )
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
        org = orgs[where]
        label = role.value if role else "consumer"
        if role is not None and org is not None:
            if not Membership.objects.filter(user=user, organisation=org, role=role.value).exists():
                add_membership(actor=None, user=user, organisation=org, role=role)
            if role is Role.ADMIN and not user.is_superuser:
                user.is_staff = user.is_superuser = True
                user.save(update_fields=["is_staff", "is_superuser"])
            what = f"{what} ({org.name})" if where in {"pending", "active"} else what
        elif role is not None:
            continue  # no generated merchant of that kind (an empty database)
        out.append(DemoLogin(username=username, password=password, role=label, what=what))
    return out


def logins_table(logins: list[DemoLogin], url: str) -> str:
    width_u = max(len(x.username) for x in logins)
    width_p = max(len(x.password) for x in logins)
    width_r = max(len(x.role) for x in logins)
    lines = [
        f"qms demo: {url}",
        "",
        f"{'user':<{width_u}}  {'password':<{width_p}}  {'role':<{width_r}}  what to try",
        f"{'-' * width_u}  {'-' * width_p}  {'-' * width_r}  {'-' * 11}",
    ]
    lines += [
        f"{x.username:<{width_u}}  {x.password:<{width_p}}  {x.role:<{width_r}}  {x.what}"
        for x in logins
    ]
    return "\n".join(lines)
