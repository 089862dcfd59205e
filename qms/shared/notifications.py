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
user is inserted (the (user, dedupe_key) unique constraint makes a repeat a no-op) and the new
rows' e-mails are queued as tasks by id. Inside ``batched_delivery()`` (the deadline scheduler
opens one per batch) the notifications of everything that committed are delivered together at
the end of the block: one bulk insert, and a few ``send_notification_emails`` tasks of many ids
instead of one task per row. Subject and body are Django templates
rendered with ``context`` in the user's ``preferred_language``; plain text, no autoescaping
(pages escape on display).
"""

from __future__ import annotations

import contextvars
import functools
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
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
from .tasks import send_notification_email, send_notification_emails

logger = logging.getLogger(__name__)

LANGUAGES: tuple[str, ...] = ("en", "zh-hans")
DEFAULT_LANGUAGE = "en"
MAX_DEDUPE_KEY = 200
SAFE_LINK_PREFIXES = ("/", "https://", "http://")
CHUNK = 500  # ids or keys per IN (...) list
EMAIL_TASK_SIZE = 200  # notification ids per e-mail task


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
            subject = str(_compiled(self.subject[lang]).render(ctx))
            body = str(_compiled(self.body[lang]).render(ctx))
        return " ".join(subject.split())[:300], body.strip()


@functools.lru_cache(maxsize=1024)
def _compiled(text: str) -> Template:
    """A kind's template, parsed once (rendering does not change a ``Template``)."""
    return Template(text)


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
    item = Pending(spec=spec, user_ids=ids, context=dict(context), dedupe_key=dedupe_key, link=link)
    transaction.on_commit(lambda: _committed(item), robust=True)


@dataclass(frozen=True)
class Pending:
    """One ``notify`` call whose transaction committed (or is about to)."""

    spec: NotificationKind
    user_ids: list[int]
    context: Mapping[str, Any]
    dedupe_key: str
    link: str = ""


_batch: contextvars.ContextVar[list[Pending] | None] = contextvars.ContextVar(
    "qms_notification_batch", default=None
)


@contextmanager
def batched_delivery() -> Iterator[None]:
    """Deliver the notifications of every transaction that commits inside the block together,
    when the block ends: one query for the users, one for the rows already there, one bulk
    insert, and the e-mails queued as a few tasks of many ids. A notification still goes out
    only if its transaction commits. The deadline scheduler wraps each batch in this; a block
    inside another joins the outer one."""
    if _batch.get() is not None:
        yield
        return
    pending: list[Pending] = []
    token = _batch.set(pending)
    try:
        yield
    finally:
        _batch.reset(token)
        if pending:
            _deliver_logged(pending)


def _committed(item: Pending) -> None:
    pending = _batch.get()
    if pending is not None:
        pending.append(item)
    else:
        deliver_many([item])


def _deliver_logged(items: list[Pending]) -> None:
    try:
        deliver_many(items)
    except Exception:
        logger.exception("Delivering %d notifications together failed; one by one.", len(items))
        for item in items:
            try:
                deliver_many([item])
            except Exception:
                logger.exception("Delivering notification %s failed.", item.dedupe_key)


def deliver(
    *,
    spec: NotificationKind,
    user_ids: list[int],
    context: Mapping[str, Any],
    dedupe_key: str,
    link: str = "",
) -> list[int]:
    """Insert the missing rows and queue their e-mails; the ids of the new rows.

    Safe to call twice (the unique constraint decides).
    """
    item = Pending(
        spec=spec, user_ids=list(user_ids), context=context, dedupe_key=dedupe_key, link=link
    )
    return deliver_many([item])


def deliver_many(items: Sequence[Pending]) -> list[int]:
    """``deliver`` for many notifications at once, in a handful of queries whatever their
    number; the ids of the new rows. A (user, dedupe key) repeated in ``items`` counts once."""
    wanted = {uid for item in items for uid in item.user_ids}
    users = {u.pk: u for u in _active_users(wanted)}
    if not users:
        return []
    already = _existing_pairs(items, users)
    rows: list[Notification] = []
    for item in items:
        stored_context = None
        rendered: dict[str, tuple[str, str]] = {}
        for uid in item.user_ids:
            user = users.get(uid)
            if user is None or (uid, item.dedupe_key) in already:
                continue
            already.add((uid, item.dedupe_key))
            lang = user_language(user)
            if lang not in rendered:
                rendered[lang] = item.spec.render(language=lang, context=item.context)
            if stored_context is None:
                stored_context = _jsonable(dict(item.context))
            subject, body = rendered[lang]
            rows.append(
                Notification(
                    user_id=uid,
                    kind=item.spec.key,
                    dedupe_key=item.dedupe_key,
                    language=lang,
                    subject=subject,
                    body=body,
                    link=item.link,
                    context=stored_context,
                )
            )
    if not rows:
        return []
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    new_ids = _unsent_ids({(r.user_id, r.dedupe_key) for r in rows})
    for i in range(0, len(new_ids), EMAIL_TASK_SIZE):
        part = new_ids[i : i + EMAIL_TASK_SIZE]
        if len(part) == 1:
            send_notification_email.enqueue(notification_id=part[0])
        else:
            send_notification_emails.enqueue(notification_ids=part)
    return new_ids


def _active_users(ids: set[int]) -> list[Any]:
    model = get_user_model()
    ordered = sorted(ids)
    found: list[Any] = []
    for i in range(0, len(ordered), CHUNK):
        found.extend(model.objects.filter(pk__in=ordered[i : i + CHUNK], is_active=True))
    return found


def _existing_pairs(items: Sequence[Pending], users: Mapping[int, Any]) -> set[tuple[int, str]]:
    keys = sorted({item.dedupe_key for item in items})
    pairs: set[tuple[int, str]] = set()
    for i in range(0, len(keys), CHUNK):
        qs = Notification.objects.filter(dedupe_key__in=keys[i : i + CHUNK])
        if len(users) <= CHUNK:
            qs = qs.filter(user_id__in=list(users))
        pairs.update(
            (uid, key) for uid, key in qs.values_list("user_id", "dedupe_key") if uid in users
        )
    return pairs


def _unsent_ids(pairs: set[tuple[int, str]]) -> list[int]:
    keys = sorted({key for _, key in pairs})
    user_ids = sorted({uid for uid, _ in pairs})
    ids: list[int] = []
    for i in range(0, len(keys), CHUNK):
        qs = Notification.objects.filter(
            dedupe_key__in=keys[i : i + CHUNK], emailed_at__isnull=True
        )
        if len(user_ids) <= CHUNK:
            qs = qs.filter(user_id__in=user_ids)
        ids.extend(
            pk
            for pk, uid, key in qs.values_list("id", "user_id", "dedupe_key")
            if (uid, key) in pairs
        )
    return sorted(ids)


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
