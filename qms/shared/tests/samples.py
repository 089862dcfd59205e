"""Real, tiny files for upload tests (generated, never committed) and a private storage."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest


def pdf_bytes(pages: int = 1, text: str = "") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if text:
        writer.add_metadata({"/Title": text})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (8, 6), color: str = "red") -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format=fmt)
    return buf.getvalue()


def png_bytes(**kw: Any) -> bytes:
    return image_bytes("PNG", **kw)


def jpeg_bytes(**kw: Any) -> bytes:
    return image_bytes("JPEG", **kw)


def corrupt_pdf_bytes() -> bytes:
    """Starts like a PDF (so it sniffs as one) but has no readable structure."""
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R" + b"\x00" * 64


def truncated_png_bytes() -> bytes:
    return png_bytes(size=(64, 64))[:60]


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    """A fresh, empty default storage for the test."""
    root = tmp_path / "media"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root
