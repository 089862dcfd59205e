"""Background tasks of the listings context: take ids, idempotent, call services."""

from __future__ import annotations

from django_tasks import task


@task()
def run_rescan(*, job_id: int) -> int:
    """Run a re-scan job to the end, batch by batch; a re-run continues after the watermark.
    Returns the number of batches processed in this run."""
    from .services_rescan import run_rescan_batch

    batches = 1
    while run_rescan_batch(job_id=job_id):
        batches += 1
    return batches
