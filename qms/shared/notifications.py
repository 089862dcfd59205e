"""Notifications: in-app inbox rows and e-mails, in each user's language, after commit, once.

A context registers its kinds once (at import of its module, e.g. in ``AppConfig.ready``)::

    register_kind(NotificationKind(
        key="documents.expiring",
        subject={"en": "{{ type_name }} expires in {{ days_left }} days",
                 "zh-hans": "{{ type_name }} 将在 {{ days_left }} 天后到期"},
        body={"en": "...", "zh-hans": "..."},
    ))

and calls ``notify`` from a service, inside the transaction of the change::

    notify(kind="documents.expiring", user_ids=owner_ids, context={"type_name": ...},
           dedupe_key=f"documents.expiring:{doc.pk}:30d", link=f"/portal/documents/{doc.pk}/")

Nothing happens until that transaction commits (a rollback sends nothing). Then one row per
user is inserted (the (user, dedupe_key) unique constraint makes a repeat a no-op) and one
``send_notification_email`` task per new row is queued. Subject and body are Django templates
rendered with ``context`` in the user's ``preferred_language``; plain text, no autoescaping
(pages escape on display).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.template import Context, Template, TemplateSyntaxError
from django.utils import timezone, translation

from .audit import _jsonable
from .errors import NotFound, ValidationFailed
from .models import Notification
from .tasks import send_notification_email

logger = logging.getLogger(__name__)

LANGUAGES: tuple[str, ...] = ("en", "zh-hans")
DEFAULT_LANGUAGE = "en"
MAX_DEDUPE_KEY = 200
SAFE_LINK_PREFIXES = ("/", "https://", "http://")


@dataclass(frozen=True)
class NotificationKind:
    """A kind of message: subject and body templates (Django syntax) per language."""

    key: str
    subject: Mapping[str, str]
    body: Mapping[str, str]

    def __post_init__(self) -> None:
        if not self.key or len(self.key) > 100:
            raise ValueError("A notification kind needs a key of at most 100 characters.")
        for part, texts in (("subject", self.subject), ("body", self.body)):
            for lang in LANGUAGES:
                text = texts.get(lang, "")
                if not text.strip():
                    raise ValueError(f"Notification kind {self.key}: {part} missing in {lang}.")
                try:
                    Template(text)
                except TemplateSyntaxError as exc:
                    raise ValueError(
                        f"Notification kind {self.key}: {part} ({lang}) is not a "
                        f"valid template: {exc}"
                    ) from exc
        object.__setattr__(self, "subject", dict(self.subject))
        object.__setattr__(self, "body", dict(self.body))

    def render(self, *, language: str, context: Mapping[str, Any]) -> tuple[str, str]:
        """(subject, body) in ``language`` (English if the kind lacks it)."""
        lang = language if language in self.subject else DEFAULT_LANGUAGE
        ctx = Context(dict(context), autoescape=False)
        with translation.override(lang):
            subject = str(Template(self.subject[lang]).render(ctx))
            body = str(Template(self.body[lang]).render(ctx))
        return " ".join(subject.split())[:300], body.strip()


_kinds: dict[str, NotificationKind] = {}


def register_kind(kind: NotificationKind) -> NotificationKind:
    """Register a kind. Registering an identical kind again is harmless; a different
    definition under a key already taken is refused (``ValueError``)."""
    existing = _kinds.get(kind.key)
    if existing is not None and existing != kind:
        raise ValueError(f"Notification kind {kind.key!r} is already registered differently.")
    _kinds[kind.key] = kind
    return kind


def get_kind(key: str) -> NotificationKind:
    try:
        return _kinds[key]
    except KeyError:
        raise KeyError(
            f"Unknown notification kind {key!r}; register it with register_kind."
        ) from None


def registered_kinds() -> list[str]:
    return sorted(_kinds)


def user_language(user: Any) -> str:
    """The user's ``preferred_language`` if supported, else English."""
    lang = str(getattr(user, "preferred_language", "") or "").lower()
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def notify(
    *,
    kind: str,
    user_ids: Iterable[int],
    context: Mapping[str, Any],
    dedupe_key: str,
    link: str = "",
) -> None:
    """Queue ``kind`` for ``user_ids``: in-app row plus e-mail, after the current transaction
    commits, at most once per (user, ``dedupe_key``). Outside a transaction it runs at once.

    Raises ``KeyError`` for an unregistered kind and ``ValidationFailed`` for a bad key/link.
    """
    spec = get_kind(kind)
    if not dedupe_key or len(dedupe_key) > MAX_DEDUPE_KEY:
        raise ValidationFailed(
            f"dedupe_key must be 1 to {MAX_DEDUPE_KEY} characters.",
            code="notification_dedupe_key_invalid",
        )
    if len(link) > 500 or (link and not link.startswith(SAFE_LINK_PREFIXES)) or link[:2] == "//":
        raise ValidationFailed(
            "link must be a path starting with / or an http(s) address, at most 500 characters.",
            code="notification_link_invalid",
        )
    ids = sorted({int(uid) for uid in user_ids})
    if not ids:
        return
    frozen = dict(context)
    transaction.on_commit(
        lambda: deliver(spec=spec, user_ids=ids, context=frozen, dedupe_key=dedupe_key, link=link),
        robust=True,
    )


