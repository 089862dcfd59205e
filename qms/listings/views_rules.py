"""The rule book pages: /console/listings/rules/ (staff; the quality team adds, changes and
retires rules there) and /portal/listings/rules/ (merchants read the same book)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from qms.accounts.permissions import ensure_can, has_perm
from qms.shared.errors import DomainError

from . import selectors_rules, services_rules
from .domain.ruleset import KIND_LABELS
from .forms_rules import RetireForm, RuleChangeForm, TermRuleForm

PER_PAGE = 50
MIN_REVIEWED = 3  # decisions before an overrule rate says something


def _kind_filters() -> list[tuple[str, str]]:
    """The kinds to filter by, labelled in the page's language (the labels are data)."""
    zh = (translation.get_language() or "").lower().startswith("zh")
    return [(k, label[1] if zh else label[0]) for k, label in KIND_LABELS.items()]


def _book(request: HttpRequest, template: str, extra: dict[str, Any], status: int = 200):
    g = request.GET
    status_filter = g.get("status", "")
    status_filter = status_filter if status_filter in selectors_rules.STATUSES else ""
    rules = selectors_rules.rule_book(
        request.user,
        q=g.get("q", ""),
        kind=g.get("kind", ""),
        market=g.get("market", ""),
        status=status_filter,
    )
    page = Paginator(rules, PER_PAGE).get_page(g.get("page"))
    context = {
        "page_obj": page,
        "rules": page.object_list,
        "kinds": _kind_filters(),
        "statuses": selectors_rules.STATUSES,
        "f": {"q": g.get("q", ""), "kind": g.get("kind", ""), "market": g.get("market", "")},
        "status_filter": status_filter,
        **extra,
    }
    return render(request, template, context, status=status)


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "listings.view")
    can_manage = has_perm(request.user, "listings.manage_rules")
    form = TermRuleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        ensure_can(request.user, "listings.manage_rules")
        status = 422
        if form.is_valid():
            try:
                row = services_rules.add_term_rule(actor=request.user, **form.service_kwargs())
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("Rule %(rule)s added; in force from %(date)s.")
                    % {"rule": row.rule_id, "date": row.effective_from.isoformat()},
                )
                return redirect("listings:rule_detail", rule_id=row.rule_id)
    return _book(
        request, "listings/console/rules.html", {"form": form, "can_manage": can_manage}, status
    )


@login_required
def rule_detail(request: HttpRequest, rule_id: str) -> HttpResponse:
    ensure_can(request.user, "listings.view")
    rule = selectors_rules.rule_detail(request.user, rule_id=rule_id)
    can_manage = has_perm(request.user, "listings.manage_rules") and rule.status != "retired"
    initial = {"markets": rule.markets, "allow": "\n".join(rule.allow)}
    change_form = RuleChangeForm(initial=initial, prefix="change")
    retire_form = RetireForm(prefix="retire")
    status = 200
    if request.method == "POST":
        ensure_can(request.user, "listings.manage_rules")
        status = 422
        try:
            if "retire-reason" in request.POST:
                retire_form = RetireForm(request.POST, prefix="retire")
                if retire_form.is_valid():
                    services_rules.retire_rule(
                        actor=request.user, rule_id=rule_id, **retire_form.cleaned_data
                    )
                    messages.success(request, _("The rule is retired."))
                    return redirect("listings:rule_detail", rule_id=rule_id)
            else:
                change_form = RuleChangeForm(request.POST, initial=initial, prefix="change")
                if change_form.is_valid():
                    row = services_rules.change_rule(
                        actor=request.user,
                        rule_id=rule_id,
                        **change_form.service_kwargs(
                            is_term=rule.type == "term", allow_before=rule.allow
                        ),
                    )
                    messages.success(
                        request,
                        _("Version %(v)s saved; in force from %(date)s.")
                        % {"v": row.version, "date": row.effective_from.isoformat()},
                    )
                    return redirect("listings:rule_detail", rule_id=rule_id)
        except DomainError as exc:
            target = retire_form if "retire-reason" in request.POST else change_form
            target.add_error(None, exc.message)
    return render(
        request,
        "listings/console/rule_detail.html",
        {
            "rule": rule,
            "can_manage": can_manage,
            "change_form": change_form,
            "retire_form": retire_form,
        },
        status=status,
    )


@login_required
def portal_rules(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "listings.view_own")
    return _book(request, "listings/portal/rules.html", {})


@login_required
def rule_performance(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "listings.view")
    try:
        days = max(1, min(int(request.GET.get("days", 90)), 730))
    except ValueError:
        days = 90
    rows = selectors_rules.rule_performance(request.user, days=days)
    return render(
        request,
        "listings/console/rule_performance.html",
        {
            "rows": rows,
            "days": days,
            "periods": (30, 90, 365),
            "watch": [
                r for r in rows if r.reviewed >= MIN_REVIEWED and (r.overrule_rate or 0) >= 0.5
            ],
        },
    )
