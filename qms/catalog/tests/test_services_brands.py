from __future__ import annotations

import datetime as dt

import pytest

from qms.catalog import selectors, services
from qms.catalog.domain.authorisation import ChainFailure
from qms.catalog.models import BrandAuthorisation
from qms.shared.errors import IllegalTransition, PermissionDenied, ValidationFailed
from qms.shared.models import AuditEvent

from .factories import BrandAuthorisationFactory, BrandFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def manager(make_user):  # type: ignore[no-untyped-def]
    return make_user("quality_manager")


@pytest.fixture
def chain(manager):  # type: ignore[no-untyped-def]
    brand = services.create_brand(
        actor=manager,
        name="Lanshan",
        name_zh="蓝山",
        owner_name="Lanshan Tea Group Co., Ltd.",
        trademark_no="12345678",
        trademark_country="cn",
    )
    distributor = OrganisationFactory(kind="supplier", name="East China Distribution Co.")
    merchant = OrganisationFactory(name="Hangzhou Tea Shop")
    top = services.grant_brand_authorisation(
        actor=manager,
        brand_id=brand.pk,
        grantee_org_id=distributor.pk,
        markets=["cn", "EU"],
        valid_from=D(2025, 1, 1),
        valid_to=D(2030, 12, 31),
    )
    link = services.grant_brand_authorisation(
        actor=manager,
        brand_id=brand.pk,
        parent_id=top.pk,
        grantee_org_id=merchant.pk,
        markets=["CN"],
        valid_from=D(2026, 1, 1),
        valid_to=D(2028, 12, 31),
        document_id=77,
    )
    return {
        "brand": brand,
        "distributor": distributor,
        "merchant": merchant,
        "top": top,
        "link": link,
    }


def test_grant_records_the_chain_and_audit(chain, manager) -> None:  # type: ignore[no-untyped-def]
    top, link = chain["top"], chain["link"]
    assert chain["brand"].trademark_country == "CN"
    assert top.grantor_name == "Lanshan Tea Group Co., Ltd."
    assert top.grantor_org is None
    assert top.markets == ["CN", "EU"]
    assert link.grantor_org_id == chain["distributor"].pk
    assert link.parent_id == top.pk
    event = AuditEvent.objects.get(action="catalog.authorisation.grant", object_id=str(link.pk))
    assert event.organisation_id == chain["merchant"].pk
    assert event.after["document_id"] == 77
    assert event.actor_id == manager.pk


def test_is_authorised_walks_the_chain(chain) -> None:  # type: ignore[no-untyped-def]
    args = {"organisation_id": chain["merchant"].pk, "brand_id": chain["brand"].pk}
    ok = selectors.is_authorised(**args, market="CN", on=D(2027, 6, 1))
    assert ok.ok
    assert [link.id for link in ok.chain] == [chain["top"].pk, chain["link"].pk]
    assert (
        selectors.is_authorised(**args, market="EU", on=D(2027, 6, 1)).failure
        is ChainFailure.MARKET_NOT_COVERED
    )
    assert (
        selectors.is_authorised(**args, market="CN", on=D(2029, 3, 1)).failure
        is ChainFailure.EXPIRED
    )
    other = OrganisationFactory()
    assert (
        selectors.is_authorised(
            organisation_id=other.pk, brand_id=chain["brand"].pk, market="CN"
        ).failure
        is ChainFailure.NO_AUTHORISATION
    )


def test_revoking_the_parent_invalidates_the_child(chain, manager) -> None:  # type: ignore[no-untyped-def]
    revoked = services.revoke_brand_authorisation(
        actor=manager, authorisation_id=chain["top"].pk, reason="Distribution contract terminated"
    )
    assert revoked.status == "revoked"
    assert revoked.revoked_at is not None
    v = selectors.is_authorised(
        organisation_id=chain["merchant"].pk, brand_id=chain["brand"].pk, market="CN"
    )
    assert v.failure is ChainFailure.REVOKED
    assert v.failing_link_id == chain["top"].pk
    event = AuditEvent.objects.get(action="catalog.authorisation.revoke")
    assert event.reason == "Distribution contract terminated"
    assert event.before == {"status": "active"}
    assert event.after["status"] == "revoked"
    with pytest.raises(IllegalTransition):
        services.revoke_brand_authorisation(
            actor=manager, authorisation_id=chain["top"].pk, reason="again"
        )
    with pytest.raises(ValidationFailed) as exc:
        services.grant_brand_authorisation(
            actor=manager,
            brand_id=chain["brand"].pk,
            parent_id=chain["top"].pk,
            grantee_org_id=OrganisationFactory().pk,
            markets=["CN"],
            valid_from=D(2026, 4, 1),
            valid_to=D(2027, 12, 31),
        )
    assert exc.value.code == "authorisation_parent_revoked"


