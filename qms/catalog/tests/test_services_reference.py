from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from qms.catalog import selectors, services
from qms.catalog.domain.constants import DOCUMENT_TYPE_CODES, TOP_LEVEL_CODES
from qms.catalog.models import Category, CategoryDocumentRequirement
from qms.shared.errors import PermissionDenied, ValidationFailed
from qms.shared.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> services.LoadReport:
    return services.load_reference_catalog()


def test_reference_file_shape() -> None:
    doc = services.read_reference_file()
    cats = doc["categories"]
    top = [c["code"] for c in cats if "/" not in c["code"]]
    assert sorted(top) == sorted(TOP_LEVEL_CODES)
    assert 60 <= len(cats) - len(top) <= 110
    for c in cats:
        assert c["name_zh"]
        assert c["name_en"]
        for r in c["requirements"]:
            assert r["document_type_code"] in DOCUMENT_TYPE_CODES
            assert r["market"] in {"CN", "EU"}


def test_load_creates_the_tree_and_one_audit_row(loaded: services.LoadReport) -> None:
    assert (
        len(loaded.created)
        == Category.objects.count()
        == len(services.read_reference_file()["categories"])
    )
    assert Category.objects.get(code="food/tea").parent.code == "food"
    event = AuditEvent.objects.get(action="catalog.reference.load")
    assert event.actor is None
    assert event.actor_label == "system"
    assert event.after["requirements_created"] == CategoryDocumentRequirement.objects.count()


def test_load_is_idempotent(loaded: services.LoadReport) -> None:
    again = services.load_reference_catalog()
    assert not again.changed
    assert again.unchanged == Category.objects.count()
    assert AuditEvent.objects.filter(action="catalog.reference.load").count() == 1


def test_load_updates_in_place_by_code(loaded: services.LoadReport) -> None:
    tea = Category.objects.get(code="food/tea")
    doc = services.read_reference_file()
    entry = next(c for c in doc["categories"] if c["code"] == "food/tea")
    entry["name_en"] = "Tea and infusions"
    entry["deposit_amount"] = "35000.00"
    entry["requirements"] = []
    report = services.load_reference_catalog(data=doc, prune_requirements=True)
    tea.refresh_from_db()
    assert report.updated == ["food/tea"]
    assert report.requirements_removed == 1
    assert (tea.name_en, tea.deposit_amount) == ("Tea and infusions", Decimal("35000.00"))
    assert Category.objects.get(code="food/tea").pk == tea.pk


def test_reference_risk_deposits_and_inheritance(loaded: services.LoadReport) -> None:
    formula = selectors.category_by_code("baby/infant_formula")
    assert (formula.risk_level, formula.deposit_amount) == ("high", Decimal("100000.00"))
    assert selectors.category_by_code("books/books").risk_level == "low"
    # children without a risk level inherit the parent's risk and deposit
    masks = selectors.category_by_code("medical_device/masks")
    assert (masks.risk_level, masks.deposit_amount) == ("high", Decimal("100000.00"))


@pytest.mark.parametrize(
    ("code", "market", "expected"),
    [
        (
            "food/tea",
            "CN",
            {"business_licence", "food_production_licence_sc", "food_business_licence"},
        ),
        ("health_supplement/vitamins", "CN", {"health_food_registration"}),
        ("electronics/mobile_phones", "CN", {"ccc_certificate"}),
        ("cosmetics/skincare", "CN", {"cosmetics_filing"}),
        (
            "medical_device/thermometers",
            "CN",
            {"medical_device_registration", "medical_device_business_licence"},
        ),
        ("toys/plush", "CN", {"ccc_certificate"}),
        ("toys/plush", "EU", {"ce_declaration", "eu_trade_register_extract", "identity_document"}),
    ],
)
def test_required_documents_per_market(
    loaded: services.LoadReport, code: str, market: str, expected: set[str]
) -> None:
    category = selectors.category_by_code(code)
    assert expected <= set(
        selectors.required_document_codes(category_id=category.pk, market=market)
    )


