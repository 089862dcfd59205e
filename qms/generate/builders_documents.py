"""Qualification documents per category requirements, their history and expiry deadlines.

Exactly ``documents_per_merchant`` documents per merchant: the mandatory ones of its
categories and markets first (a few merchants miss one), brand evidence, then optional
reports, certificates and superseded earlier versions. Verified documents with an expiry date
get the deadline ``qms.documents.expiry.watch`` would schedule (points already passed are
recorded as fired); some expire within 30, 7 or 1 days, some have expired.
"""

from __future__ import annotations

import hashlib
from typing import Any

from qms.documents.expiry import (
    DEADLINE_KIND,
    SUBJECT_TYPE,
    WARNING_DAYS,
)
from qms.documents.models import Document, DocumentStatusChange
from qms.shared.models import Deadline, DeadlineFiring

from .context import Context
from .domain.clock import DAY, EPOCH_ORDINAL, Clock
from .domain.numbers import document_number
from .domain.pdf import document_pdf
from .domain.rand import ri
from .issuers import issuer_of, issuers_in
from .plan import MerchantPlan
from .writer import db_json

DOC_FIELDS = (
    "id",
    "organisation_id",
    "document_type_id",
    "number",
    "issuer",
    "issued_on",
    "expires_on",
    "file",
    "sha256",
    "size",
    "content_type",
    "original_name",
    "status",
    "uploaded_by_id",
    "reviewed_at",
    "review_reason_code",
    "review_note",
    "brand_id",
    "category_id",
    "superseded_by_id",
    "created_at",
    "updated_at",
)
HISTORY_FIELDS = (
    "id",
    "document_id",
    "from_status",
    "to_status",
    "action",
    "actor_id",
    "at",
    "reason_code",
    "note",
)
DEADLINE_FIELDS = (
    "id",
    "key",
    "kind",
    "subject_type",
    "subject_id",
    "due_at",
    "warnings",
    "calendar",
    "payload",
    "status",
    "points",
    "next_fire_at",
    "created_at",
    "updated_at",
)
VALIDITY_DAYS = {
    "trademark_registration": 3650,
    "iso9001": 1095,
    "brand_authorisation": 730,
    "identity_document": 3650,
}
OPTIONAL_CN = ("test_report", "iso9001", "test_report", "import_customs_declaration")
OPTIONAL_EU = ("test_report", "ce_declaration", "iso9001")
REJECT_CODES = ("illegible", "number_mismatch", "wrong_type")
WARN_SECONDS = [d * 86400 for d in sorted(WARNING_DAYS, reverse=True)]
WARN_JSON = db_json(WARN_SECONDS)
WARN_NAMES = [f"warn:{d}d" for d in sorted(WARNING_DAYS, reverse=True)]


def _wanted_types(ctx: Context, plan: MerchantPlan) -> list[tuple[str, int | None, int | None]]:
    """(type code, brand id, category id) in priority order, exactly K long."""
    k = ctx.params.documents_per_merchant
    base = ["eu_trade_register_extract"] if plan.eu else ["business_licence"]
    wanted: list[tuple[str, int | None, int | None]] = [(c, None, None) for c in base]
    wanted.append(("identity_document", None, None))
    seen = {w[0] for w in wanted}
    for category in plan.categories:
        for market in plan.markets:
            for code in category.required.get(market, ()):
                if code not in seen and code in ctx.ref.doc_types:
                    seen.add(code)
                    wanted.append((code, None, category.id))
    r = plan.rng
    if len(wanted) > 2 and r.random() < 0.06:  # a mandatory document was never uploaded
        wanted.pop(r.randrange(2, len(wanted)))
    for brand_id, link_id in plan.brand_links.items():
        wanted.append(
            ("brand_authorisation" if link_id else "trademark_registration", brand_id, None)
        )
    optional = OPTIONAL_EU if plan.eu or plan.markets == ["EU"] else OPTIONAL_CN
    n = 0
    while len(wanted) < k:
        if n % 3 == 2 and wanted:
            wanted.append(("@older", None, None))  # an earlier version, now superseded
        else:
            code = optional[n % len(optional)]
            cat = plan.categories[n % len(plan.categories)].id if plan.categories else None
            wanted.append((code, None, cat))
        n += 1
    return [w for w in wanted if w[0] == "@older" or w[0] in ctx.ref.doc_types][:k]


