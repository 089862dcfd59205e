"""Cross-merchant isolation, swept over every API operation that names an object in its path.

For each such operation in the live OpenAPI document, merchant A's objects are made (through
the contexts' services), then merchant B's owner calls the operation on them and must get a
404 problem (another merchant's object does not exist for B), or a 403 when the operation is
platform-only (A's own owner gets 403 too). A then calls the same operation as the control: it
must not be a 404, so B's 404 is about scoping, not about a missing object. B's call writes no
row on A's audit trail, and nothing B is shown names merchant A. Operations on shared reference
data (`REFERENCE_PARAMS`: categories, brands, agreement texts) are not merchant-owned: there B
must get exactly what A gets, and a change is refused to both.

New operations are covered automatically when their path parameters are known below
(`BUILDERS`); an operation with a parameter nobody knows fails
`test_every_operation_with_a_path_parameter_is_swept_or_listed` until a builder is added or the
operation is listed in `NOT_CONSTRUCTED` with the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cached_property
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from qms.accounts.domain.roles import OrgKind, Role
from qms.accounts.models import User
from qms.accounts.services import add_membership, create_user, issue_token
from qms.shared.management.commands.export_openapi import openapi_document
from qms.shared.models import AuditEvent
from qms.shared.notifications import NotificationKind, register_kind
from qms.testing.fixtures import TEST_PASSWORD
from qms.testing.openapi import Operation, operations, request_body, required_query
from qms.testing.samples import pdf_bytes, uscc

DOCUMENT = openapi_document()
SAFE = {"GET", "HEAD", "OPTIONS"}


A_NAME = "Merchant A Sweep Ltd"  # must never appear in anything merchant B is shown


class World:
    """Merchant A (whose objects are made), merchant B (who probes them), platform staff.

    Merchants register as applicants (organisation, owner, pending merchant, draft application
    in one service call), as they do on the portal. Objects are made on first use only."""

    def __init__(self) -> None:
        from qms.accounts.models import Organisation

        self.admin = create_user(
            actor=None,
            username="sweep-admin",
            email="sa@example.com",
            password=TEST_PASSWORD,
            check_password=False,
        )
        platform = Organisation.objects.get_or_create(
            kind=OrgKind.PLATFORM.value, name="Platform QA"
        )[0]
        add_membership(actor=None, user=self.admin, organisation=platform, role=Role.ADMIN)
        self.a_merchant, self.a_application = self._register("a", A_NAME, 881001)
        self.b_merchant, _ = self._register("b", "Merchant B Sweep Ltd", 881002)
        self.a_org = self.a_merchant.organisation
        self.a_owner = User.objects.get(username="a-owner")
        self.b_owner = User.objects.get(username="b-owner")

    @staticmethod
    def _register(slug: str, name: str, serial: int) -> tuple[Any, Any]:
        from qms.merchants.services import register_merchant_applicant

        return register_merchant_applicant(
            organisation_name=name,
            username=f"{slug}-owner",
            email=f"{slug}@example.com",
            password=TEST_PASSWORD,
            legal_name=f"{name} (legal)",
            registration_number=uscc(serial),
            markets=["CN"],
        )

    # -- shared reference data (made by platform staff) --------------------------------------
    @cached_property
    def category_id(self) -> int:
        from qms.catalog.services import create_category

        return create_category(
            actor=self.admin, code="sweep_tea", name_en="Tea", name_zh="茶", risk_level="medium"
        ).pk

    @cached_property
    def requirement_id(self) -> int:
        from qms.catalog.services import set_category_requirement

        return set_category_requirement(
            actor=self.admin,
            category_id=self.category_id,
            market="CN",
            document_type_code="business_licence",
        ).pk

    @cached_property
    def brand_id(self) -> int:
        from qms.catalog.services import create_brand

        return create_brand(actor=self.admin, name="Sweep Leaf", owner_name="Sweep Leaf Co.").pk

    # -- merchant A's objects -----------------------------------------------------------------
    @cached_property
    def a_token_id(self) -> int:
        token, _ = issue_token(actor=self.a_owner, name="A's integration")
        return token.pk

    @cached_property
    def a_notification_id(self) -> int:
        from qms.shared.notifications import deliver

        (row_id,) = deliver(
            spec=SWEEP_NOTICE, user_ids=[self.a_owner.pk], context={}, dedupe_key="sweep:a-owner"
        )
        return row_id

    @cached_property
    def a_document_id(self) -> int:
        from qms.documents.services import upload_document

        return upload_document(
            actor=self.a_owner,
            organisation_id=self.a_org.pk,
            document_type_code="business_licence",
            number=uscc(777001),
            issued_on=dt.date(2024, 3, 1),
            issuer="SAMR Shanghai",
            file_name="licence.pdf",
            file_data=pdf_bytes("A's business licence"),
        ).pk

    @cached_property
    def a_shop_id(self) -> int:
        from qms.merchants.services import create_shop

        return create_shop(
            actor=self.a_owner, merchant_id=self.a_merchant.pk, name="A sweep shop", markets=["CN"]
        ).pk

    @cached_property
    def a_supplier_link_id(self) -> int:
        from qms.merchants.services import add_supplier

        return add_supplier(
            actor=self.a_owner,
            merchant_id=self.a_merchant.pk,
            name="A sweep factory",
            kind="factory",
            relation="manufactures_for",
            since=dt.date(2025, 1, 1),
        ).pk

    @cached_property
    def a_product_id(self) -> int:
        from qms.catalog.services import create_product

        return create_product(
            actor=self.a_owner,
            merchant_org_id=self.a_org.pk,
            category_id=self.category_id,
            name="A sweep tea",
            markets=["CN"],
        ).pk

    @cached_property
    def a_sku_id(self) -> int:
        from qms.catalog.services import create_sku

        return create_sku(actor=self.a_owner, product_id=self.a_product_id, sku_code="A-SWEEP-1").pk

    @cached_property
    def a_trader_info(self) -> Any:
        from qms.merchants.services_trader import save_trader_info

        return save_trader_info(
            actor=self.a_owner,
            merchant_id=self.a_merchant.pk,
            name=A_NAME,
            address="1 Sweep Road, Shanghai",
            phone="+86 21 5555 0101",
            email="a@example.com",
        )

    @cached_property
    def a_staff(self) -> User:
        """A second member of A's organisation (so A's owner keeps its token in the control)."""
        staff = create_user(
            actor=None,
            username="a-staff",
            email="a-staff@example.com",
            password=TEST_PASSWORD,
            check_password=False,
        )
        add_membership(actor=None, user=staff, organisation=self.a_org, role=Role.MERCHANT_STAFF)
        return staff

    @cached_property
    def agreement(self) -> Any:
        from qms.merchants.services_agreements import ensure_default_agreement

        return ensure_default_agreement(actor=self.admin)

    @cached_property
    def a_reverification_task_id(self) -> int:
        from qms.merchants.services_reverification import schedule_reverification

        return schedule_reverification(merchant_id=self.a_merchant.pk).pk

    @cached_property
    def a_authorisation_id(self) -> int:
        from qms.catalog.services import grant_brand_authorisation

        return grant_brand_authorisation(
            actor=self.admin,
            brand_id=self.brand_id,
            grantee_org_id=self.a_org.pk,
            markets=["CN"],
            valid_from=dt.date(2025, 1, 1),
        ).pk

    @cached_property
    def a_listing(self) -> Any:
        from qms.catalog.selectors import category_by_id
        from qms.listings.services import ListingInput, create_listing

        code = category_by_id(self.category_id).code
        return create_listing(
            actor=self.a_owner,
            data=ListingInput(title="A sweep tea listing", category=code, markets=["CN"]),
        )

    @cached_property
    def a_appeal_id(self) -> int:
        from qms.listings.services_review import appeal_version

        # A's merchant is still pending, so its listing is rejected and can be appealed
        return appeal_version(
            actor=self.a_owner, version_id=self.a_listing.latest_version_id, reason="sweep"
        ).pk

    @cached_property
    def rescan_job_id(self) -> int:
        from qms.listings.services_rescan import start_rescan

        return start_rescan(actor=self.admin, reason="sweep").pk


SWEEP_NOTICE = register_kind(
    NotificationKind(
        key="testing.isolation_sweep",
        subject={"en": "Your document was checked", "zh-hans": "您的文件已审核"},
        body={"en": "Merchant A's private notice.", "zh-hans": "商家 A 的私人通知。"},
    )
)

# Path parameter name -> how to make merchant A's object (or the value) and return it.
BUILDERS: dict[str, Callable[[World], Any]] = {
    "token_id": lambda w: w.a_token_id,
    "notification_id": lambda w: w.a_notification_id,
    "document_id": lambda w: w.a_document_id,
    "merchant_id": lambda w: w.a_merchant.pk,
    "application_id": lambda w: w.a_application.pk,
    "shop_id": lambda w: w.a_shop_id,
    "link_id": lambda w: w.a_supplier_link_id,
    "kind": lambda w: "quality",  # a contact kind (an enum value, not an object)
    "product_id": lambda w: w.a_product_id,
    "sku_id": lambda w: w.a_sku_id,
    "authorisation_id": lambda w: w.a_authorisation_id,
    "category_id": lambda w: w.category_id,
    "requirement_id": lambda w: w.requirement_id,
    "brand_id": lambda w: w.brand_id,
    "template_id": lambda w: w.agreement.pk,
    "task_id": lambda w: w.a_reverification_task_id,
    "organisation_id": lambda w: w.a_org.pk,
    "user_id": lambda w: w.a_staff.pk,  # a second member of A's organisation
    "membership_id": lambda w: w.a_staff.memberships.get().pk,
    "listing_id": lambda w: w.a_listing.pk,
    "version_id": lambda w: w.a_listing.latest_version_id,
    "appeal_id": lambda w: w.a_appeal_id,
    "job_id": lambda w: w.rescan_job_id,
    "rule_id": lambda w: "listing.attr.cn-food.sc_licence_no",  # a starting-set rule
}

# Sub-resources the path's object must have before the sweep probes it: path -> preparation.
PREPARE: dict[str, Callable[[World], Any]] = {
    "/api/v1/merchants/{merchant_id}/trader-info": lambda w: w.a_trader_info,
    "/api/v1/merchants/{merchant_id}/trader-info/verify": lambda w: w.a_trader_info,
    "/api/v1/merchants/{merchant_id}/contacts/{kind}/validate": lambda w: _a_quality_contact(w),
}


def _a_quality_contact(w: World) -> Any:
    from qms.merchants.services import save_contact

    return save_contact(
        actor=w.a_owner,
        merchant_id=w.a_merchant.pk,
        kind="quality",
        name="Quality desk",
        phone="+86 21 5555 0101",
        email="q@a.example",
    )


# Parameters that name shared reference data every merchant may read (not merchant-owned).
# An operation whose parameters are all of these is checked differently: B may read it (and
# must not see A's name in it), and B may not change it (403, like A).
REFERENCE_PARAMS: dict[str, str] = {
    "category_id": "categories are the platform's catalogue tree, read by every merchant",
    "requirement_id": "document requirements of a category are public rules",
    "brand_id": "brands are a shared register; merchants hold authorisations, not brands",
    "template_id": "agreement templates are the platform's texts, the same for every merchant",
    "rule_id": "listing rules are public: merchants read the rules they are judged by",
}

# Operations the sweep cannot construct objects for, with the reason. Keep this short: each
# entry is an operation whose cross-merchant isolation is tested only in its context's tests.
NOT_CONSTRUCTED: dict[tuple[str, str], str] = {}

# Request bodies for operations whose minimal schema-valid body would not pass the service's
# own validation (the sweep must reach the object lookup): operation -> body for the world.
BODIES: dict[tuple[str, str], Callable[[World], dict[str, Any]]] = {
    ("POST", "/api/v1/merchants/{merchant_id}/agreement/sign"): lambda w: {
        "template_id": w.agreement.pk,
        "text_sha256": w.agreement.text_sha256,
        "language": "en",
    },
}

# Query parameters whose minimal schema-valid value is not a valid domain value.
QUERIES: dict[tuple[str, str], dict[str, Any]] = {
    ("GET", "/api/v1/catalog/categories/{category_id}/required-documents"): {"market": "CN"},
}


def _swept_operations() -> list[Operation]:
    return [
        op
        for op in operations(DOCUMENT)
        if op.path_params
        and op.key not in NOT_CONSTRUCTED
        and all(p in BUILDERS for p in op.path_params)
    ]


def _call(client: Client, token: str, op: Operation, params: dict[str, Any], world: World) -> Any:
    path = op.path.format(**params)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    query = {**required_query(DOCUMENT, op), **QUERIES.get(op.key, {})}
    if op.method in SAFE or op.method == "DELETE":
        method = getattr(client, op.method.lower())
        return method(path, query or None, **headers)
    body = request_body(DOCUMENT, op)
    if query:
        path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    method = getattr(client, op.method.lower())
    if body is None:
        return method(path, "{}", content_type="application/json", **headers)
    media, data = body
    if op.key in BODIES:
        data = BODIES[op.key](world)
    if media == "multipart/form-data":
        form = {
            k: (
                SimpleUploadedFile("sweep.pdf", v, content_type="application/pdf")
                if isinstance(v, bytes)
                else v
            )
            for k, v in data.items()
        }
        if op.method != "POST":
            raise AssertionError(f"{op.label}: multipart with {op.method} is not supported here")
        return client.post(path, form, **headers)
    return method(path, data, content_type="application/json", **headers)


def test_every_operation_with_a_path_parameter_is_swept_or_listed() -> None:
    problems = []
    for op in operations(DOCUMENT):
        if not op.path_params or op.key in NOT_CONSTRUCTED:
            continue
        unknown = [p for p in op.path_params if p not in BUILDERS]
        if unknown:
            problems.append(f"{op.label}: no builder for {', '.join(unknown)}")
    known = {op.key for op in operations(DOCUMENT)}
    problems += [
        f"{m} {p}: listed in NOT_CONSTRUCTED but no longer in the API"
        for (m, p) in NOT_CONSTRUCTED
        if (m, p) not in known
    ]
    assert not problems, (
        "Add a builder for each path parameter to BUILDERS in tests/test_isolation_sweep.py "
        "(or list the operation in NOT_CONSTRUCTED with the reason):\n  " + "\n  ".join(problems)
    )


def test_the_sweep_covers_operations() -> None:
    assert _swept_operations(), "the API has no operation with a path parameter to sweep"


def _is_reference(op: Operation) -> bool:
    return all(p in REFERENCE_PARAMS for p in op.path_params)


def _assert_is_problem(response: Any, where: str) -> None:
    assert response["Content-Type"].startswith("application/problem+json"), where
    body = response.json()
    assert body["status"] == response.status_code, where
    assert body["code"], where


@pytest.mark.django_db
@pytest.mark.parametrize("op", _swept_operations(), ids=lambda op: op.label)
def test_other_merchant_cannot_reach_merchant_a_objects(op: Operation) -> None:
    world = World()
    params = {name: BUILDERS[name](world) for name in op.path_params}
    if op.path in PREPARE:
        PREPARE[op.path](world)
    _, a_secret = issue_token(actor=world.a_owner, name="sweep A")
    _, b_secret = issue_token(actor=world.b_owner, name="sweep B")
    a_trail = AuditEvent.objects.filter(organisation_id=world.a_org.pk)
    audit_before = a_trail.count()

    probe = _call(Client(), b_secret, op, params, world)
    where = f"{op.label} with {params}"
    assert probe.status_code < 500, f"{where}: merchant B got {probe.status_code}"
    assert A_NAME not in probe.content.decode(errors="replace"), (
        f"{where}: merchant B's response names merchant A: {probe.content[:300]!r}"
    )
    assert a_trail.count() == audit_before, f"{where}: B's call wrote to A's audit trail"
    control = _call(Client(), a_secret, op, params, world)
    if _is_reference(op):
        # Shared reference data: B has exactly the rights A has (read, usually; never change).
        assert probe.status_code == control.status_code, (
            f"{where}: merchant B got {probe.status_code}, merchant A {control.status_code}"
        )
        if op.method not in SAFE:
            assert probe.status_code in {403, 404}, f"{where}: a merchant changed reference data"
            _assert_is_problem(probe, where)
        return

    assert control.status_code != 404, (
        f"{where}: merchant A's own owner gets 404, so the sweep did not reach A's object "
        f"(fix its builder): {control.content[:300]!r}"
    )
    allowed = {403, 404} if control.status_code == 403 else {404}
    assert probe.status_code in allowed, (
        f"{where}: merchant B got {probe.status_code}, expected {sorted(allowed)}; A got "
        f"{control.status_code}. B's response: {probe.content[:300]!r}"
    )
    _assert_is_problem(probe, where)
