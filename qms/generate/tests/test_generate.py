"""The generator: determinism, resume, validity of what it writes, and its bulk write path."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qms.accounts.models import Organisation
from qms.catalog.domain.gtin import validate_gtin
from qms.catalog.models import BrandAuthorisation, Sku
from qms.documents.domain.types import number_problem
from qms.documents.expiry import WARNING_DAYS, deadline_key, lapse_moment
from qms.documents.models import Document
from qms.generate.models import GenerationRun
from qms.generate.reference import ensure_reference_data
from qms.generate.services import GenerationInterrupted, generate_marketplace
from qms.merchants.domain.iban import is_valid_iban
from qms.merchants.domain.registration import validate_registration_number
from qms.merchants.models import AgreementSignature, Application, Merchant, TraderInfo
from qms.shared.deadlines import compute_points
from qms.shared.errors import Conflict, NotFound
from qms.shared.models import Deadline

from .helpers import AS_OF, generated_then_rolled_back, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference() -> None:
    ensure_reference_data()


def test_same_seed_and_parameters_give_identical_rows(reference: None) -> None:
    first = generated_then_rolled_back(seed=7, merchants=40, batch=15, pipeline=False)
    second = generated_then_rolled_back(seed=7, merchants=40, batch=15, pipeline=False)
    assert sum(len(rows) for rows in first.values()) > 1000
    assert first == second


def test_rows_do_not_depend_on_batch_size_or_the_builder_process(reference: None) -> None:
    small = generated_then_rolled_back(seed=7, merchants=25, batch=4, pipeline=False)
    large = generated_then_rolled_back(seed=7, merchants=25, batch=100, pipeline=True)
    assert small == large


def test_another_seed_gives_another_marketplace(reference: None) -> None:
    a = generated_then_rolled_back(seed=1, merchants=10, batch=10, pipeline=False)
    b = generated_then_rolled_back(seed=2, merchants=10, batch=10, pipeline=False)
    assert a["merchants.Merchant"] != b["merchants.Merchant"]


def test_a_killed_run_resumes_to_the_same_rows(reference: None) -> None:
    expected = generated_then_rolled_back(seed=11, merchants=30, batch=8, pipeline=False)
    with pytest.raises(GenerationInterrupted):
        generate_marketplace(
            seed=11, merchants=30, batch=8, as_of=AS_OF, pipeline=False, interrupt_in_batch=2
        )
    run = GenerationRun.objects.get()
    assert (run.status, run.last_batch, run.cursor["next_merchant"]) == ("running", 1, 16)
    assert Merchant.objects.count() == 16  # batch 2 rolled back whole
    resumed = generate_marketplace(
        seed=11, merchants=30, batch=8, as_of=AS_OF, pipeline=True, resume=True
    )
    assert resumed.pk == run.pk
    assert resumed.status == "completed"
    assert resumed.last_batch == 3
    assert snapshot() == expected
    assert sum(resumed.rows_written.values()) == sum(len(rows) for rows in expected.values())


def test_resume_needs_an_unfinished_run_and_untouched_tables(reference: None) -> None:
    with pytest.raises(NotFound) as missing:
        generate_marketplace(seed=5, merchants=10, as_of=AS_OF, resume=True, pipeline=False)
    assert missing.value.code == "generation_run_not_found"
    with pytest.raises(GenerationInterrupted):
        generate_marketplace(
            seed=5, merchants=10, batch=5, as_of=AS_OF, pipeline=False, interrupt_in_batch=1
        )
    Organisation.objects.create(kind="supplier", name="Added by hand")
    with pytest.raises(Conflict) as moved:
        generate_marketplace(
            seed=5, merchants=10, batch=5, as_of=AS_OF, resume=True, pipeline=False
        )
    assert moved.value.code == "generation_run_diverged"


@pytest.fixture
def market(reference: None) -> GenerationRun:
    return generate_marketplace(seed=42, merchants=150, batch=50, as_of=AS_OF, pipeline=False)


def test_identifiers_are_valid(market: GenerationRun) -> None:
    for m in Merchant.objects.all():
        assert validate_registration_number(
            scheme=m.registration_scheme, country=m.country, number=m.registration_number
        )
    skus = list(Sku.objects.all())
    assert skus
    for sku in skus:
        check = validate_gtin(sku.gtin)
        assert check.ok
        assert check.gtin14 == sku.gtin14
    assert all(is_valid_iban(t.payment_account_iban) for t in TraderInfo.objects.all())
    for doc in Document.objects.select_related("document_type"):
        t = doc.document_type
        assert (
            number_problem(pattern=t.number_pattern, checksum=t.checksum, number=doc.number) is None
        )
        assert doc.expires_on is None or doc.expires_on > doc.issued_on


def test_every_state_and_expiry_window_is_present(market: GenerationRun) -> None:
    states = set(Application.objects.values_list("state", flat=True))
    assert {
        "submitted",
        "in_review",
        "info_requested",
        "awaiting_second_approval",
        "rejected",
        "approved",
        "draft",
    } <= states
    assert {"pending", "verified", "rejected", "expired", "superseded"} <= set(
        Document.objects.values_list("status", flat=True)
    )
    live = Document.objects.filter(status="verified", expires_on__isnull=False)
    days = Counter((d - AS_OF).days for d in live.values_list("expires_on", flat=True))
    assert days[1] > 0  # expiring tomorrow
    assert any(days[n] for n in range(2, 8))
    assert any(days[n] for n in range(8, 31))
    assert {"active", "pending", "restricted"} <= set(
        Merchant.objects.values_list("standing", flat=True)
    )
    live_merchants = Merchant.objects.exclude(standing="pending").count()
    assert 0 < AgreementSignature.objects.count() < live_merchants  # some have not signed
    assert BrandAuthorisation.objects.filter(parent__isnull=False).exists()  # chains
    assert BrandAuthorisation.objects.filter(valid_to__lt=AS_OF).exists()  # lapsed links


def test_deadlines_are_those_the_documents_context_would_schedule(market: GenerationRun) -> None:
    doc = Document.objects.filter(status="verified", expires_on__isnull=False).first()
    assert doc is not None
    deadline = Deadline.objects.get(key=deadline_key(doc.pk))
    due = lapse_moment(doc.expires_on)
    warnings = [d * 86400 for d in sorted(WARNING_DAYS, reverse=True)]
    assert deadline.kind == "documents.expiry"
    assert deadline.due_at == due
    assert deadline.points == compute_points(due_at=due, warnings=warnings, calendar=None)
    assert deadline.payload == {
        "organisation_id": doc.organisation_id,
        "type_code": doc.document_type.code,
    }
    now = dt.datetime.combine(AS_OF, dt.time(2), tzinfo=dt.UTC)
    assert deadline.next_fire_at is not None
    assert deadline.next_fire_at > now


def test_new_rows_after_generation_get_fresh_ids(market: GenerationRun) -> None:
    org = Organisation.objects.create(kind="supplier", name="After the generator")
    assert org.pk > market.cursor["next_ids"]["accounts.Organisation"] - 1


def test_writes_in_bulk_not_row_by_row(reference: None) -> None:
    with CaptureQueriesContext(connection) as ctx:
        run = generate_marketplace(seed=3, merchants=60, batch=30, as_of=AS_OF, pipeline=False)
    rows = sum(run.rows_written.values())
    writes = [
        q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(("INSERT", "COPY"))
    ]
    assert rows > 3000
    assert len(writes) < 2 * len(run.rows_written) + 40  # one statement per table per batch