def _expiry(ctx: Context, plan: MerchantPlan, validity: int, today: int) -> tuple[int, str]:
    """An expiry date (ordinal) and the status it implies, for an approved merchant."""
    rnd = plan.rng.random
    if ctx.params.expiry_profile == "uniform":
        return today + 1 + int(rnd() * (validity - 1)), "verified"
    r = rnd()
    if r < 0.02:
        return today + 1, "verified"
    if r < 0.05:
        return today + 2 + int(rnd() * 6), "verified"
    if r < 0.12:
        return today + 8 + int(rnd() * 23), "verified"
    if r < 0.16:
        return today - 1 - int(rnd() * 90), "expired"
    return today + 31 + int(rnd() * max(validity - 400, 30)), "verified"


def build_documents(ctx: Context, plan: MerchantPlan) -> None:
    r, sink, clock = plan.rng, ctx.sink, ctx.clock
    rnd = r.random
    nxt = ctx.ids.next
    add_doc = sink.table(Document, DOC_FIELDS).add
    add_history = sink.table(DocumentStatusChange, HISTORY_FIELDS).add
    deadlines = sink.table(Deadline, DEADLINE_FIELDS)
    firings = sink.table(DeadlineFiring, ("id", "deadline_id", "point", "fired_at"))
    city = plan.city
    issuers = issuers_in(city.zh, city.province_zh)
    today = ctx.today.toordinal()
    now_s = clock.now_s
    created_s = now_s - plan.created_days_ago * DAY - plan.index % DAY
    created_day = (created_s // DAY) + EPOCH_ORDINAL
    wanted = _wanted_types(ctx, plan)
    if plan.standing == "restricted" and plan.categories:
        needed = {c for codes in plan.categories[0].required.values() for c in codes}
        candidates = [
            w[0] for w in wanted if w[0] in needed and ctx.ref.doc_types[w[0]].requires_expiry
        ]
        plan.restricted_code = candidates[0] if candidates else "identity_document"
    pending_states = plan.state in {"submitted", "in_review", "draft", "info_requested"}
    last_of_type: dict[str, tuple[int, int | None, int | None, int]] = {}
    seed, owner = ctx.params.seed, plan.owner_user_id
    for code, brand_id, category_id in wanted:
        older = code == "@older"
        newer_id = None
        if older:  # an earlier verified version of the last document, replaced by it
            if not last_of_type:
                continue
            code = next(reversed(last_of_type))
            newer_id, brand_id, category_id, newer_issued = last_of_type.pop(code)
        dtype = ctx.ref.doc_types[code]
        doc_id = nxt["documents.Document"]
        nxt["documents.Document"] = doc_id + 1
        validity = VALIDITY_DAYS.get(code, 1825)
        status, expires = "verified", None
        if older:
            status = "superseded"
            if dtype.requires_expiry:
                expires = newer_issued + int(rnd() * 30)
                issued = expires - validity
            else:
                issued = newer_issued - 365 - int(rnd() * 700)
        else:
            if plan.approved:
                if dtype.requires_expiry:
                    expires, status = _expiry(ctx, plan, validity, today)
                if code == plan.restricted_code:
                    expires, status = today - 3, "expired"
                elif status == "verified" and (expires is None or expires > today + 30):
                    roll = rnd()
                    status = "rejected" if roll < 0.03 else "pending" if roll < 0.07 else status
            else:
                if pending_states and rnd() < 0.8:
                    status = "pending"
                if dtype.requires_expiry:
                    expires = today + 60 + int(rnd() * max(validity - 400, 60))
            issued = expires - validity if expires is not None else created_day - int(rnd() * 300)
        # Uploaded after it was issued and after the merchant registered, before now.
        uploaded = max(
            created_s + 3600 * (1 + int(rnd() * 48)),
            Clock.midnight(issued) + 7200 + DAY * (1 + int(rnd() * 20)),
        )
        uploaded = min(uploaded, now_s - 10800)
        issued_text = clock.date(issued)
        expires_text = clock.date(expires) if expires is not None else None
        if code == "identity_document" and plan.eu:
            number = f"C{r.choice('0123456789FGHJK')}{ri(r, 1_000_000, 9_999_999)}"
        elif code == "trademark_registration" and brand_id in plan.brand_ids:
            number = plan.trademark_numbers[plan.brand_ids.index(brand_id)]
        else:
            number = document_number(
                code,
                r,
                year=int(issued_text[:4]),
                division=city.division,
                province=city.province_zh,
                registration=plan.registration,
                serial=doc_id,
            )
        issuer = issuer_of(code, r, issuers, plan, number)
        if ctx.params.with_files:  # the demo stores this very PDF (see files.py)
            content = document_pdf(
                type_name=dtype.name_en,
                number=number,
                holder=plan.legal_name_en or plan.legal_name,
                issuer=issuer,
                issued_on=issued_text,
                expires_on=expires_text,
            )
            sha, size = hashlib.sha256(content).hexdigest(), len(content)
        else:
            sha = hashlib.sha256(f"{seed}:{doc_id}".encode()).hexdigest()
            size = 60_000 + int(rnd() * 2_000_000)
        uploaded_text = clock.text(uploaded)
        reviewed_text = (
            clock.text(min(uploaded + 3600 * (2 + int(rnd() * 70)), now_s - 1800))
            if status != "pending"
            else None
        )
        add_doc(
            (
                doc_id,
                plan.org_id,
                dtype.id,
                number,
                issuer,
                issued_text,
                expires_text,
                f"documents/{sha[:2]}/{sha}.pdf",
                sha,
                size,
                "application/pdf",
                f"{dtype.name_zh if plan.eu is None else dtype.name_en}.pdf",
                status,
                owner,
                reviewed_text,
                r.choice(REJECT_CODES) if status == "rejected" else "",
                "",
                brand_id,
                category_id,
                newer_id,
                uploaded_text,
                reviewed_text or uploaded_text,
            )
        )
        hid = nxt["documents.DocumentStatusChange"]
        add_history((hid, doc_id, "", "pending", "upload", owner, uploaded_text, "", ""))
        hid += 1
        if status != "pending":
            rejected = status == "rejected"
            add_history(
                (
                    hid,
                    doc_id,
                    "pending",
                    "rejected" if rejected else "verified",
                    "reject" if rejected else "verify",
                    None,
                    reviewed_text,
                    "",
                    "",
                )
            )
            hid += 1
        if status == "expired" and expires is not None:
            add_history(
                (
                    hid,
                    doc_id,
                    "verified",
                    "expired",
                    "expire",
                    None,
                    clock.text(clock.lapse(expires)),
                    "",
                    "The expiry date has passed.",
                )
            )
            hid += 1
        elif older:
            add_history(
                (
                    hid,
                    doc_id,
                    "verified",
                    "superseded",
                    "supersede",
                    None,
                    clock.text((uploaded + now_s) // 2),
                    "",
                    f"replaced by #{newer_id}",
                )
            )
            hid += 1
        nxt["documents.DocumentStatusChange"] = hid
        if expires is not None and status in {"verified", "expired", "superseded"}:
            _deadline(
                ctx,
                plan,
                doc_id,
                code,
                expires,
                status,
                deadlines,
                firings,
                reviewed_text or uploaded_text,
            )
        if not older and status in {"verified", "pending"}:
            last_of_type[code] = (doc_id, brand_id, category_id, issued)


def _deadline(
    ctx: Context,
    plan: MerchantPlan,
    doc_id: int,
    code: str,
    expires: int,
    status: str,
    deadlines: Any,
    firings: Any,
    created_text: str,
) -> None:
    clock = ctx.clock
    due = clock.lapse(expires)
    points = [(name, due - secs) for name, secs in zip(WARN_NAMES, WARN_SECONDS, strict=True)]
    points.append(("due", due))
    now_s = clock.now_s
    live = status == "verified"
    future = [ts for _n, ts in points if ts > now_s]
    next_fire = future[0] if live and future else None
    state = "active" if next_fire else "fired" if status == "expired" else "cancelled"
    nxt = ctx.ids.next
    deadline_id = nxt["shared.Deadline"]
    nxt["shared.Deadline"] = deadline_id + 1
    deadlines.add(
        (
            deadline_id,
            f"document:{doc_id}:expiry",
            DEADLINE_KIND,
            SUBJECT_TYPE,
            str(doc_id),
            clock.text(due),
            WARN_JSON,
            None,
            f'{{"organisation_id":{plan.org_id},"type_code":"{code}"}}',
            state,
            "[" + ",".join(f'["{name}",{float(ts)!r}]' for name, ts in points) + "]",
            clock.text(next_fire) if next_fire else None,
            created_text,
            created_text,
        )
    )
    if live or status == "expired":
        for name, ts in points:
            if ts <= now_s:
                fid = nxt["shared.DeadlineFiring"]
                nxt["shared.DeadlineFiring"] = fid + 1
                firings.add((fid, deadline_id, name, clock.text(ts)))
