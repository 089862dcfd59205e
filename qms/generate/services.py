"""``generate_marketplace``: the deterministic, resumable demo-marketplace generator.

Merchant ``i`` draws everything from its own random stream (seed, i), and primary keys are
handed out in merchant order from a cursor saved with each committed batch. So the rows depend
only on the seed, the parameters and the database's starting point: not on the batch size,
and not on whether the run was interrupted and resumed.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from tqdm import tqdm

from qms.accounts.models import Membership, Organisation, User
from qms.catalog.models import Brand, BrandAuthorisation, Product, Sku
from qms.documents.models import Document, DocumentStatusChange
from qms.merchants.models import (
    AgreementSignature,
    Application,
    ApplicationCategory,
    ApplicationStatusChange,
    Contact,
    Merchant,
    MerchantBrand,
    MerchantCategory,
    MerchantSupplier,
    Shop,
    Supplier,
    TraderInfo,
)
from qms.merchants.models.standing import StandingChange, StandingRestriction
from qms.shared.audit import record_event
from qms.shared.errors import Conflict, NotFound, ValidationFailed
from qms.shared.models import Deadline, DeadlineFiring

from .builders_catalog import build_brands
from .builders_documents import build_documents
from .builders_onboarding import build_onboarding
from .builders_parties import build_parties
from .context import Context, IdCursor, Params
from .domain.names import build_pools
from .models import GenerationRun
from .pipeline import prefetch_in_process
from .plan import plan_merchant
from .reference import ensure_reference_data, load_reference
from .writer import Chunk, RowSink, max_ids, reset_sequences, write_chunks

# Every table the generator writes, parents first.
MODELS: tuple[type[models.Model], ...] = (
    Organisation,
    User,
    Membership,
    Merchant,
    Shop,
    Contact,
    TraderInfo,
    Supplier,
    MerchantSupplier,
    Brand,
    BrandAuthorisation,
    Product,
    Sku,
    Document,
    DocumentStatusChange,
    Deadline,
    DeadlineFiring,
    Application,
    ApplicationStatusChange,
    ApplicationCategory,
    MerchantCategory,
    MerchantBrand,
    StandingChange,
    StandingRestriction,
    AgreementSignature,
)
BUILDERS = (build_parties, build_brands, build_documents, build_onboarding)


class GenerationInterrupted(Exception):
    """Raised by the ``interrupt_in_batch`` test hook after a batch's rows were written."""


@dataclass
class Produced:
    start: int
    end: int
    chunks: list[Chunk]
    next_ids: dict[str, int]


def _produce(ctx: Context, *, first: int, merchants: int, batch: int) -> Iterator[Produced]:
    """Build the rows of each batch of merchants (pure Python, no database access)."""
    for start in range(first, merchants, batch):
        end = min(start + batch, merchants)
        for index in range(start, end):
            plan = plan_merchant(ctx, index)
            for build in BUILDERS:
                build(ctx, plan)
        chunks = [
            Chunk(t.model._meta.label, t.db_table, t.columns, rows) for t, rows in ctx.sink.take()
        ]
        yield Produced(start=start, end=end, chunks=chunks, next_ids=dict(ctx.ids.next))


def _business_today() -> dt.date:
    from zoneinfo import ZoneInfo

    from django.conf import settings

    return timezone.localdate(timezone=ZoneInfo(settings.QMS_BUSINESS_TIME_ZONE))


def _start_run(params: Params) -> GenerationRun:
    start = {label: value + 1 for label, value in max_ids(MODELS).items()}
    # Registration numbers and brand names derive from ids: they stay unique across runs.
    return GenerationRun.objects.create(
        seed=params.seed,
        parameters=_params_json(params),
        fingerprint=params.fingerprint(),
        total_batches=0,
        cursor={"next_merchant": 0, "next_ids": start, "first_ids": start},
        started_at=timezone.now(),
    )


def _params_json(params: Params) -> dict[str, Any]:
    return {
        "seed": params.seed,
        "merchants": params.merchants,
        "documents_per_merchant": params.documents_per_merchant,
        "as_of": params.as_of,
        "with_files": params.with_files,
        "expiry_profile": params.expiry_profile,
    }


