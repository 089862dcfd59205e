"""Generated data reads back through the owning contexts' own selectors as intended."""

from __future__ import annotations

import pytest

from qms.catalog.models import BrandAuthorisation
from qms.catalog.selectors.brands import is_authorised
from qms.documents.selectors import valid_document_codes
from qms.generate.models import GenerationRun
from qms.generate.reference import ensure_reference_data
from qms.generate.services import generate_marketplace
from qms.merchants.models import Merchant, MerchantCategory

from .helpers import AS_OF

pytestmark = pytest.mark.django_db


@pytest.fixture
def market() -> GenerationRun:
    ensure_reference_data()
    return generate_marketplace(seed=8, merchants=80, batch=40, as_of=AS_OF, pipeline=False)


def test_brand_chains_authorise_the_merchant_unless_lapsed_or_revoked(
    market: GenerationRun,
) -> None:
    links = BrandAuthorisation.objects.filter(parent__isnull=False).select_related("parent")
    assert links
    for link in links:
        verdict = is_authorised(
            organisation_id=link.grantee_org_id,
            brand_id=link.brand_id,
            market=link.markets[0],
            on=AS_OF,
        )
        good = (
            link.status == "active"
            and link.valid_from <= AS_OF
            and (link.valid_to is None or link.valid_to >= AS_OF)
            and link.parent.valid_to >= AS_OF
        )
        assert verdict.ok == good, (link.pk, verdict)


def test_active_chinese_merchants_hold_a_valid_business_licence(market: GenerationRun) -> None:
    active = Merchant.objects.filter(standing="active", country="CN")
    assert active
    holding = [
        m
        for m in active
        if "business_licence" in valid_document_codes(organisation_id=m.organisation_id, on=AS_OF)
    ]
    assert len(holding) >= 0.9 * len(active)  # a few licences are pending or were rejected


def test_restricted_categories_point_at_an_expired_document(market: GenerationRun) -> None:
    restricted = MerchantCategory.objects.filter(status="restricted").select_related("merchant")
    assert restricted
    for grant in restricted:
        codes = valid_document_codes(organisation_id=grant.merchant.organisation_id, on=AS_OF)
        assert grant.restricted_by_document_type not in codes
        assert grant.merchant.standing == "restricted"
