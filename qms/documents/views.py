"""Console (verification queue, detail with preview, expiring list) and portal pages
(my documents, upload, detail). Views call selectors and services only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from qms.accounts.permissions import ensure_can, has_perm
from qms.shared.errors import DomainError
from qms.shared.files import open_stored
from qms.shared.pagination import page_for_view

from . import selectors, services
from .domain.states import DocState, allowed_actions
from .forms import FILE_ERROR_PREFIX, REASON_LABELS, RejectForm, UploadForm, VerifyForm

STATUS_FILTERS = [s.value for s in DocState]


def _page(request: HttpRequest, qs: Any, order: tuple[str, str]) -> tuple[list[Any], str | None]:
    return page_for_view(qs, cursor=request.GET.get("cursor"), order=order)


# --- console -------------------------------------------------------------------------------


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "documents.view")
    status = request.GET.get("status", DocState.PENDING.value)
    status = status if status in STATUS_FILTERS or status == "all" else DocState.PENDING.value
    q = request.GET.get("q", "")
    if status == DocState.PENDING.value and not q:
        qs = selectors.verification_queue(request.user)
        items, next_cursor = _page(request, qs, ("created_at", "id"))
    else:
        qs = selectors.documents_for(request.user, status=None if status == "all" else status, q=q)
        items, next_cursor = _page(request, qs, ("-created_at", "-id"))
    return render(
        request,
        "documents/review_queue.html",
        {
            "documents": items,
            "next_cursor": next_cursor,
            "status": status,
            "q": q,
            "statuses": STATUS_FILTERS,
            "counts": selectors.dashboard_counts(actor=request.user),
        },
    )


@login_required
def expiring_list(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "documents.view")
    try:
        within = max(0, min(366, int(request.GET.get("within_days", "30"))))
    except ValueError:
        within = 30
    qs = selectors.expiring(request.user, within_days=within)
    items, next_cursor = _page(request, qs, ("expires_on", "id"))
    today = services.business_today()
    rows = [(doc, (doc.expires_on - today).days if doc.expires_on else None) for doc in items]
    return render(
        request,
        "documents/expiring.html",
        {
            "rows": rows,
            "documents": items,
            "next_cursor": next_cursor,
            "within_days": within,
            "today": today,
        },
    )


def _console_context(request: HttpRequest, document_id: int, **extra: Any) -> dict[str, Any]:
    doc = selectors.get_document(request.user, document_id=document_id)
    actions = {a.value for a in allowed_actions(doc.status)}
    return {
        "doc": doc,
        "history": selectors.history_of(document=doc),
        "can_review": has_perm(request.user, "documents.verify") and "verify" in actions,
        "verify_form": extra.pop("verify_form", VerifyForm()),
        "reject_form": extra.pop("reject_form", RejectForm()),
        "reasons": REASON_LABELS,
        **extra,
    }


@login_required
def console_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    ensure_can(request.user, "documents.view")
    return render(request, "documents/console_detail.html", _console_context(request, document_id))


@login_required
@require_POST
def verify(request: HttpRequest, document_id: int) -> HttpResponse:
    form = VerifyForm(request.POST)
    if form.is_valid():
        try:
            services.verify_document(
                actor=request.user, document_id=document_id, note=form.cleaned_data["note"]
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("The document was verified."))
            return redirect("documents:detail", document_id=document_id)
    else:
        error = _("The note is too long.")
    return render(
        request,
        "documents/console_detail.html",
        _console_context(request, document_id, verify_form=form, error=error),
        status=422,
    )


@login_required
@require_POST
def reject(request: HttpRequest, document_id: int) -> HttpResponse:
    form = RejectForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.reject_document(
                actor=request.user,
                document_id=document_id,
                reason_code=form.cleaned_data["reason_code"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            field = exc.details.get("field")
            if field in form.fields:
                form.add_error(field, exc.message)
            else:
                error = exc.message
        else:
            messages.success(request, _("The document was rejected; the merchant is told why."))
            return redirect("documents:detail", document_id=document_id)
    return render(
        request,
        "documents/console_detail.html",
        _console_context(request, document_id, reject_form=form, error=error),
        status=422,
    )


# --- portal --------------------------------------------------------------------------------


@login_required
def my_documents(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "documents.view_own")
    qs = selectors.documents_for(request.user, status=request.GET.get("status") or None)
    items, next_cursor = _page(request, qs, ("-created_at", "-id"))
    return render(
        request,
        "documents/my_documents.html",
        {
            "documents": items,
            "next_cursor": next_cursor,
            "today": services.business_today(),
            "expiring_ids": set(
                selectors.expiring(request.user, within_days=30).values_list("id", flat=True)
            ),
        },
    )


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "documents.upload")
    types = selectors.document_types()
    form = UploadForm(request.POST or None, request.FILES or None, types=types)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                doc = services.upload_document(
                    actor=request.user,
                    organisation_id=selectors.upload_organisation_id(request.user),
                    document_type_code=data["document_type"],
                    number=data["number"],
                    issuer=data["issuer"],
                    issued_on=data["issued_on"],
                    expires_on=data["expires_on"],
                    file_name=data["file"].name,
                    file_data=data["file"],
                )
            except DomainError as exc:
                field = exc.details.get("field")
                if exc.code.startswith(FILE_ERROR_PREFIX) or exc.code == "document_duplicate":
                    field = "file"
                form.add_error(field if field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Uploaded. A reviewer will check the document."))
                return redirect("documents:portal_detail", document_id=doc.pk)
    return render(request, "documents/upload.html", {"form": form, "types": types}, status=status)


@login_required
def portal_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    ensure_can(request.user, "documents.view_own")
    doc = selectors.get_document(request.user, document_id=document_id)
    return render(
        request,
        "documents/portal_detail.html",
        {
            "doc": doc,
            "history": selectors.history_of(document=doc),
            "reasons": REASON_LABELS,
        },
    )


@login_required
@xframe_options_sameorigin
def document_file(request: HttpRequest, document_id: int) -> FileResponse:
    doc = selectors.get_document(request.user, document_id=document_id)
    response = FileResponse(
        open_stored(doc.file.name or ""),
        as_attachment=bool(request.GET.get("download")),
        filename=doc.original_name,
        content_type=doc.content_type,
    )
    response["Cache-Control"] = "private, max-age=300"
    return response