def _resumable(params: Params) -> GenerationRun:
    run = (
        GenerationRun.objects.filter(
            fingerprint=params.fingerprint(), status=GenerationRun.Status.RUNNING
        )
        .order_by("-id")
        .first()
    )
    if run is None:
        raise NotFound(
            "No unfinished generation run with these parameters to resume.",
            code="generation_run_not_found",
        )
    highest = max_ids(MODELS)
    moved = [label for label, nxt in run.cursor["next_ids"].items() if highest.get(label, 0) >= nxt]
    if moved:
        raise Conflict(
            "Rows were added since the run stopped; it cannot resume exactly.",
            code="generation_run_diverged",
            tables=moved,
        )
    return run


def generate_marketplace(
    *,
    seed: int,
    merchants: int,
    documents_per_merchant: int = 8,
    batch: int = 5000,
    resume: bool = False,
    as_of: dt.date | None = None,
    with_files: bool = False,
    expiry_profile: str = "demo",
    progress: bool = False,
    pipeline: bool = True,
    interrupt_in_batch: int | None = None,
    on_batch: Callable[[GenerationRun], None] | None = None,
) -> GenerationRun:
    """Generate (or, with ``resume``, finish generating) a marketplace of ``merchants``
    merchants with ``documents_per_merchant`` documents each. Returns the run.

    ``pipeline`` builds the next batch in a child process while this one is written.
    ``as_of`` is the day the data is current on (default: today in the business zone); with
    ``resume`` it must be the same day as the interrupted run, which the fingerprint checks.
    """
    if expiry_profile not in {"demo", "uniform"}:
        raise ValidationFailed(
            "The expiry profile is demo or uniform.", code="generation_parameters_invalid"
        )
    if merchants < 1 or batch < 1 or documents_per_merchant < 1:
        raise ValidationFailed(
            "Merchants, batch size and documents per merchant must be positive.",
            code="generation_parameters_invalid",
        )
    ensure_reference_data()
    reference = load_reference()
    if not reference.doc_types or not reference.categories:
        raise ValidationFailed(
            "Reference data (categories, document types) is missing.", code="reference_data_missing"
        )
    if resume and as_of is None:
        latest = GenerationRun.objects.filter(seed=seed, status="running").order_by("-id").first()
        as_of = dt.date.fromisoformat(latest.parameters["as_of"]) if latest else None
    params = Params(
        seed=seed,
        merchants=merchants,
        documents_per_merchant=documents_per_merchant,
        as_of=(as_of or _business_today()).isoformat(),
        with_files=with_files,
        expiry_profile=expiry_profile,
    )
    run = _resumable(params) if resume else _start_run(params)
    run.total_batches = -(-merchants // batch)
    sink = RowSink(params.now)
    ids = IdCursor(run.cursor["next_ids"])
    ctx = Context(
        params=params,
        ref=reference,
        pools=build_pools(seed),
        ids=ids,
        sink=sink,
        now=params.now,
        today=params.today,
    )
    first = int(run.cursor["next_merchant"])
    bar = tqdm(
        total=merchants,
        initial=first,
        unit="merchant",
        file=sys.stderr,
        disable=not progress,
        dynamic_ncols=True,
        desc="generate",
    )

    def batches() -> Iterator[Produced]:
        return _produce(ctx, first=first, merchants=merchants, batch=batch)

    try:
        for batch_no, produced in enumerate(
            prefetch_in_process(batches) if pipeline else batches()
        ):
            with transaction.atomic():
                counts = write_chunks(produced.chunks)
                if interrupt_in_batch is not None and batch_no == interrupt_in_batch:
                    raise GenerationInterrupted(f"interrupted in batch {batch_no}")
                reset_sequences(MODELS)
                written = dict(run.rows_written)
                for label, n in counts.items():
                    written[label] = written.get(label, 0) + n
                run.rows_written = written
                run.cursor = {
                    **run.cursor,
                    "next_merchant": produced.end,
                    "next_ids": produced.next_ids,
                }
                run.last_batch = (produced.end - 1) // batch
                run.save(update_fields=["rows_written", "cursor", "last_batch", "total_batches"])
            bar.update(produced.end - produced.start)
            if on_batch is not None:
                on_batch(run)
    finally:
        bar.close()
    if with_files:
        from .files import write_document_files

        write_document_files(run)
    with transaction.atomic():
        run.status, run.finished_at = GenerationRun.Status.COMPLETED, timezone.now()
        run.save(update_fields=["status", "finished_at"])
        record_event(
            actor=None,
            obj=run,
            action="generate.run",
            detail={"parameters": run.parameters, "rows_written": run.rows_written},
        )
    return run
