"""Split a text into plain and highlighted segments at the hits' spans, for templates.

Templates render each segment with autoescaping on, so merchant text (HTML included) is never
interpreted: ``{% for s in segments %}{% if s.hit %}<mark>{{ s.text }}</mark>{% else %}
{{ s.text }}{% endif %}{% endfor %}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Segment:
    text: str
    hit: dict[str, Any] | None = None
    number: int = 0  # 1-based index of the hit in the version's hit list


def segments(text: str, hits: list[dict[str, Any]], field: str) -> list[Segment]:
    """``text`` cut at the spans of the hits on ``field`` (overlaps: the earlier one wins)."""
    spans = sorted(
        (
            (int(h["start"]), int(h["end"]), n, h)
            for n, h in enumerate(hits, start=1)
            if h.get("field") == field and 0 <= int(h["start"]) < int(h["end"]) <= len(text)
        ),
        key=lambda s: (s[0], -s[1]),
    )
    out: list[Segment] = []
    pos = 0
    for start, end, number, hit in spans:
        if start < pos:
            continue
        if start > pos:
            out.append(Segment(text[pos:start]))
        out.append(Segment(text[start:end], hit, number))
        pos = end
    if pos < len(text) or not out:
        out.append(Segment(text[pos:]))
    return out


def annotate(version: Any) -> dict[str, Any]:
    """Everything a page needs to show a version's hits: numbered hits, highlighted title and
    description, and the hits on attributes or with no span (documents, brand...)."""
    hits = list(version.hits or [])
    numbered = [{"number": n, **h} for n, h in enumerate(hits, start=1)]
    attributes = [
        {"key": k, "value": v, "segments": segments(str(v), hits, f"attributes.{k}")}
        for k, v in sorted((version.attributes or {}).items())
    ]
    return {
        "hits": numbered,
        "title_segments": segments(version.title, hits, "title"),
        "description_segments": segments(version.description, hits, "description"),
        "attribute_rows": attributes,
    }
