from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from qms.shared.errors import ValidationFailed
from qms.shared.files import content_name, inspect_upload, open_stored, store_checked_file
from qms.shared.tests.samples import (
    corrupt_pdf_bytes,
    jpeg_bytes,
    media_root,  # noqa: F401
    pdf_bytes,
    png_bytes,
    stored_files,
    truncated_png_bytes,
)


def _code(**kw: object) -> str:
    with pytest.raises(ValidationFailed) as exc:
        inspect_upload(**kw)  # type: ignore[arg-type]
    return exc.value.code


def test_pdf_is_recognised_by_content_and_hashed() -> None:
    data = pdf_bytes()
    checked = inspect_upload(name="licence.PDF", data=data)
    assert (checked.kind, checked.mime, checked.extension) == ("pdf", "application/pdf", "pdf")
    assert checked.size == len(data)
    import hashlib

    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.original_name == "licence.PDF"


@pytest.mark.parametrize(
    ("name", "maker", "kind"),
    [
        ("scan.png", png_bytes, "png"),
        ("photo.jpg", jpeg_bytes, "jpeg"),
        ("photo.jpeg", jpeg_bytes, "jpeg"),
    ],
)
def test_images_decode(name: str, maker: object, kind: str) -> None:
    assert inspect_upload(name=name, data=maker()).kind == kind  # type: ignore[operator]


def test_uploaded_file_objects_are_read_in_chunks() -> None:
    upload = SimpleUploadedFile("a.pdf", pdf_bytes(), content_type="text/plain")
    assert inspect_upload(name=upload.name, data=upload).kind == "pdf"
    assert inspect_upload(name="b.pdf", data=io.BytesIO(pdf_bytes())).kind == "pdf"


def test_empty_file_is_refused() -> None:
    assert _code(name="x.pdf", data=b"") == "file_empty"


def test_oversized_file_is_refused_before_reading_it_all() -> None:
    data = pdf_bytes()
    assert _code(name="x.pdf", data=data, max_bytes=len(data) - 1) == "file_too_large"
    upload = SimpleUploadedFile("x.pdf", data)
    assert _code(name="x.pdf", data=upload, max_bytes=10) == "file_too_large"


def test_content_decides_not_the_name() -> None:
    assert _code(name="evil.pdf", data=png_bytes()) == "file_type_mismatch"
    assert _code(name="scan.png", data=pdf_bytes()) == "file_type_mismatch"
    assert _code(name="noext", data=pdf_bytes()) == "file_type_mismatch"


def test_types_outside_the_allowed_set_are_refused() -> None:
    assert _code(name="x.html", data=b"<html><script>alert(1)</script></html>") == (
        "file_type_not_allowed"
    )
    assert _code(name="x.zip", data=b"PK\x03\x04" + b"\x00" * 40) == "file_type_not_allowed"
    assert _code(name="x.png", data=png_bytes(), allowed={"pdf"}) == "file_type_not_allowed"


def test_corrupt_pdf_and_truncated_image_are_refused() -> None:
    assert _code(name="x.pdf", data=corrupt_pdf_bytes()) == "file_corrupt"
    assert _code(name="x.png", data=truncated_png_bytes()) == "file_corrupt"


def test_decompression_bomb_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from qms.shared import files

    monkeypatch.setattr(files, "MAX_IMAGE_PIXELS", 100)
    assert _code(name="big.png", data=png_bytes(size=(20, 20))) == "file_too_large"


def test_storing_is_content_addressed(media_root: Path) -> None:  # noqa: F811
    checked = inspect_upload(name="a.pdf", data=pdf_bytes())
    name = store_checked_file(checked, prefix="documents")
    assert name == content_name(sha256=checked.sha256, extension="pdf", prefix="documents")
    assert name == f"documents/{checked.sha256[:2]}/{checked.sha256}.pdf"
    again = store_checked_file(
        inspect_upload(name="copy.pdf", data=pdf_bytes()), prefix="documents"
    )
    assert again == name
    assert len(stored_files(media_root)) == 1
    assert default_storage.exists(name)
    with open_stored(name) as fh:
        assert fh.read() == checked.content
