"""``{% load listing_tags %}``: ``{{ code|reason_label }}`` -> the decision reason in the page's
language ("Misleading title, description or images" / "标题、描述或图片误导")."""

from __future__ import annotations

from django import template
from django.utils import translation

from qms.shared.rules import Rule

from ..domain.review_states import REASONS_BY_CODE
from ..domain.ruleset import rule_title_zh

register = template.Library()


@register.filter
def reason_label(code: object) -> str:
    reason = REASONS_BY_CODE.get(str(code))
    if reason is None:
        return str(code)
    zh = (translation.get_language() or "").lower().startswith("zh")
    return reason.zh if zh else reason.en


@register.filter
def rule_title(rule: Rule) -> str:
    """``{{ rule|rule_title }}``: the rule's title, in Chinese for Chinese pages where the rule
    has one (terms: ``绝对化用语：最佳``)."""
    zh = (translation.get_language() or "").lower().startswith("zh")
    return rule_title_zh(rule) if zh else rule.title