def deliver(
    *,
    spec: NotificationKind,
    user_ids: list[int],
    context: Mapping[str, Any],
    dedupe_key: str,
    link: str = "",
) -> list[int]:
    """Insert the missing rows and queue their e-mails; the ids of the new rows.

    Called by ``notify`` after commit; safe to call twice (the unique constraint decides).
    """
    users = list(get_user_model().objects.filter(pk__in=user_ids, is_active=True))
    if not users:
        return []
    stored_context = _jsonable(dict(context))
    already = set(
        Notification.objects.filter(
            user_id__in=[u.pk for u in users], dedupe_key=dedupe_key
        ).values_list("user_id", flat=True)
    )
    rows = []
    for user in users:
        if user.pk in already:
            continue
        lang = user_language(user)
        subject, body = spec.render(language=lang, context=context)
        rows.append(
            Notification(
                user_id=user.pk,
                kind=spec.key,
                dedupe_key=dedupe_key,
                language=lang,
                subject=subject,
                body=body,
                link=link,
                context=stored_context,
            )
        )
    if not rows:
        return []
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
    new_ids = list(
        Notification.objects.filter(
            user_id__in=[r.user_id for r in rows], dedupe_key=dedupe_key, emailed_at__isnull=True
        ).values_list("id", flat=True)
    )
    for notification_id in new_ids:
        send_notification_email.enqueue(notification_id=notification_id)
    return new_ids


# --- selectors -----------------------------------------------------------------------------


def unread_count(user_id: int) -> int:
    """How many in-app notifications ``user_id`` has not read (for the navigation badge)."""
    return Notification.objects.filter(user_id=user_id, read_at__isnull=True).count()


def inbox(*, user_id: int, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first (paginate with ``("-created_at", "-id")``)."""
    qs = Notification.objects.filter(user_id=user_id)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def notification_for(*, actor: Any, notification_id: int) -> Notification:
    """One of the actor's own notifications; anybody else's is ``NotFound``."""
    found = Notification.objects.filter(pk=notification_id, user_id=actor.pk).first()
    if found is None:
        raise NotFound("No such notification.", code="notification_not_found")
    return found


# --- services ------------------------------------------------------------------------------
# Reading one's own inbox is not a disputable change, so these write no audit row.


@transaction.atomic
def mark_read(*, actor: Any, notification_id: int) -> Notification:
    """Mark one of the actor's notifications read (idempotent)."""
    row = (
        Notification.objects.select_for_update()
        .filter(pk=notification_id, user_id=actor.pk)
        .first()
    )
    if row is None:
        raise NotFound("No such notification.", code="notification_not_found")
    if row.read_at is None:
        row.read_at = timezone.now()
        row.save(update_fields=["read_at"])
    return row


@transaction.atomic
def mark_all_read(*, actor: Any) -> int:
    """Mark every unread notification of the actor read; how many were."""
    return Notification.objects.filter(user_id=actor.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
