"""Listing images: checked by content, stored by hash, with a perceptual hash (pHash) for
finding identical images across merchants."""

from __future__ import annotations

import io
from typing import Any

from django.db import transaction

from qms.shared.audit import record_event
from qms.shared.files import inspect_upload, store_checked_file

from .models import ListingImage
from .services import acting_org


def perceptual_hash(content: bytes) -> str:
    import imagehash
    from PIL import Image

    with Image.open(io.BytesIO(content)) as img:
        return str(imagehash.phash(img.convert("RGB")))


@transaction.atomic
def upload_image(
    *, actor: Any, name: str, data: Any, merchant_org_id: int | None = None
) -> ListingImage:
    """Check an image (content sniffed, fully decoded), store it by content, hash it."""
    org_id = acting_org(actor, merchant_org_id)
    checked = inspect_upload(name=name, data=data, allowed={"jpeg", "png", "webp"})
    existing = ListingImage.objects.filter(merchant_org_id=org_id, sha256=checked.sha256).first()
    if existing is not None:
        return existing
    from PIL import Image

    with Image.open(io.BytesIO(checked.content)) as img:
        width, height = img.size
    image = ListingImage.objects.create(
        merchant_org_id=org_id,
        name=store_checked_file(checked, prefix="listing-images"),
        sha256=checked.sha256,
        phash=perceptual_hash(checked.content),
        mime=checked.mime,
        size=checked.size,
        width=width,
        height=height,
        original_name=checked.original_name,
    )
    record_event(
        actor=actor,
        obj=image,
        action="listings.image.upload",
        after={"sha256": image.sha256, "phash": image.phash},
        organisation_id=org_id,
    )
    return image
