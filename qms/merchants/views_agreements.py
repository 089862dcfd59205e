"""Pages for quality agreements: the console (templates, publication, signature coverage) and
the merchant portal page to read the agreement in both languages and sign it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qms.accounts.permissions import ensure_can, has_perm
from qms.shared.errors import DomainError

from . import selectors_agreements as sel
from . import services_agreements as agreements
from .domain.agreements import DEFAULT_RESIGN_DAYS, MAX_RESIGN_DAYS, MIN_RESIGN_DAYS, sections


class TemplateForm(forms.Form):
    code = forms.SlugField(
        label=gettext_lazy("Code"),
        max_length=50,
        help_text=gettext_lazy("A new version of an existing code replaces it when published."),
    )
    title = forms.CharField(label=gettext_lazy("Title (English)"), max_length=200)
    title_zh = forms.CharField(label=gettext_lazy("Title (Chinese)"), max_length=200)
    body_en = forms.CharField(
        label=gettext_lazy("Text (English)"),
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=gettext_lazy(
            "Start each section with “## ”. Required: "
            "quality standards, inspection, penalties, "
            "recall."
        ),
    )
    body_zh = forms.CharField(
        label=gettext_lazy("Text (Chinese)"), widget=forms.Textarea(attrs={"rows": 18})
    )
    change_summary = forms.CharField(
        label=gettext_lazy("What changed"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PublishForm(forms.Form):
    resign_days = forms.IntegerField(
        label=gettext_lazy("Days merchants have to sign"),
        initial=DEFAULT_RESIGN_DAYS,
        min_value=MIN_RESIGN_DAYS,
        max_value=MAX_RESIGN_DAYS,
    )


class SignForm(forms.Form):
    template_id = forms.IntegerField(widget=forms.HiddenInput)
    text_sha256 = forms.CharField(widget=forms.HiddenInput, min_length=64, max_length=64)
    accept = forms.BooleanField(
        label=gettext_lazy(
            "I have read this agreement in full and accept it on behalf of the company."
        )
    )


def _fail(form: forms.Form, exc: DomainError) -> None:
    form.add_error(None, exc.message)


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "merchants.view")
    templates = sel.templates_for(actor=request.user).order_by("code", "-version")
    return render(
        request,
        "merchants/agreements/template_list.html",
        {
            "templates": templates,
            "can_manage": has_perm(request.user, "merchants.manage_agreements"),
        },
    )


@login_required
def template_create(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "merchants.manage_agreements")
    source = None
    if request.GET.get("from", "").isdigit():
        source = sel.template_for(actor=request.user, template_id=int(request.GET["from"]))
    initial = (
        {f: getattr(source, f) for f in ("code", "title", "title_zh", "body_en", "body_zh")}
        if source
        else {}
    )
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            template = agreements.create_template_draft(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("merchants:agreement_detail", template_id=template.pk)
    return render(
        request,
        "merchants/agreements/template_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
def template_detail(request: HttpRequest, template_id: int) -> HttpResponse:
    ensure_can(request.user, "merchants.view")
    template = sel.template_for(actor=request.user, template_id=template_id)
    can_manage = has_perm(request.user, "merchants.manage_agreements")
    edit_form = None
    if can_manage and template.status == "draft":
        fields = ("title", "title_zh", "body_en", "body_zh", "change_summary")
        edit_form = TemplateForm(
            request.POST or None,
            initial={"code": template.code, **{f: getattr(template, f) for f in fields}},
        )
        edit_form.fields["code"].disabled = True
        if request.method == "POST" and edit_form.is_valid():
            data = {f: edit_form.cleaned_data[f] for f in fields}
            try:
                agreements.update_template_draft(
                    actor=request.user, template_id=template.pk, **data
                )
            except DomainError as exc:
                _fail(edit_form, exc)
            else:
                messages.success(request, _("Draft saved."))
                return redirect("merchants:agreement_detail", template_id=template.pk)
    return _detail(
        request, template, edit_form=edit_form, publish_form=PublishForm(), can_manage=can_manage
    )


def _detail(
    request: HttpRequest,
    template: Any,
    *,
    edit_form: Any,
    publish_form: Any,
    can_manage: bool,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "merchants/agreements/template_detail.html",
        {
            "template": template,
            "edit_form": edit_form,
            "publish_form": publish_form,
            "can_manage": can_manage,
            "sections_en": sections(template.body_en),
            "sections_zh": sections(template.body_zh),
        },
        status=status if not (edit_form and edit_form.errors) else 400,
    )


@login_required
@require_POST
def template_publish(request: HttpRequest, template_id: int) -> HttpResponse:
    ensure_can(request.user, "merchants.manage_agreements")
    template = sel.template_for(actor=request.user, template_id=template_id)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            agreements.publish_template(
                actor=request.user,
                template_id=template.pk,
                resign_days=form.cleaned_data["resign_days"],
            )
        except DomainError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("Published. Every live merchant was asked to sign."))
            return redirect("merchants:agreement_coverage", template_id=template.pk)
    return _detail(
        request, template, edit_form=None, publish_form=form, can_manage=True, status=400
    )


@login_required
def coverage(request: HttpRequest, template_id: int) -> HttpResponse:
    ensure_can(request.user, "merchants.view")
    cov = sel.signature_coverage(actor=request.user, template_id=template_id)
    return render(request, "merchants/agreements/coverage.html", {"coverage": cov})


# --- merchant portal -----------------------------------------------------------------------


@login_required
def portal_agreement(request: HttpRequest) -> HttpResponse:
    """Read the agreements in force (both languages) and, as the owner, sign them."""
    merchant = sel.own_merchant(actor=request.user)
    ensure_can(request.user, "merchants.view_own", merchant_org_id=merchant.organisation_id)
    error, status = "", 200
    if request.method == "POST":
        form = SignForm(request.POST)
        if not form.is_valid():
            error, status = _("Tick the box to confirm you have read the agreement."), 400
        else:
            try:
                agreements.sign_agreement(
                    actor=request.user,
                    merchant_id=merchant.pk,
                    template_id=form.cleaned_data["template_id"],
                    text_sha256=form.cleaned_data["text_sha256"],
                    ip=request.META.get("REMOTE_ADDR"),
                    user_agent=request.META.get("HTTP_USER_AGENT", ""),
                    language=get_language() or "zh-hans",
                )
            except DomainError as exc:
                error, status = exc.message, exc.status
            else:
                messages.success(request, _("Thank you. The agreement is signed."))
                return redirect("portal:agreement")
    status_obj = sel.agreement_status(merchant_id=merchant.pk)
    items = [
        {
            "item": item,
            "form": SignForm(
                auto_id=f"sign{item.template.pk}_%s",
                initial={"template_id": item.template.pk, "text_sha256": item.template.text_sha256},
            ),
            "sections_en": sections(item.template.body_en),
            "sections_zh": sections(item.template.body_zh),
        }
        for item in status_obj.items
    ]
    return render(
        request,
        "merchants/agreements/portal_agreement.html",
        {
            "merchant": merchant,
            "status": status_obj,
            "items": items,
            "error": error,
            "can_sign": has_perm(request.user, "merchants.sign_agreement"),
        },
        status=status,
    )
