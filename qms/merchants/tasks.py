"""Background tasks of the merchants context: take ids, idempotent, call services."""

from __future__ import annotations

from django_tasks import task


@task()
def recheck_trader_info(*, trader_info_id: int) -> None:
    from .services_trader import recheck_trader_info_now

    recheck_trader_info_now(trader_info_id=trader_info_id)
