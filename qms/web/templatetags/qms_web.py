"""Template helpers for the console and portal: state badges, field classes, query strings."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict
from django.utils.functional import Promise

from .. import states

register = template.Library()


@register.filter
def state_tone(state: object) -> str:
    """``{{ obj.state|state_tone }}`` -> ``ok``, ``warn``, ``danger``, ``info`` or ``muted``."""
    return states.tone(state)


@register.filter
def state_label(state: object) -> str | Promise:
    """``{{ obj.state|state_label }}`` -> the translated label of the state."""
    return states.label(state)


@register.filter
def role_label(role: object) -> str | Promise:
    """``{{ membership.role|role_label }}`` -> "Reviewer" / "审核员"."""
    code = str(getattr(role, "value", role))
    return states.ROLES.get(code, code)


@register.filter
def org_kind_label(kind: object) -> str | Promise:
    """``{{ organisation.kind|org_kind_label }}`` -> "Merchant" / "商家"."""
    code = str(getattr(kind, "value", kind))
    return states.ORG_KINDS.get(code, code)


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with ``changes`` applied (``None`` removes a key):
    ``<a href="?{% query_with page=3 %}">`` keeps the filters of the list."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for key, value in changes.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = str(value)
    return query.urlencode()