def test_overrides_make_inherited_documents_optional(loaded: services.LoadReport) -> None:
    produce = selectors.category_by_code("food/fresh_produce")
    codes = selectors.required_document_codes(category_id=produce.pk, market="CN")
    assert "food_production_licence_sc" not in codes
    headphones = selectors.category_by_code("electronics/headphones_audio")
    assert "ccc_certificate" not in selectors.required_document_codes(
        category_id=headphones.pk, market="CN"
    )


def test_categories_requiring_returns_descendants(loaded: services.LoadReport) -> None:
    ids = set(
        selectors.categories_requiring(document_type_code="food_production_licence_sc", market="CN")
    )
    codes = set(Category.objects.filter(pk__in=ids).values_list("code", flat=True))
    assert {
        "food",
        "food/tea",
        "food/dairy",
        "baby/infant_formula",
        "health_supplement/vitamins",
    } <= codes
    assert "food/fresh_produce" not in codes
    assert "books" not in codes
    assert selectors.categories_requiring(document_type_code="ce_declaration", market="CN") == []


def test_bad_reference_data_is_refused(loaded: services.LoadReport) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.load_reference_catalog(
            data={
                "categories": [
                    {
                        "code": "weapons",
                        "name_en": "Weapons",
                        "name_zh": "武器",
                        "risk_level": "high",
                    }
                ]
            }
        )
    assert exc.value.code == "reference_data_invalid"
    with pytest.raises(ValidationFailed) as exc:
        services.load_reference_catalog(
            data={
                "categories": [
                    {
                        "code": "food/x",
                        "name_en": "X",
                        "name_zh": "X",
                        "requirements": [{"market": "CN", "document_type_code": "passport"}],
                    }
                ]
            }
        )
    assert exc.value.code == "document_type_invalid"


def test_a_user_needs_catalog_manage_to_load(make_user) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.load_reference_catalog(actor=make_user("reviewer"))


def test_command_loads_and_reports(capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    call_command("load_catalog")
    first = capsys.readouterr().out
    assert "121 created" in first or "created" in first
    call_command("load_catalog")
    assert "0 created, 0 updated" in capsys.readouterr().out
    path = tmp_path / "one.json"
    path.write_text(
        json.dumps(
            {
                "categories": [
                    {
                        "code": "books",
                        "name_en": "Books & media",
                        "name_zh": "图书音像",
                        "risk_level": "low",
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    call_command("load_catalog", "--file", str(path))
    assert Category.objects.get(code="books").name_en == "Books & media"


def test_descendants_and_any_market(loaded: services.LoadReport) -> None:
    baby = selectors.category_by_code("baby")
    ids = selectors.descendant_ids(category_id=baby.pk)
    assert len(ids) == Category.objects.filter(code__startswith="baby").count()
    assert baby.pk not in selectors.descendant_ids(category_id=baby.pk, include_self=False)
    ce_any = set(selectors.categories_requiring(document_type_code="ce_declaration"))
    ce_eu = set(selectors.categories_requiring(document_type_code="ce_declaration", market="EU"))
    assert ce_any == ce_eu
    assert selectors.category_by_code("electronics").pk in ce_eu


def test_setting_a_requirement_is_audited(loaded: services.LoadReport, make_user) -> None:  # type: ignore[no-untyped-def]
    manager = make_user("admin")
    tea = selectors.category_by_code("food/tea")
    req = services.set_category_requirement(
        actor=manager,
        category_id=tea.pk,
        market="CN",
        document_type_code="test_report",
        mandatory=False,
        note="Pesticide residues, recommended",
    )
    event = AuditEvent.objects.filter(action="catalog.requirement.set").get()
    assert event.before == {"mandatory": True, "note": "Pesticide residue report (GB 2763)"}
    assert event.after["mandatory"] is False
    assert "test_report" not in selectors.required_document_codes(category_id=tea.pk, market="CN")
    services.remove_category_requirement(actor=manager, requirement_id=req.pk)
    assert AuditEvent.objects.filter(action="catalog.requirement.remove").count() == 1
    with pytest.raises(ValidationFailed) as exc:
        services.set_category_requirement(
            actor=manager, category_id=tea.pk, market="US", document_type_code="test_report"
        )
    assert exc.value.code == "market_invalid"