def test_sub_licences_cannot_exceed_their_parent(chain, manager) -> None:  # type: ignore[no-untyped-def]
    base = {
        "actor": manager,
        "brand_id": chain["brand"].pk,
        "parent_id": chain["link"].pk,
        "grantee_org_id": OrganisationFactory().pk,
        "valid_from": D(2026, 4, 1),
        "valid_to": D(2027, 12, 31),
    }
    with pytest.raises(ValidationFailed) as exc:
        services.grant_brand_authorisation(**base, markets=["CN", "EU"])
    assert exc.value.code == "authorisation_markets_exceed_parent"
    with pytest.raises(ValidationFailed) as exc:
        services.grant_brand_authorisation(**{**base, "valid_to": D(2029, 6, 30)}, markets=["CN"])
    assert exc.value.code == "authorisation_outlives_parent"
    with pytest.raises(ValidationFailed) as exc:
        services.grant_brand_authorisation(**base, markets=["US"])
    assert exc.value.code == "market_invalid"
    assert BrandAuthorisation.objects.count() == 2


def test_suspending_the_brand_fails_every_chain(chain, manager) -> None:  # type: ignore[no-untyped-def]
    services.suspend_brand(actor=manager, brand_id=chain["brand"].pk, reason="Counterfeit alert")
    v = selectors.is_authorised(
        organisation_id=chain["merchant"].pk,
        brand_id=chain["brand"].pk,
        market="CN",
        on=D(2027, 6, 1),
    )
    assert v.failure is ChainFailure.BRAND_SUSPENDED
    with pytest.raises(IllegalTransition):
        services.suspend_brand(actor=manager, brand_id=chain["brand"].pk, reason="twice")
    services.reinstate_brand(actor=manager, brand_id=chain["brand"].pk, reason="Cleared")
    assert selectors.is_authorised(
        organisation_id=chain["merchant"].pk,
        brand_id=chain["brand"].pk,
        market="CN",
        on=D(2027, 6, 1),
    ).ok


def test_brand_writes_need_catalog_manage(make_user) -> None:  # type: ignore[no-untyped-def]
    merchant = make_user("merchant_owner")
    with pytest.raises(PermissionDenied):
        services.create_brand(actor=merchant, name="Mine", owner_name="Me")


def test_brand_names_are_unique_ignoring_case(manager) -> None:  # type: ignore[no-untyped-def]
    BrandFactory(name="Yili")
    with pytest.raises(Exception) as exc:
        services.create_brand(actor=manager, name="YILI", owner_name="Inner Mongolia Yili")
    assert getattr(exc.value, "code", "") == "brand_name_taken"


def test_merchant_sees_only_its_chains(chain, make_user) -> None:  # type: ignore[no-untyped-def]
    owner = make_user("merchant_owner", organisation=chain["merchant"])
    stranger = make_user("merchant_owner")
    visible = set(selectors.authorisations_visible_to(actor=owner).values_list("id", flat=True))
    assert visible == {chain["top"].pk, chain["link"].pk}
    assert not selectors.authorisations_visible_to(actor=stranger).exists()
    chains = selectors.brand_chains(actor=owner, brand_id=chain["brand"].pk, on=D(2027, 6, 1))
    assert len(chains) == 1
    assert chains[0]["valid"]


def test_is_authorised_reads_only_the_chain(chain, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for _ in range(30):  # other merchants under the same distributor do not cost queries
        BrandAuthorisationFactory(
            brand=chain["brand"],
            parent=chain["top"],
            grantor_name="",
            grantor_org=chain["distributor"],
            markets=["CN"],
            valid_from=D(2026, 1, 1),
            valid_to=D(2027, 1, 1),
        )
    with django_assert_max_num_queries(3):  # brand, the merchant's links, the link above
        verdict = selectors.is_authorised(
            organisation_id=chain["merchant"].pk,
            brand_id=chain["brand"].pk,
            market="CN",
            on=D(2027, 6, 1),
        )
    assert verdict.ok
