"""Staff console pages under /console/listings/ (namespace ``listings``): all listings, the
review queue, the keyboard-friendly decision page, re-scans with a live progress bar."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qms.accounts.permissions import ensure_can, has_perm
from qms.shared.errors import DomainError
from qms.shared.pagination import page_for_view

from . import selectors, services_announce, services_rescan, services_review, services_takedown
from .domain.review_states import REASONS, TaskKind
from .forms import DecideForm, RescanForm, TakeDownForm
from .highlight import annotate

LISTING_STATES = ["pending", "live", "withdrawn"]


def _page(request: HttpRequest, qs: Any, order: tuple[str, str]) -> tuple[list[Any], str | None]:
    return page_for_view(qs, cursor=request.GET.get("cursor"), order=order)


@login_required
def listing_list(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "listings.view")
    state = request.GET.get("state", "")
    state = state if state in LISTING_STATES else ""
    qs = selectors.listings_for(
        request.user,
        state=state,
        q=request.GET.get("q", ""),
        category=request.GET.get("category", ""),
    )
    listings, next_cursor = _page(request, qs, ("-created_at", "-id"))
    return render(
        request,
        "listings/console/list.html",
        {
            "listings": listings,
            "next_cursor": next_cursor,
            "state": state,
            "states": LISTING_STATES,
        },
    )


@login_required
def listing_detail(request: HttpRequest, listing_id: int) -> HttpResponse:
    ensure_can(request.user, "listings.view")
    listing = selectors.get_listing(request.user, listing_id=listing_id)
    version = listing.latest_version
    context: dict[str, Any] = {
        "listing": listing,
        "version": version,
        "versions": selectors.versions_of(request.user, listing_id=listing.pk)[:50],
    }
    if version is not None:
        context.update(annotate(version))
        context["history"] = selectors.history_of(version)
        context["tasks"] = selectors.tasks_of_version(version)
    can_take_down = has_perm(request.user, "listings.take_down") and listing.state == "live"
    form = TakeDownForm(request.POST or None) if can_take_down else None
    status = 200
    if request.method == "POST":
        ensure_can(request.user, "listings.take_down")
        status = 422
        if form is None:
            messages.error(request, _("Only a live listing can be taken down."))
            return redirect("listings:listing_detail", listing_id=listing.pk)
        if form.is_valid():
            try:
                services_takedown.take_down_listing(
                    actor=request.user, listing_id=listing.pk, **form.cleaned_data
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The listing was taken down; the merchant is told."))
                return redirect("listings:listing_detail", listing_id=listing.pk)
    context["takedown_form"] = form
    return render(request, "listings/console/detail.html", context, status=status)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "listings.review")
    kind = request.GET.get("kind", "")
    kind = kind if kind in {k.value for k in TaskKind} else ""
    mine = request.GET.get("mine") == "1"
    overdue = request.GET.get("overdue") == "1"
    qs = selectors.review_queue(request.user, kind=kind, mine=mine, overdue=overdue)
    tasks, next_cursor = _page(request, qs, ("-risk_score", "-id"))
    counts = selectors.queue_counts(request.user)
    return render(
        request,
        "listings/console/queue.html",
        {
            "tasks": tasks,
            "next_cursor": next_cursor,
            "kind": kind,
            "mine": mine,
            "overdue": overdue,
            "overdue_count": counts.get("overdue", 0),
            "now": timezone.now(),
            "kinds": [(k.value, counts.get(k.value, 0)) for k in TaskKind],
        },
    )


def _task_context(request: HttpRequest, task_id: int, form: DecideForm | None = None) -> dict:
    task = selectors.get_task(request.user, task_id=task_id)
    version = task.version
    context = {
        "task": task,
        "version": version,
        "listing": version.listing,
        "form": form or DecideForm(),
        "reasons": REASONS,
        "mine": task.claimed_by_id == request.user.pk and task.state == "claimed",
        "history": selectors.history_of(version),
        "live": version.listing.live_version,
        "excluded": request.user.pk in (task.excluded_reviewer_ids or []),
    }
    context.update(annotate(version))
    return context


@login_required
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    ensure_can(request.user, "listings.review")
    return render(request, "listings/console/decide.html", _task_context(request, task_id))


@login_required
@require_POST
def task_claim(request: HttpRequest, task_id: int) -> HttpResponse:
    try:
        services_review.claim_task(actor=request.user, task_id=task_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("listings:task_detail", task_id=task_id)


@login_required
@require_POST
def task_release(request: HttpRequest, task_id: int) -> HttpResponse:
    try:
        services_review.release_task(actor=request.user, task_id=task_id)
        messages.success(request, _("Released to the queue."))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("listings:task_detail", task_id=task_id)
    return redirect("listings:queue")


@login_required
@require_POST
def task_decide(request: HttpRequest, task_id: int) -> HttpResponse:
    ensure_can(request.user, "listings.review")
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            services_review.decide_task(
                actor=request.user,
                task_id=task_id,
                decision=form.cleaned_data["decision"],
                reason_codes=form.cleaned_data["reason_codes"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            form.add_error("reason_codes" if exc.code == "reason_invalid" else None, exc.message)
        else:
            messages.success(request, _("Decided. Next task:"))
            return redirect("listings:queue")
    return render(
        request, "listings/console/decide.html", _task_context(request, task_id, form), status=422
    )


@login_required
def rescan_list(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "listings.view")
    can_start = has_perm(request.user, "listings.rescan")
    form = RescanForm(request.POST or None)
    status = 200
    if request.method == "POST":
        ensure_can(request.user, "listings.rescan")
        status = 422
        if form.is_valid():
            try:
                job = services_rescan.start_rescan(
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    grace_days=form.cleaned_data["grace_days"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Re-scan started."))
                return redirect("listings:rescan_detail", job_id=job.pk)
    jobs, next_cursor = _page(request, selectors.rescan_jobs(request.user), ("-created_at", "-id"))
    return render(
        request,
        "listings/console/rescans.html",
        {
            "jobs": jobs,
            "next_cursor": next_cursor,
            "form": form,
            "can_start": can_start,
            "upcoming": services_announce.upcoming_for(request.user),
        },
        status=status,
    )


@login_required
def rescan_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.get_rescan_job(request.user, job_id=job_id)
    findings, next_cursor = _page(
        request, selectors.findings_for(request.user, job_id=job.pk), ("due_at", "id")
    )
    return render(
        request,
        "listings/console/rescan_detail.html",
        {"job": job, "findings": findings, "next_cursor": next_cursor},
    )


@login_required
def rescan_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    """The progress fragment the detail page polls (htmx) while the job runs."""
    job = selectors.get_rescan_job(request.user, job_id=job_id)
    return render(request, "listings/console/_progress.html", {"job": job})


@login_required
@require_POST
def announce(request: HttpRequest) -> HttpResponse:
    """Tell merchants about the coming rule versions and schedule their re-scans."""
    try:
        summary = services_announce.announce_rule_changes(actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Announced %(rules)s rule changes; %(notices)s merchants were told.") % summary,
        )
    return redirect("listings:rescan_list")
