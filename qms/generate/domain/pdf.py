"""A small, valid one-page PDF showing a generated document's particulars (demo files)."""

from __future__ import annotations


def _escape(text: str) -> str:
    ascii_text = text.encode("ascii", "replace").decode("ascii")
    return ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def render_pdf(lines: list[str]) -> bytes:
    """PDF 1.4 bytes: an A4 page with ``lines`` in Helvetica (non-ASCII shown as ``?``)."""
    text = ["BT", "/F1 20 Tf", "60 780 Td", f"({_escape(lines[0])}) Tj", "/F1 12 Tf"]
    for line in lines[1:]:
        text += ["0 -24 Td", f"({_escape(line)}) Tj"]
    text.append("ET")
    stream = "\n".join(text).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def document_pdf(
    *, type_name: str, number: str, holder: str, issuer: str, issued_on: str, expires_on: str | None
) -> bytes:
    return render_pdf(
        [
            type_name,
            f"No. {number}",
            f"Holder: {holder}",
            *([f"Issued by: {issuer}"] if issuer.isascii() else []),
            f"Issued on: {issued_on}",
            f"Valid until: {expires_on or 'no end date'}",
            "Generated demo document - not a real certificate.",
        ]
    )
