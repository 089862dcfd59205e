"""Quality agreements: template states, the fingerprint of the exact text, signing rules.

Pure Python. A template is written as a ``draft`` (editable), ``published`` (the version in force
for its code; frozen) and finally ``retired`` when a newer version of the same code is published.
The fingerprint (SHA-256) covers every character a signer is shown, in both languages, so a
signature proves which text was accepted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from enum import StrEnum

from qms.shared.errors import IllegalTransition


class TemplateStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


TEMPLATE_TRANSITIONS: dict[tuple[TemplateStatus, str], TemplateStatus] = {
    (TemplateStatus.DRAFT, "edit"): TemplateStatus.DRAFT,
    (TemplateStatus.DRAFT, "publish"): TemplateStatus.PUBLISHED,
    (TemplateStatus.PUBLISHED, "retire"): TemplateStatus.RETIRED,
}


def next_template_status(state: TemplateStatus | str, action: str) -> TemplateStatus:
    try:
        return TEMPLATE_TRANSITIONS[(TemplateStatus(state), action)]
    except (KeyError, ValueError):
        raise IllegalTransition(state=str(state), action=action) from None


# Re-signing: how long merchants have after a new version is published, and when they are reminded.
DEFAULT_RESIGN_DAYS = 30
MIN_RESIGN_DAYS = 7
MAX_RESIGN_DAYS = 180
RESIGN_WARNINGS = (dt.timedelta(days=7), dt.timedelta(days=1))


def normalise_text(text: str) -> str:
    """Line endings as ``\\n`` and no trailing whitespace at the end: what is stored and shown."""
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip() + "\n"


def text_fingerprint(
    *, code: str, version: int, title: str, title_zh: str, body_en: str, body_zh: str
) -> str:
    """SHA-256 (hex) of the exact text shown to the signer. Length-prefixed parts, so moving
    characters from one part to another changes the fingerprint."""
    h = hashlib.sha256()
    for part in (code, str(version), title, title_zh, body_en, body_zh):
        data = part.encode("utf-8")
        h.update(str(len(data)).encode("ascii") + b":")
        h.update(data)
        h.update(b"\n")
    return h.hexdigest()


def resign_deadline(*, published_on: dt.date, days: int) -> dt.date:
    if not MIN_RESIGN_DAYS <= days <= MAX_RESIGN_DAYS:
        raise ValueError(f"days must be between {MIN_RESIGN_DAYS} and {MAX_RESIGN_DAYS}")
    return published_on + dt.timedelta(days=days)


@dataclass(frozen=True)
class Section:
    number: int
    heading: str
    text: str


def sections(body: str) -> list[Section]:
    """Split a body into its numbered sections (a line starting with ``## `` opens one)."""
    out: list[Section] = []
    heading, lines = "", list[str]()  # text before the first heading is the preamble (section 0)
    for line in body.splitlines():
        if line.startswith("## "):
            if heading or any(s.strip() for s in lines):
                out.append(Section(len(out), heading, "\n".join(lines).strip()))
            heading, lines = line[3:].strip(), []
        else:
            lines.append(line)
    if heading or any(s.strip() for s in lines):
        out.append(Section(len(out), heading, "\n".join(lines).strip()))
    return out


REQUIRED_TOPICS: dict[str, tuple[str, ...]] = {
    # every published agreement must cover these; matched case-insensitively in the headings
    "en": ("quality standards", "inspection", "penalt", "recall"),
    "zh": ("质量标准", "检验", "违约", "召回"),
}


def missing_topics(*, body_en: str, body_zh: str) -> list[str]:
    """Topics a publishable agreement must have a section on, but does not."""
    missing: list[str] = []
    for lang, body in (("en", body_en), ("zh", body_zh)):
        headings = " | ".join(s.heading.lower() for s in sections(body))
        missing.extend(
            f"{lang}:{topic}" for topic in REQUIRED_TOPICS[lang] if topic not in headings
        )
    return missing


@dataclass(frozen=True)
class SignatureFacts:
    """What one merchant has signed of one agreement code, for the in-force verdict."""

    current_version: int
    current_deadline: dt.date | None
    signed_versions: frozenset[int]
    # trading before this version was published (asked to sign it, so it has the grace period)
    live_before_publication: bool = False


def agreement_in_force(facts: SignatureFacts, *, today: dt.date) -> tuple[bool, str]:
    """(satisfied, state) where state is ``signed``, ``grace`` (the merchant was trading when this
    version was published, or signed an earlier one, and the re-sign deadline has not passed),
    ``overdue`` or ``unsigned``. A merchant that joins later signs before it may sell."""
    if facts.current_version in facts.signed_versions:
        return True, "signed"
    signed_earlier = any(v < facts.current_version for v in facts.signed_versions)
    if (signed_earlier or facts.live_before_publication) and facts.current_deadline is not None:
        if today <= facts.current_deadline:
            return True, "grace"
        return False, "overdue"
    return False, "unsigned"
