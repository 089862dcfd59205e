"""Safe uploads: sniff the type from the content, check it fully, hash it, store it by content.

``inspect_upload`` never trusts the file name or the browser's ``Content-Type``: the type comes
from the bytes (``filetype``), the name's extension must agree with it, a PDF must parse
(``pypdf``) and an image must decode completely (Pillow, with a pixel cap against decompression
bombs). Files are stored through Django's storage API (local disk or S3, by settings) under a
content-addressed name, so storing the same bytes twice writes one object.
"""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .errors import ValidationFailed


@dataclass(frozen=True)
class FileKind:
    key: str
    mime: str
    extensions: frozenset[str]


KINDS: dict[str, FileKind] = {
    "pdf": FileKind("pdf", "application/pdf", frozenset({"pdf"})),
    "jpeg": FileKind("jpeg", "image/jpeg", frozenset({"jpg", "jpeg"})),
    "png": FileKind("png", "image/png", frozenset({"png"})),
    "webp": FileKind("webp", "image/webp", frozenset({"webp"})),
}
CANONICAL_EXTENSION = {"pdf": "pdf", "jpeg": "jpg", "png": "png", "webp": "webp"}
_BY_MIME = {k.mime: k for k in KINDS.values()}
IMAGE_KINDS = frozenset({"jpeg", "png", "webp"})
DEFAULT_ALLOWED = frozenset({"pdf", "jpeg", "png"})
# Largest decoded image accepted (width x height). A 10 MB PNG can decode to gigabytes.
MAX_IMAGE_PIXELS = 60_000_000


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check. ``content`` holds the bytes for storing."""

    kind: str
    mime: str
    extension: str
    sha256: str
    size: int
    original_name: str
    content: bytes

    @property
    def storage_name(self) -> str:
        return content_name(sha256=self.sha256, extension=self.extension)


def _read(data: bytes | IO[bytes] | Any, max_bytes: int) -> bytes:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    size = getattr(data, "size", None)
    if isinstance(size, int) and size > max_bytes:
        raise ValidationFailed(
            _("The file is larger than %(limit)s.") % {"limit": filesizeformat(max_bytes)},
            code="file_too_large",
            max_bytes=max_bytes,
            size=size,
        )
    if hasattr(data, "seek"):
        data.seek(0)
    if hasattr(data, "chunks"):
        buf = bytearray()
        for chunk in data.chunks():
            buf += chunk
            if len(buf) > max_bytes:
                break
        return bytes(buf)
    return bytes(data.read(max_bytes + 1))


def _extension(name: str) -> str:
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower().lstrip(".")
    return suffix


def _check_pdf(content: bytes) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise ValidationFailed(
                _("The PDF is password-protected; upload it without a password."),
                code="file_encrypted",
            )
        if len(reader.pages) < 1:
            raise ValidationFailed(_("The PDF has no pages."), code="file_corrupt")
        reader.pages[0].mediabox  # noqa: B018 - parses the first page object
    except ValidationFailed:
        raise
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
        OSError,
    ) as exc:
        raise ValidationFailed(
            _("The PDF cannot be read; it may be damaged."), code="file_corrupt"
        ) from exc


def _check_image(content: bytes) -> None:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as probe:
                width, height = probe.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise ValidationFailed(
                        _("The image is too large (%(w)sx%(h)s pixels).")
                        % {"w": width, "h": height},
                        code="file_too_large",
                        pixels=width * height,
                        max_pixels=MAX_IMAGE_PIXELS,
                    )
                probe.verify()
            with Image.open(io.BytesIO(content)) as img:
                img.load()
    except ValidationFailed:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationFailed(
            _("The image is too large to open safely."), code="file_too_large"
        ) from exc
    except (OSError, SyntaxError, ValueError, struct.error) as exc:
        raise ValidationFailed(
            _("The image cannot be read; it may be damaged."), code="file_corrupt"
        ) from exc


def inspect_upload(
    *,
    name: str,
    data: bytes | IO[bytes] | Any,
    allowed: Iterable[str] = DEFAULT_ALLOWED,
    max_bytes: int | None = None,
) -> CheckedFile:
    """Check an upload and describe it, or raise ``ValidationFailed``.

    Codes: ``file_empty``, ``file_too_large``, ``file_type_not_allowed``,
    ``file_type_mismatch`` (the name's extension disagrees with the content), ``file_corrupt``,
    ``file_encrypted`` (password-protected PDF).
    """
    import filetype

    limit = settings.QMS_MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    allowed_set = frozenset(allowed)
    unknown = allowed_set - KINDS.keys()
    if unknown:
        raise ValueError(f"Unknown file kinds: {sorted(unknown)}")
    content = _read(data, limit)
    if not content:
        raise ValidationFailed(_("The file is empty."), code="file_empty")
    if len(content) > limit:
        raise ValidationFailed(
            _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)},
            code="file_too_large",
            max_bytes=limit,
        )
    allowed_names = ", ".join(sorted(e for k in allowed_set for e in KINDS[k].extensions))
    guess = filetype.guess(content)
    kind = _BY_MIME.get(guess.mime) if guess is not None else None
    if kind is None or kind.key not in allowed_set:
        raise ValidationFailed(
            _("This type of file is not accepted. Allowed: %(allowed)s.")
            % {"allowed": allowed_names},
            code="file_type_not_allowed",
            detected=guess.mime if guess else None,
        )
    extension = _extension(name)
    if extension not in kind.extensions:
        raise ValidationFailed(
            _("The file name ends in .%(ext)s but the content is %(kind)s.")
            % {"ext": extension or "-", "kind": kind.key.upper()},
            code="file_type_mismatch",
            detected=kind.mime,
        )
    if kind.key == "pdf":
        _check_pdf(content)
    elif kind.key in IMAGE_KINDS:
        _check_image(content)
    return CheckedFile(
        kind=kind.key,
        mime=kind.mime,
        extension=CANONICAL_EXTENSION[kind.key],
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        original_name=PurePosixPath(name.replace("\\", "/")).name[:255],
        content=content,
    )


def content_name(*, sha256: str, extension: str, prefix: str = "files") -> str:
    """The storage name for content with this hash: ``files/ab/abcdef….pdf``."""
    return f"{prefix}/{sha256[:2]}/{sha256}.{extension}"


def store_checked_file(checked: CheckedFile, *, prefix: str = "files") -> str:
    """Save the bytes through the default storage under their content address; return the name.

    Storing the same content again writes nothing. Call it after every other check passed,
    just before the row that points to the file is written.
    """
    name = content_name(sha256=checked.sha256, extension=checked.extension, prefix=prefix)
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(checked.content))
        if saved != name:  # a concurrent writer stored the same bytes first
            default_storage.delete(saved)
    return name


def open_stored(name: str) -> IO[bytes]:
    """Open a stored file for reading (the caller closes it)."""
    return default_storage.open(name, "rb")
