"""``{% load listing_tags %}``: ``{{ code|reason_label }}`` -> the decision reason in the page's
language ("Misleading title, description or images" / "标题、描述或图片误导")."""

from __future__ import annotations

from django import template
from django.utils import translation

from ..domain.review_states import REASONS_BY_CODE

register = template.Library()


@register.filter
def reason_label(code: object) -> str:
    reason = REASONS_BY_CODE.get(str(code))
    if reason is None:
        return str(code)
    zh = (translation.get_language() or "").lower().startswith("zh")
    return reason.zh if zh else reason.en
